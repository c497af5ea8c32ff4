"""The technician's van on the phone, `/van` (linked from /field): the van's stock with its status, and
the van audit (start it, enter the counts, submit). The page reads here; its buttons POST to
`support_plus.api.start_van_audit`, `record_van_count` and `submit_van_audit`, which check the caller
themselves."""

import frappe
from frappe.utils import flt

from support_plus.parts import audit, vans

STATUS_BADGES = {vans.OK: "success", vans.BELOW_PAR: "warning", vans.OUT_OF_STOCK: "danger"}


def van_view(user: str) -> dict:
	"""{"van", "rows", "audit", "counts"} of the user's own van; DoesNotExistError without one."""
	van = vans.own_van(user)
	if not van or van not in vans.vans():
		raise frappe.DoesNotExistError
	rows = vans.van_stock(van)
	for row in rows:
		row["badge"] = STATUS_BADGES[row["status"]]
	name = audit.open_audit(van)
	counts = []
	if name:
		counts = [
			{
				"item_code": r.item_code,
				"item_name": r.item_name,
				"system": flt(r.current_qty),
				"counted": flt(r.qty),
			}
			for r in frappe.get_all(
				"Stock Reconciliation Item",
				filters={"parent": name, "parenttype": "Stock Reconciliation"},
				fields=["item_code", "item_name", "current_qty", "qty"],
				order_by="idx",
			)
		]
	return {"van": van, "rows": rows, "audit": name, "counts": counts}
