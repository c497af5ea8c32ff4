# Copyright (c) 2026, support_plus developers and contributors
# For license information, please see license.txt
"""Van Stock: each van's items with their par level (ERPNext Item Reorder) and stock (ERPNext Bin), and
the status of seed 002's van table (OK, Below Par, Out of Stock), for one van or every van the user may
see (a technician: their own). One set-based read: `support_plus.parts.vans.stock_rows`, the rows of
`support_plus.api.van_stock`."""

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
	technicians = vans.vans()
	rows = vans.stock_rows(warehouses)
	if filters.status:
		rows = [row for row in rows if row.status == filters.status]
	for row in rows:
		row.technician = technicians.get(row.warehouse)
		row.to_refill = max(row.par_level - row.actual_qty, 0)
	return columns(), rows


def columns() -> list[dict]:
	return [
		{
			"fieldname": "warehouse",
			"label": _("Van"),
			"fieldtype": "Link",
			"options": "Warehouse",
			"width": 180,
		},
		{
			"fieldname": "technician",
			"label": _("Technician"),
			"fieldtype": "Link",
			"options": "User",
			"width": 180,
		},
		{"fieldname": "item_code", "label": _("Item"), "fieldtype": "Link", "options": "Item", "width": 140},
		{"fieldname": "item_name", "label": _("Item Name"), "fieldtype": "Data", "width": 160},
		{"fieldname": "par_level", "label": _("Par Level"), "fieldtype": "Float", "width": 90},
		{"fieldname": "actual_qty", "label": _("Current"), "fieldtype": "Float", "width": 90},
		{"fieldname": "projected_qty", "label": _("With Requests"), "fieldtype": "Float", "width": 110},
		{"fieldname": "to_refill", "label": _("To Refill"), "fieldtype": "Float", "width": 90},
		{"fieldname": "status", "label": _("Status"), "fieldtype": "Data", "width": 120},
	]
