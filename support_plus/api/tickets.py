"""Ticket actions of the public API. Every function checks the caller's permissions."""

from datetime import date, datetime

import frappe
from frappe import _
from frappe.utils import getdate

from support_plus.api.arguments import json_list, required
from support_plus.api.requested_time import requested_time
from support_plus.dispatch import assignment
from support_plus.tickets import auto_close as auto_closing
from support_plus.tickets import bulk, callers, intake, replies
from support_plus.tickets import reopen as reopening
from support_plus.utils.roles import is_manager


@frappe.whitelist(methods=["POST"])
def add_follow_up(
	issue: str | None = None, note: str | None = None, follow_up_date: str | date | datetime | None = None
) -> str:
	"""Add a follow-up note (and optionally the date of the next action) to a ticket; return its name."""
	if not frappe.db.exists("Issue", required(issue, "issue")):
		frappe.throw(_("Ticket {0} does not exist.").format(frappe.bold(issue)), frappe.DoesNotExistError)
	frappe.has_permission("Issue Follow Up", "create", throw=True)
	return (
		frappe.get_doc(
			{
				"doctype": "Issue Follow Up",
				"issue": issue,
				"note": note,
				"follow_up_date": getdate(follow_up_date) if follow_up_date else None,
			}
		)
		.insert()
		.name
	)


@frappe.whitelist(methods=["POST"])
def bulk_update(
	issues: list[str] | str | None = None,
	status: str | None = None,
	priority: str | None = None,
	assign_to: str | None = None,
	cancel_reason: str | None = None,
	assign_mode: str | None = None,
	override_reason: str | None = None,
) -> dict:
	"""Set status, priority and/or an assignee on many tickets, each checked and validated on its own
	(`cancel_reason` goes with status Cancelled). `assign_mode` "Add" (the default) adds `assign_to` to
	each ticket's assignees; "Replace" makes them the only one (the others' ToDos are cancelled). An
	assignee at capacity is refused per ticket, unless a Support Manager gives `override_reason` (at most
	500 tickets; logged on each ticket over capacity).

	Returns {"updated": [...], "failed": [{"issue", "error"}]}, or {"queued": true, "job_id": ...} when
	more than 500 tickets go to a background job (its outcome arrives as a notification).
	"""
	names = json_list(required(issues, "issues"), "issues")
	if not all(isinstance(name, str) for name in names):
		frappe.throw(_("{0} must be a list of ticket names.").format(frappe.bold("issues")))
	names = list(dict.fromkeys(names))  # once each, in the given order
	values = {
		"status": status,
		"priority": priority,
		"assign_to": assign_to,
		"assign_mode": assign_mode,
		"cancel_reason": cancel_reason,
	}
	frappe.has_permission("Issue", "write", throw=True)
	bulk.validate_values(values)
	if override_reason and len(names) > bulk.BACKGROUND_ABOVE:
		frappe.throw(_("Assign over capacity at most {0} tickets at once.").format(bulk.BACKGROUND_ABOVE))
	if len(names) > bulk.BACKGROUND_ABOVE:
		job_id = "support_plus_bulk_update::" + frappe.generate_hash(length=12)
		frappe.enqueue(
			"support_plus.tickets.bulk.run_in_background",
			queue="long",
			job_id=job_id,
			deduplicate=True,
			enqueue_after_commit=True,
			names=names,
			values=values,
			user=frappe.session.user,
		)
		return {"queued": True, "job_id": job_id, "count": len(names)}
	if override_reason:
		return assignment.assign_over_capacity(override_reason, bulk.update_tickets, names, values)
	return bulk.update_tickets(names, values)


@frappe.whitelist(methods=["POST"])
def set_status(name: str | None = None, status: str | None = None) -> None:
	"""Replaces ERPNext's unguarded `issue.set_status`: a checked, validated save."""
	bulk.update_ticket(required(name, "name"), {"status": required(status, "status")})


@frappe.whitelist(methods=["POST"])
def set_multiple_status(names: str | list[str] | None = None, status: str | None = None) -> dict:
	"""Replaces ERPNext's unguarded `issue.set_multiple_status` (list view action)."""
	return bulk_update(names, status=required(status, "status"))


@frappe.whitelist(methods=["POST"])
def reopen(issue: str | None = None, reason: str | None = None) -> None:
	"""Reopen a Closed, Cancelled or Resolved ticket; Support Manager or System Manager only."""
	reopening.reopen(required(issue, "issue"), reason)


@frappe.whitelist(methods=["POST"])
def auto_close(now: str | datetime | date | None = None) -> dict:
	"""Close tickets left in an auto-close status for the configured days (the daily job, run now).
	`now` (from Python only, see requested_time) runs it at another time."""
	if not is_manager():
		frappe.throw(_("Only a Support Manager can run auto-close."), frappe.PermissionError)
	return auto_closing.auto_close(requested_time(now))


@frappe.whitelist(methods=["POST"])
def create_ticket_from_project(
	project: str | None = None, subject: str | None = None, description: str | None = None
) -> str:
	"""Open a ticket for a project (its customer filled in); returns the ticket number."""
	frappe.has_permission("Issue", "create", throw=True)
	return intake.create_from_project(required(project, "project"), required(subject, "subject"), description)


@frappe.whitelist(methods=["POST"])
def create_phone_ticket(
	subject: str | None = None,
	customer: str | None = None,
	contact_phone: str | None = None,
	priority: str | None = None,
	issue_type: str | None = None,
	description: str | None = None,
	contact: str | None = None,
	new_contact_name: str | None = None,
	new_contact_email: str | None = None,
) -> str:
	"""Phone intake: save a ticket while the customer is on the line; returns the ticket number. With a
	`contact`, the ticket is raised by the contact's email and linked to it and its customer (which must be
	`customer` when given); a caller not on file is added as a Contact of `customer` from
	`new_contact_name` and `new_contact_email` (Contact create permission). The caller is assigned."""
	frappe.has_permission("Issue", "create", throw=True)
	return intake.create_phone_ticket(
		required(subject, "subject"),
		customer,
		contact_phone,
		priority,
		issue_type,
		description,
		contact,
		new_contact_name,
		new_contact_email,
	)


@frappe.whitelist(methods=["GET", "POST"])
def find_callers(phone: str | None = None) -> list[dict]:
	"""The Contacts whose phone or mobile number is `phone` (compared by digits, the last 9), each with its
	customers: [{"contact", "full_name", "email_id", "phone", "customers"}]. For support staff who open
	tickets and read contacts."""
	frappe.has_permission("Issue", "create", throw=True)
	frappe.has_permission("Contact", "read", throw=True)
	return callers.find_contacts(required(phone, "phone"))


@frappe.whitelist(methods=["POST"])
def reply_to_customer(issue: str | None = None, message: str | None = None) -> str:
	"""Post a public reply on a ticket and email it to the customer (support staff with write access to the
	ticket); an Open ticket becomes Replied. Returns the Communication's name."""
	return replies.reply_to_customer(required(issue, "issue"), message)
