"""Technicians' vans in the public API: vans, their stock and their audits (support_plus.parts).
Every function checks the caller's permissions: a technician reaches their own van only; Support, Stock
and System Managers every van."""

import frappe
from frappe import _

from support_plus.api.arguments import json_object, required
from support_plus.parts import audit, vans


@frappe.whitelist(methods=["POST"])
def create_van(technician: str | None = None) -> str:
	"""The technician's van warehouse (made under the company's "Vans" group on the first call; the same
	one after). Support, Stock and System Managers only."""
	if not vans.is_van_manager():
		frappe.throw(
			_("Only a Support or Stock Manager can give a technician a van."), frappe.PermissionError
		)
	return vans.create_van(required(technician, "technician"))


@frappe.whitelist(methods=["GET", "POST"])  # reads only
def van_stock(warehouse: str | None = None) -> list[dict]:
	"""The van's items: [{"item_code", "item_name", "par_level", "actual_qty", "status"}], status "OK",
	"Below Par" or "Out of Stock", from ERPNext's Bin and the van's Item Reorder rows."""
	vans.check_van_access(required(warehouse, "warehouse"))
	return vans.van_stock(warehouse)


@frappe.whitelist(methods=["POST"])
def start_van_audit(warehouse: str | None = None) -> str:
	"""A draft Stock Reconciliation of the van with the system quantities (the van's open audit if it has
	one): its name."""
	vans.check_van_access(required(warehouse, "warehouse"))
	return audit.start_van_audit(warehouse)


@frappe.whitelist(methods=["POST"])
def record_van_count(audit_name: str | None = None, counts: dict[str, float] | str | None = None) -> dict:
	"""Counted quantities {item_code: qty} on a draft van audit; returns {item_code: count - system}."""
	counts = json_object(required(counts, "counts"), "counts")  # {item code: quantity}
	return audit.record_van_count(required(audit_name, "audit_name"), counts)


@frappe.whitelist(methods=["POST"])
def submit_van_audit(audit_name: str | None = None) -> str | None:
	"""Post the van audit's variance; None when every count matched (the audit is recorded, nothing posted)."""
	return audit.submit_van_audit(required(audit_name, "audit_name"))
