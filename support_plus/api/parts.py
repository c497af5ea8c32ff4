"""Parts on a job, loaners and returns to vendors (support_plus.parts). Every function checks the
caller's permissions: the rules of support_plus.parts.usage (who may use parts on which ticket, from
which warehouse) and Frappe's rights on the documents."""

from datetime import date, datetime

import frappe
from frappe import _
from frappe.utils import getdate

from support_plus.api.arguments import required
from support_plus.parts import loaners, rma, usage


@frappe.whitelist(methods=["POST"])
def use_part(
	issue: str | None = None,
	item_code: str | None = None,
	qty: float = 1,
	serial_no: str | list[str] | None = None,
	warehouse: str | None = None,
	usage_type: str = "Installed",
	old_serial_no: str | None = None,
	expected_return_date: str | date | datetime | None = None,
) -> str:
	"""Record a part used on a ticket and move its stock (ERPNext Stock Entries); the Service Part Usage's
	name. `serial_no`: one per line (or a list); `warehouse`: the technician's van when empty;
	`usage_type`: Installed, Consumed, Returned or Loaner (a loaner needs `expected_return_date`);
	`old_serial_no`: the part replaced, received into Returns."""
	frappe.has_permission("Service Part Usage", "create", throw=True)
	return usage.use_part(
		required(issue, "issue"),
		required(item_code, "item_code"),
		float(qty),
		serial_no,
		warehouse,
		usage_type,
		old_serial_no,
		getdate(expected_return_date) if expected_return_date else None,
	)


@frappe.whitelist(methods=["POST"])
def return_loaner(usage: str | None = None, returned_on: str | date | datetime | None = None) -> str:
	"""A loaner is back: it moves back to the warehouse it came from; the Stock Entry's name."""
	return loaners.return_loaner(required(usage, "usage"), getdate(returned_on) if returned_on else None)


@frappe.whitelist(methods=["GET"])
def ticket_parts(issue: str | None = None) -> dict:
	"""The parts used on a ticket: {"parts": [...], "cost", "chargeable_cost", "chargeable_amount",
	"chargeable_count"} (anyone who may read the ticket)."""
	if not frappe.db.exists("Issue", required(issue, "issue")):
		frappe.throw(_("Ticket {0} does not exist.").format(frappe.bold(issue)), frappe.DoesNotExistError)
	frappe.has_permission("Issue", "read", doc=issue, throw=True)
	return usage.ticket_parts(issue)


@frappe.whitelist(methods=["POST"])
def create_rma(
	supplier: str | None = None,
	reason: str | None = None,
	item_code: str | None = None,
	serial_no: str | None = None,
	issue: str | None = None,
	qty: float = 1,
	warehouse: str | None = None,
	service_part_usage: str | None = None,
) -> str:
	"""A return to the vendor (Requested); from a part usage, its replaced serial goes back."""
	frappe.has_permission("Return Material Authorization", "create", throw=True)
	return rma.create(
		required(supplier, "supplier"),
		item_code,
		required(reason, "reason"),
		serial_no,
		issue,
		float(qty),
		warehouse,
		service_part_usage,
	)


@frappe.whitelist(methods=["POST"])
def ship_rma(rma_name: str | None = None, supplier_reference: str | None = None) -> None:
	"""The part leaves for the vendor (a Material Issue)."""
	rma.ship(required(rma_name, "rma_name"), supplier_reference)


@frappe.whitelist(methods=["POST"])
def receive_rma_replacement(
	rma_name: str | None = None, serial_no: str | None = None, warehouse: str | None = None
) -> str:
	"""The vendor's replacement is received (a Material Receipt); the Stock Entry's name."""
	return rma.receive_replacement(required(rma_name, "rma_name"), serial_no, warehouse)


@frappe.whitelist(methods=["POST"])
def credit_rma(rma_name: str | None = None, credit_reference: str | None = None) -> None:
	"""The vendor credits the part."""
	rma.credit(required(rma_name, "rma_name"), credit_reference)


@frappe.whitelist(methods=["POST"])
def reject_rma(rma_name: str | None = None, reason: str | None = None) -> None:
	"""The vendor refuses the part; a shipped part comes back."""
	rma.reject(required(rma_name, "rma_name"), reason)
