"""Routing new tickets without any Assignment Rule: Support Plus Settings' *Route New Tickets Automatically*.

A new ticket (Issue `after_insert`) is routed right after the transaction that made it commits: the ticket
is saved whatever happens to its routing, and the technicians' rows are locked only by the short routing
transaction (its own commit), not by the whole insert. A ticket an Assignment Rule assigned in the same
save (Frappe applies rules in `on_update`), a done ticket and a deleted one are left alone. A failure is
logged (Error Log) and never undoes the ticket.

A ticket inserted by code that never commits (a console session, a test without a commit) is not routed.
"""

import frappe

from support_plus.dispatch import assignment
from support_plus.tickets.lifecycle import DONE

SETTING = "auto_route_new_tickets"


def enabled() -> bool:
	return bool(frappe.db.get_single_value("Support Plus Settings", SETTING))


def on_new_ticket(doc, method=None) -> None:
	"""Issue `after_insert`: route the ticket once it is committed, when the switch is on."""
	if frappe.flags.in_import or frappe.flags.in_install or frappe.flags.in_migrate:
		return
	if doc.status in DONE or not enabled():
		return
	issue = doc.name
	frappe.db.after_commit.add(lambda: route_after_commit(issue))


def route_after_commit(issue: str) -> str | None:
	"""`route_new_ticket` in a transaction of its own, committed."""
	user = route_new_ticket(issue)
	frappe.db.commit()  # nosemgrep: runs after the ticket's own commit, as a transaction of its own
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
