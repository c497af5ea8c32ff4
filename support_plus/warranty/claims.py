"""Warranty claims from tickets, on ERPNext's Warranty Claim and Maintenance Visit.

`create_warranty_claim` makes the claim from the ticket (serial, customer, contact, complaint) and links
both ways (`warranty_claim` on the Issue, `issue` on the claim). A serial that is not covered on the day
(see support_plus.warranty.coverage) is refused unless a Support Manager gives an override reason, which
is written on both timelines. ERPNext's visit of the claim (`make_maintenance_visit`) updates the claim
when submitted; a Fully Completed one also resolves the ticket with the work done.
"""

import frappe
from frappe import _
from frappe.utils import strip_html

from support_plus.tickets.lifecycle import CANCELLED, CLOSED, RESOLVED
from support_plus.utils import clock
from support_plus.utils.roles import is_manager
from support_plus.warranty import coverage
from support_plus.warranty.tickets import check_owner

# ERPNext's Warranty Claim says it in its own words.
CLAIM_STATUS = {
	coverage.UNDER_WARRANTY: "Under Warranty",
	coverage.UNDER_CONTRACT: "Under AMC",
	coverage.OUT_OF_WARRANTY: "Out of Warranty",
}


def create_warranty_claim(
	issue: str, complaint: str | None = None, override_reason: str | None = None
) -> str:
	ticket = frappe.get_doc("Issue", issue)
	if ticket.status == CANCELLED:
		frappe.throw(
			_("Ticket {0} is cancelled: no warranty claim can be made from it.").format(frappe.bold(issue))
		)
	if (
		ticket.get("warranty_claim")
		and frappe.db.get_value("Warranty Claim", ticket.warranty_claim, "docstatus") != 2
	):
		frappe.throw(
			_("Ticket {0} already has warranty claim {1}.").format(
				frappe.bold(issue), frappe.bold(ticket.warranty_claim)
			)
		)
	if not ticket.get("serial_no"):
		frappe.throw(_("Ticket {0} has no serial number to claim for.").format(frappe.bold(issue)))
	if not ticket.customer:
		frappe.throw(_("Ticket {0} has no customer.").format(frappe.bold(issue)))
	serial = coverage.get_serial(ticket.serial_no)
	check_owner(serial, ticket.customer)
	today = clock.today()
	cover = coverage.coverage(serial.name, today)
	override_reason = (override_reason or "").strip()
	if cover["status"] not in coverage.COVERED:
		if not override_reason:
			frappe.throw(
				_(
					"Serial No {0} is {1} on {2}: it has no warranty or contract to claim under. A Support Manager can make the claim with an override reason."
				).format(frappe.bold(serial.name), _(cover["status"]), frappe.format(today, "Date")),
				title=_("Not Covered"),
			)
		if not is_manager():
			frappe.throw(_("Only a Support Manager can override the warranty check."), frappe.PermissionError)
	text = (complaint or "").strip() or ticket.description or ticket.subject
	claim = frappe.get_doc(
		{
			"doctype": "Warranty Claim",
			"status": "Open",
			"complaint_date": today,
			"customer": ticket.customer,
			"serial_no": serial.name,
			"item_code": serial.item_code,
			"complaint": text,
			"contact_person": ticket.get("contact"),
			"complaint_raised_by": ticket.get("raised_by"),
			"company": ticket.get("company") or frappe.defaults.get_global_default("company"),
			"warranty_amc_status": CLAIM_STATUS.get(cover["status"]),
			"warranty_expiry_date": cover["warranty_expiry_date"],
			"amc_expiry_date": cover["contract_end"],
			"issue": ticket.name,
		}
	)
	claim.flags.ignore_permissions = True  # the caller's write access on the ticket was checked
	claim.insert()
	frappe.db.set_value("Issue", ticket.name, "warranty_claim", claim.name)
	note = _("Warranty claim {0} made ({1}).").format(claim.name, _(cover["status"]))
	if override_reason and cover["status"] not in coverage.COVERED:
		note = _(
			"Warranty claim {0} made although Serial No {1} is {2}: warranty check overridden by {3}. Reason: {4}"
		).format(claim.name, serial.name, _(cover["status"]), frappe.session.user, override_reason)
		claim.add_comment("Comment", note)
	ticket.add_comment("Info", note)
	return claim.name


def on_visit_submit(doc, method=None) -> None:
	"""Maintenance Visit `on_submit` (after ERPNext updated the claim): a Fully Completed visit of a claim
	resolves the claim's ticket with the visit's work done."""
	if doc.completion_status != "Fully Completed" or doc.get("maintenance_schedule"):
		return
	for purpose in doc.purposes:
		if purpose.prevdoc_doctype != "Warranty Claim" or not purpose.prevdoc_docname:
			continue
		issue = frappe.db.get_value("Warranty Claim", purpose.prevdoc_docname, "issue")
		if not issue:
			continue
		ticket = frappe.get_doc("Issue", issue)
		if ticket.status in (RESOLVED, CLOSED, CANCELLED):
			continue
		work = "\n".join(strip_html(p.work_done or "").strip() for p in doc.purposes if p.work_done)
		ticket.status = RESOLVED
		ticket.resolution_details = work or _("Maintenance Visit {0} completed.").format(doc.name)
		ticket.flags.ignore_permissions = True  # the technician closing the visit may not edit tickets
		ticket.save()
		ticket.add_comment("Info", _("Resolved by Maintenance Visit {0}.").format(doc.name))
