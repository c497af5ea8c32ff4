# Copyright (c) 2026, support_plus developers and contributors
# For license information, please see license.txt
"""Van Audit Variance: what each submitted van audit (ERPNext Stock Reconciliation) changed, by van, item
and audit: the system quantity, the count, the difference and its value. One set-based read over the
reconciliation rows of the vans the user may see (a technician: their own)."""

import frappe
from frappe import _

from support_plus.parts import vans


def execute(filters=None):
	filters = frappe._dict(filters or {})
	if filters.warehouse:
		vans.check_van_access(filters.warehouse)
		warehouses = [filters.warehouse]
	else:
		warehouses = vans.visible_vans()
	return columns(), variance_rows(warehouses, filters)


def variance_rows(warehouses: list[str], filters) -> list[dict]:
	if not warehouses:
		return []
	conditions = ""
	if filters.get("from_date"):
		conditions += " and sr.posting_date >= %(from_date)s"
	if filters.get("to_date"):
		conditions += " and sr.posting_date <= %(to_date)s"
	if filters.get("item_code"):
		conditions += " and sri.item_code = %(item_code)s"
	return frappe.db.sql(  # nosemgrep: fixed conditions, values bound
		f"""
		select sri.warehouse, sri.item_code, sri.item_name, sr.name as audit, sr.posting_date,
			sri.current_qty as system_qty, sri.qty as counted_qty, sri.qty - sri.current_qty as variance,
			sri.amount_difference as variance_amount
		from `tabStock Reconciliation Item` sri
		join `tabStock Reconciliation` sr on sr.name = sri.parent
		where sr.docstatus = 1 and sri.warehouse in %(warehouses)s and sri.qty != sri.current_qty
			{conditions}
		order by sri.warehouse, sri.item_code, sr.posting_date desc, sr.name
		""",
		{**filters, "warehouses": tuple(warehouses)},
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
		{
			"fieldname": "audit",
			"label": _("Audit"),
			"fieldtype": "Link",
			"options": "Stock Reconciliation",
			"width": 170,
		},
		{"fieldname": "posting_date", "label": _("Date"), "fieldtype": "Date", "width": 100},
		{"fieldname": "system_qty", "label": _("System"), "fieldtype": "Float", "width": 90},
		{"fieldname": "counted_qty", "label": _("Counted"), "fieldtype": "Float", "width": 90},
		{"fieldname": "variance", "label": _("Variance"), "fieldtype": "Float", "width": 90},
		{"fieldname": "variance_amount", "label": _("Variance Value"), "fieldtype": "Currency", "width": 120},
	]
