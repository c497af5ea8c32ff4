"""Technician routing of the public API. Every function checks the caller's permissions."""

import frappe
from frappe import _

from support_plus.api.arguments import required
from support_plus.dispatch import acceptance, assignment, workload
from support_plus.utils.roles import is_manager


def _check_ticket(issue: str | None, ptype: str) -> None:
	required(issue, "issue")
	if not frappe.db.exists("Issue", issue):
		frappe.throw(_("Ticket {0} does not exist.").format(frappe.bold(issue)), frappe.DoesNotExistError)
	frappe.has_permission("Issue", ptype, issue, throw=True)


@frappe.whitelist(methods=["POST"])
def suggest_technicians(issue: str | None = None, limit: int = 5) -> list[dict]:
	"""The technicians who may take a ticket now, best first: [{"technician", "user", "full_name", "score",
	"open_tickets", "capacity", "reasons"}] (see support_plus.dispatch.routing)."""
	_check_ticket(issue, "read")
	return assignment.suggest(issue, limit)


@frappe.whitelist(methods=["POST"])
def auto_assign(issue: str | None = None) -> str | None:
	"""Assign a ticket to the best technician and return their user; None (and a comment on the ticket
	saying why) when nobody is eligible."""
	_check_ticket(issue, "write")
	return assignment.auto_assign(issue)


@frappe.whitelist(methods=["POST"])
def assign_technician(
	issue: str | None = None, user: str | None = None, override_reason: str | None = None
) -> str:
	"""Assign a ticket to a named technician: refused without a profile, when Inactive, or at capacity
	(a Support Manager may go over capacity by giving `override_reason`, logged on the ticket)."""
	_check_ticket(issue, "write")
	return assignment.assign_technician(issue, required(user, "user"), override_reason)


@frappe.whitelist(methods=["POST"])
def respond_to_assignment(
	issue: str | None = None, accept: bool | None = None, reason: str | None = None
) -> dict:
	"""The assignee accepts or declines (with a reason) their assignment of a ticket; a declined ticket
	goes to the next candidate. {"acceptance": "Accepted"} or {"acceptance": "Declined", "assigned_to"}."""
	_check_ticket(issue, "read")
	return acceptance.respond(issue, frappe.utils.sbool(required(accept, "accept")), reason)


@frappe.whitelist(methods=["GET", "POST"])
def technician_workload(team: str | None = None) -> list[dict]:
	"""Managers' workload board: each technician's open tickets vs capacity, new assignments to accept,
	status, working or on call now, today's appointments (Support Manager, Support Viewer)."""
	if not (is_manager() or "Support Viewer" in frappe.get_roles()):
		frappe.throw(_("Only Support Managers see the technicians' workload."), frappe.PermissionError)
	if team and not frappe.db.exists("Support Team", team):
		frappe.throw(
			_("Support Team {0} does not exist.").format(frappe.bold(team)), frappe.DoesNotExistError
		)
	return workload.technician_workload(team)
