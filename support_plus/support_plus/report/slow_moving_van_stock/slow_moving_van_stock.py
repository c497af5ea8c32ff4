# Copyright (c) 2026, support_plus developers and contributors
# For license information, please see license.txt
"""Slow-Moving Van Stock: items a van holds (ERPNext Bin) that have not moved in or out of it for `days`
days (default 90): their last movement is the newest Stock Ledger Entry of the item in the van, audits
(Stock Reconciliations) not counted. One set-based read, grouped per van and item, over the vans the user
may see (a technician: their own)."""

from datetime import timedelta

import frappe
from frappe import _
from frappe.utils import cint

from support_plus.parts import vans
from support_plus.utils import clock

DEFAULT_DAYS = 90


def execute(filters=None):
	filters = frappe._dict(filters or {})
	if filters.warehouse:
		vans.check_van_access(filters.warehouse)
		warehouses = [filters.warehouse]
	else:
		warehouses = vans.visible_vans()
	days = cint(filters.days) or DEFAULT_DAYS
	return columns(), slow_rows(warehouses, days, clock.today(filters.get("as_of") or None))


def slow_rows(warehouses: list[str], days: int, today) -> list[dict]:
	if not warehouses:
		return []
	cutoff = today - timedelta(days=days)
	return frappe.db.sql(
		"""
		select b.warehouse, b.item_code, i.item_name, b.actual_qty, b.stock_value,
			max(sle.posting_date) as last_movement,
			datediff(%(today)s, max(sle.posting_date)) as days_since
		from `tabBin` b
		join `tabItem` i on i.name = b.item_code
		left join `tabStock Ledger Entry` sle on sle.item_code = b.item_code and sle.warehouse = b.warehouse
			and sle.is_cancelled = 0 and sle.voucher_type != 'Stock Reconciliation'
		where b.warehouse in %(warehouses)s and b.actual_qty > 0
		group by b.warehouse, b.item_code
		having last_movement is null or last_movement < %(cutoff)s
		order by last_movement, b.warehouse, b.item_code
		""",
		{"warehouses": tuple(warehouses), "cutoff": cutoff, "today": today},
		as_dict=True,
	)


def columns() -> list[dict]:
	return [
		{
			"fieldname": "warehouse",
			"label": _("Van"),
			"fieldtype": "Link",
			"options": "Warehouse",
			"width": 180,
		},
		{"fieldname": "item_code", "label": _("Item"), "fieldtype": "Link", "options": "Item", "width": 140},
		{"fieldname": "item_name", "label": _("Item Name"), "fieldtype": "Data", "width": 160},
		{"fieldname": "actual_qty", "label": _("Qty"), "fieldtype": "Float", "width": 80},
		{"fieldname": "stock_value", "label": _("Value"), "fieldtype": "Currency", "width": 110},
		{"fieldname": "last_movement", "label": _("Last Movement"), "fieldtype": "Date", "width": 120},
		{"fieldname": "days_since", "label": _("Days Since"), "fieldtype": "Int", "width": 100},
	]
