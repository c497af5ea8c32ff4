"""Assigning tickets to technicians: the best one by the routing engine, or a named one, always through
Frappe's assignment (ToDo) and never beyond a technician's capacity."""

import frappe
from frappe import _
from frappe.desk.form.assign_to import add as add_assignment

from support_plus.dispatch import routing, technicians
from support_plus.tickets.lifecycle import DONE

MAX_SUGGESTIONS = 50


def _open_ticket(issue: str):
	doc = frappe.get_doc("Issue", issue)
	if doc.status in DONE:
		frappe.throw(
			_("Ticket {0} is {1}: it takes no new assignment.").format(frappe.bold(issue), _(doc.status))
		)
	return doc


def open_assignees(issue: str) -> list[str]:
	return frappe.get_all(
		"ToDo",
		filters={"reference_type": "Issue", "reference_name": issue, "status": "Open"},
		pluck="allocated_to",
	)


def suggest(issue: str, limit: int = 5, now=None) -> list[dict]:
	if not 1 <= int(limit) <= MAX_SUGGESTIONS:
		frappe.throw(_("Ask for 1 to {0} suggestions.").format(MAX_SUGGESTIONS))
	return [c.as_dict() for c in routing.rank(issue, now=now).candidates[: int(limit)]]


def auto_assign(issue: str, now=None) -> str | None:
	"""Assign the best technician (see support_plus.dispatch.routing) and return their user; None, with a
	comment on the ticket saying why, when nobody is eligible."""
	doc = _open_ticket(issue)
	assigned = open_assignees(issue)
	if assigned:
		frappe.throw(
			_("Ticket {0} is already assigned to {1}.").format(frappe.bold(issue), ", ".join(assigned))
		)
	ranking = routing.rank(issue, now=now, lock=True)  # locks the eligible rows until commit
	if not ranking.candidates:
		doc.add_comment("Comment", ranking.explanation())
		return None
	best = ranking.candidates[0]
	_assign(doc, best.user, _("Routed to {0}: {1}").format(best.full_name, "; ".join(best.reasons)))
	return best.user


def assign_technician(issue: str, user: str) -> str:
	"""Assign a named technician, checked as routing checks: a profile, not Inactive, below capacity."""
	doc = _open_ticket(issue)
	profile = technicians.profile_of(user)
	if not profile:
		frappe.throw(_("{0} has no technician profile.").format(frappe.bold(user)), frappe.ValidationError)
	if profile.status == technicians.INACTIVE:
		frappe.throw(_("Technician {0} is Inactive.").format(frappe.bold(user)), frappe.ValidationError)
	if user in open_assignees(issue):
		frappe.throw(_("Ticket {0} is already assigned to {1}.").format(frappe.bold(issue), user))
	open_tickets, capacity = frappe.db.sql(
		"select open_tickets, capacity from `tabService Technician` where name = %s for update",
		profile.name,
	)[0]
	if (open_tickets or 0) >= (capacity or 0):
		frappe.throw(
			_("Technician {0} already has {1} of {2} open tickets.").format(
				frappe.bold(user), open_tickets, capacity
			),
			frappe.ValidationError,
		)
	_assign(doc, user, _("Assigned to technician {0}").format(user))
	return user


def _assign(doc, user: str, description: str) -> None:
	add_assignment({"assign_to": [user], "doctype": "Issue", "name": doc.name, "description": description})


def guard_todo(todo, method=None) -> None:
	"""ToDo `validate`: no ticket is newly given to an Inactive technician, however it is assigned."""
	if todo.reference_type != "Issue" or todo.status != "Open" or not todo.allocated_to:
		return
	before = todo.get_doc_before_save()
	if before and before.allocated_to == todo.allocated_to and before.status == "Open":
		return
	if (
		frappe.db.get_value("Service Technician", {"user": todo.allocated_to}, "status")
		== technicians.INACTIVE
	):
		frappe.throw(
			_("Technician {0} is Inactive and cannot be assigned tickets.").format(
				frappe.bold(todo.allocated_to)
			),
			frappe.ValidationError,
		)
