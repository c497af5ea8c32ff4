"""ERPNext 15's daily `erpnext.stock.reorder_item.reorder_item`, for every warehouse but some (the vans).

Follows ERPNext 15.x (checked by `check_versions`). ERPNext's job reads every Item Reorder row through its
module function `get_items_for_reorder` and asks for a Material Request whenever a warehouse's projected
quantity is at or below its reorder level. A technician's van is refilled by support_plus as soon as it
runs low (support_plus.parts.refill): ERPNext's job would make a second request for the same van and
item (its requests have no source warehouse, and it orders again on a day the projected quantity
equals the level). So install stops ERPNext's Scheduled Job Type (as it stops ERPNext's auto-close) and
support_plus's daily job calls `reorder_item_without(vans)`: ERPNext's own function, with
`get_items_for_reorder` replaced, for the call only, by ERPNext's function minus the rows of those
warehouses. Uninstall starts ERPNext's job again.
"""

import frappe

ERPNEXT_JOB = "erpnext.stock.reorder_item.reorder_item"


def reorder_item_without(warehouses: set[str]):
	"""Run ERPNext's reorder_item leaving out the Item Reorder rows of `warehouses`; its result."""
	from erpnext.stock import reorder_item as erpnext_reorder

	original = erpnext_reorder.get_items_for_reorder

	def items_for_reorder() -> dict[str, list]:
		return without_warehouses(original(), warehouses)

	erpnext_reorder.get_items_for_reorder = items_for_reorder
	try:
		return erpnext_reorder.reorder_item()
	finally:
		erpnext_reorder.get_items_for_reorder = original


def without_warehouses(itemwise: dict, warehouses: set[str]) -> dict:
	out = frappe._dict()
	for item_code, rows in itemwise.items():
		kept = [row for row in rows if row.warehouse not in warehouses]
		if kept:
			out[item_code] = kept
	return out


def stop_erpnext_reorder() -> None:
	"""Install/migrate: support_plus's daily job runs ERPNext's reorder instead."""
	frappe.db.set_value("Scheduled Job Type", {"method": ERPNEXT_JOB}, "stopped", 1)


def restart_erpnext_reorder() -> None:
	"""Uninstall: ERPNext's own job works again."""
	frappe.db.set_value("Scheduled Job Type", {"method": ERPNEXT_JOB}, "stopped", 0)
