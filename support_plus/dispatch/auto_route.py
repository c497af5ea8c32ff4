"""Routing new tickets without any Assignment Rule: Support Plus Settings' *Route New Tickets Automatically*.

A new ticket (Issue `after_insert`) is routed by a job on the `short` queue, enqueued once the transaction
that made it commits: saving a ticket pays only the enqueue, the ticket is saved whatever happens to its
routing, and the technicians' rows are locked only by the job's short transaction. The job is
deduplicated by ticket and idempotent: a ticket already assigned (an Assignment Rule assigned it in the same
save, Frappe applies rules in `on_update`; someone was quicker), done or deleted is left alone. A failure is
logged (Error Log) and never undoes the ticket.

A ticket inserted by code that never commits (a console session, a test without a commit) is not routed.
"""

import frappe

from support_plus.dispatch import assignment
from support_plus.tickets.lifecycle import DONE

SETTING = "auto_route_new_tickets"
QUEUE = "short"


def enabled() -> bool:
	return bool(frappe.db.get_single_value("Support Plus Settings", SETTING))


def on_new_ticket(doc, method=None) -> None:
	"""Issue `after_insert`: queue the ticket's routing for after the commit, when the switch is on."""
	if frappe.flags.in_import or frappe.flags.in_install or frappe.flags.in_migrate:
		return
	if doc.status in DONE or not enabled():
		return
	enqueue_routing(doc.name)


def enqueue_routing(issue: str) -> None:
	frappe.enqueue(
		"support_plus.dispatch.auto_route.route_job",
		queue=QUEUE,
		job_id=job_id(issue),
		deduplicate=True,
		enqueue_after_commit=True,
		issue=issue,
	)


def job_id(issue: str) -> str:
	return f"support_plus:route:{issue}"


def route_job(issue: str) -> str | None:
	"""Job: `route_new_ticket` in a transaction of its own, committed."""
	user = route_new_ticket(issue)
	frappe.db.commit()  # nosemgrep: a job's own transaction
	return user


def route_new_ticket(issue: str) -> str | None:
	"""Assign the ticket to the best technician unless it is assigned or done; the user, or None. A failure
	is logged and undone (savepoint), never raised."""
	user = None
	frappe.db.savepoint("support_plus_auto_route")
	try:
		status = frappe.db.get_value("Issue", issue, "status")
		if status and status not in DONE and not assignment.open_assignees(issue):
			user = assignment.auto_assign(issue)
	except Exception:
		frappe.db.rollback(save_point="support_plus_auto_route")
		frappe.log_error(
			title="Support Plus: routing a new ticket", reference_doctype="Issue", reference_name=issue
		)
	return user
