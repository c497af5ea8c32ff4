"""Assigning tickets to technicians: the best one by the routing engine, or a named one, always through
Frappe's assignment (a ToDo, made as Frappe's assign_to.add makes it, with fewer reads:
support_plus/overrides/assign_to.py) and never beyond a technician's capacity.

The capacity check is made on the ToDo itself (`guard_todo`), so the desk's "Assign To", bulk assignment
and any script go through it as `assign_technician` does; a Support Manager may go over capacity by giving
a reason (`assign_technician(..., override_reason=...)`, `over_capacity`), which is logged on the ticket.
Assignment Rules keep Frappe's behaviour (their own kinds never looked at capacity; Skill Based does, in
routing).
"""

from contextlib import contextmanager

import frappe
from frappe import _

from support_plus.dispatch import routing, technicians
from support_plus.overrides.assign_to import assign as lean_assign
from support_plus.tickets.lifecycle import DONE
from support_plus.utils.roles import is_manager

MAX_SUGGESTIONS = 50


def _open_ticket(issue: str):
	doc = frappe.get_doc("Issue", issue)
	if doc.status in DONE:
		frappe.throw(
			_("Ticket {0} is {1}: it takes no new assignment.").format(frappe.bold(issue), _(doc.status))
		)
	return doc


def open_assignees(issue: str) -> list[str]:
	return frappe.db.sql_list(
		"""select allocated_to from `tabToDo`
		where reference_type = 'Issue' and reference_name = %s and status = 'Open'""",
		issue,
	)


def suggest(issue: str, limit: int = 5, now=None) -> list[dict]:
	if not 1 <= int(limit) <= MAX_SUGGESTIONS:
		frappe.throw(_("Ask for 1 to {0} suggestions.").format(MAX_SUGGESTIONS))
	return [c.as_dict() for c in routing.rank(issue, now=now).candidates[: int(limit)]]


def auto_assign(issue: str, now=None, exclude: list[str] | tuple = ()) -> str | None:
	"""Assign the best technician (see support_plus.dispatch.routing) and return their user; None, with a
	comment on the ticket saying why, when nobody is eligible. `exclude`: users never to pick (decliners)."""
	doc = _open_ticket(issue)
	assigned = open_assignees(issue)
	if assigned:
		frappe.throw(
			_("Ticket {0} is already assigned to {1}.").format(frappe.bold(issue), ", ".join(assigned))
		)
	job = {f: doc.get(f) for f in ("support_team", "required_skill", "required_skill_level", "customer")}
	ranking = routing.rank(job, now=now, lock=True, exclude=exclude)  # locks the eligible rows
	if not ranking.candidates:
		doc.add_comment("Comment", ranking.explanation())
		return None
	best = ranking.candidates[0]
	# The ToDo's hooks take the technician's row as ranking read it, locked: no second read of it.
	locked = frappe._dict(
		user=best.user, status=technicians.ACTIVE, open_tickets=best.open_tickets, capacity=best.capacity
	)
	_assign(
		doc,
		best.user,
		_("Routed to {0}: {1}").format(best.full_name, "; ".join(best.reasons)),
		technician=locked,
	)
	return best.user


def assign_technician(issue: str, user: str, override_reason: str | None = None) -> str:
	"""Assign a named technician, checked as routing checks: a profile, not Inactive, below capacity.
	A Support Manager may assign over capacity with `override_reason` (logged on the ticket)."""
	doc = _open_ticket(issue)
	profile = technicians.profile_of(user)
	if not profile:
		frappe.throw(_("{0} has no technician profile.").format(frappe.bold(user)), frappe.ValidationError)
	if profile.status == technicians.INACTIVE:
		frappe.throw(_("Technician {0} is Inactive.").format(frappe.bold(user)), frappe.ValidationError)
	if user in open_assignees(issue):
		frappe.throw(_("Ticket {0} is already assigned to {1}.").format(frappe.bold(issue), user))
	description = _("Assigned to technician {0}").format(user)
	if override_reason:
		assign_over_capacity(override_reason, _assign, doc, user, description)
	else:
		_assign(doc, user, description)  # guard_todo checks the capacity
	return user


def _assign(doc, user: str, description: str, technician: frappe._dict | None = None) -> None:
	# The caller checked the ticket (the API) or is the system (routing a new ticket, a timed-out one, a
	# technician's decline), and that the user holds no open assignment of it. Frappe's assign_to.add, made
	# with fewer reads (support_plus/overrides/assign_to.py); it shares the ticket with an assignee who
	# cannot read it even when the current user may not share (a technician declining). `technician`: the
	# assignee's profile row (status, open_tickets, capacity) as the caller read it locked in this
	# transaction, for the ToDo's hooks (technicians.assignee_row).
	lean_assign(doc, user, description, todo_flags={"technician": technician} if technician else None)


def assign_over_capacity(reason: str | None, fn, *args, **kwargs):
	"""`fn(*args, **kwargs)` with a manager's override of capacity (`reason`, logged on each ticket over
	capacity). Only a Support Manager may; the reason must say something."""
	reason = (reason or "").strip()
	if not reason:
		frappe.throw(_("Say why the technician should go over capacity."), frappe.ValidationError)
	if not is_manager():
		frappe.throw(
			_("Only a Support Manager may assign over a technician's capacity."), frappe.PermissionError
		)
	with over_capacity(reason):
		return fn(*args, **kwargs)


@contextmanager
def over_capacity(reason: str):
	"""Within the block, new assignments may pass a technician's capacity (a manager's override)."""
	saved = frappe.flags.support_plus_capacity_override
	frappe.flags.support_plus_capacity_override = reason
	try:
		yield
	finally:
		frappe.flags.support_plus_capacity_override = saved


def check_capacity(todo, technician: frappe._dict) -> None:
	"""A new (or moved) assignment made by hand, in bulk or by routing: refused when the technician (their
	locked profile row) is full, unless a manager's override is in force (`over_capacity`), which is then
	logged on the ticket."""
	if todo.assignment_rule:
		return
	load = (technician.open_tickets or 0, technician.capacity or 0)
	if load[0] < load[1]:
		return
	reason = frappe.flags.support_plus_capacity_override
	if reason:
		frappe.get_doc("Issue", todo.reference_name).add_comment(
			"Info",
			_("{0} assigned {1} over capacity ({2} of {3} open): {4}").format(
				frappe.utils.get_fullname(frappe.session.user), todo.allocated_to, load[0], load[1], reason
			),
		)
		return
	frappe.throw(
		_("Technician {0} already has {1} of {2} open tickets.").format(
			frappe.bold(todo.allocated_to), load[0], load[1]
		)
		+ " "
		+ _("A Support Manager may assign over capacity with a reason."),
		frappe.ValidationError,
	)


def guard_todo(todo, method=None) -> None:
	"""ToDo `validate`: no ticket is newly given to an Inactive technician, however it is assigned; a new or
	moved assignment (not a reopened one) is within capacity (`check_capacity`)."""
	if todo.reference_type != "Issue" or todo.status != "Open" or not todo.allocated_to:
		return
	before = todo.get_doc_before_save()
	if before and before.allocated_to == todo.allocated_to and before.status == "Open":
		return
	technician = technicians.assignee_row(todo)
	if technician is None:
		return
	if technician.status == technicians.INACTIVE:
		frappe.throw(
			_("Technician {0} is Inactive and cannot be assigned tickets.").format(
				frappe.bold(todo.allocated_to)
			),
			frappe.ValidationError,
		)
	if not before or before.allocated_to != todo.allocated_to:
		check_capacity(todo, technician)
