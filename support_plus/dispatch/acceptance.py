"""Accept / decline: a technician's new assignment is Pending until they accept it.

The state lives on Frappe's ToDo (custom fields `acceptance` and `acceptance_due`, install code), so the
desk's assignment list, reports and the technician's "My Work" read it where the assignment is:

- a new Open ToDo on a ticket for a user with a technician profile is **Pending** (Accepted at once when
  they assigned it to themselves); with Support Plus Settings' *Accept Within (Minutes)* above 0 it is due
  that many minutes later (`acceptance_due`);
- `respond` (the assignee only): **Accepted**; or **Declined**, with a reason: the assignment is cancelled
  and the ticket goes to the next candidate of the routing engine, never to anyone who declined it; both
  steps are on the ticket's timeline;
- `reroute_overdue` (scheduled every 5 minutes): a Pending assignment past its due time is declined "not
  accepted in time" and re-routed the same way, and the team's supervisor (else the Support Managers) is
  told. Each overdue assignment is handled once: it is Cancelled in the same savepoint, so a second run,
  or two runs at once (the row is locked and read again), finds nothing to do.
"""

import frappe
from frappe import _
from frappe.utils import add_to_date, cint, get_fullname

from support_plus.dispatch import assignment, technicians
from support_plus.tickets.lifecycle import DONE
from support_plus.utils import clock
from support_plus.utils.roles import SUPPORT_MANAGER, users_with_roles

PENDING, ACCEPTED, DECLINED = "Pending", "Accepted", "Declined"
SETTING = "accept_within_minutes"
BATCH = 500


def accept_within_minutes() -> int:
	return max(cint(frappe.db.get_single_value("Support Plus Settings", SETTING)), 0)


def set_pending(todo, method=None) -> None:
	"""ToDo `before_insert`: a technician's new assignment waits for their answer."""
	if todo.reference_type != "Issue" or todo.status != "Open" or not todo.allocated_to or todo.acceptance:
		return
	if technicians.assignee_row(todo) is None:
		return
	if todo.assigned_by == todo.allocated_to:
		todo.acceptance = ACCEPTED
		return
	todo.acceptance = PENDING
	minutes = accept_within_minutes()
	if minutes:
		todo.acceptance_due = add_to_date(clock.now(), minutes=minutes)


def _open_todo(issue: str, user: str):
	return frappe.db.get_value(
		"ToDo",
		{"reference_type": "Issue", "reference_name": issue, "allocated_to": user, "status": "Open"},
		("name", "acceptance"),
		as_dict=True,
		for_update=True,
	)


def respond(issue: str, accept: bool, reason: str | None = None) -> dict:
	"""The current user accepts or declines their assignment of `issue`.

	Returns {"acceptance": "Accepted"} or {"acceptance": "Declined", "assigned_to": next user or None}."""
	user = frappe.session.user
	todo = _open_todo(issue, user)
	if not todo:
		frappe.throw(
			_("Only the assignee of ticket {0} can accept or decline it.").format(frappe.bold(issue)),
			frappe.PermissionError,
		)
	ticket = frappe.get_doc("Issue", issue)
	if accept:
		if todo.acceptance != ACCEPTED:
			frappe.db.set_value("ToDo", todo.name, {"acceptance": ACCEPTED, "acceptance_due": None})
			ticket.add_comment("Info", _("{0} accepted the assignment.").format(get_fullname(user)))
		return {"acceptance": ACCEPTED}
	reason = (reason or "").strip()
	if not reason:
		frappe.throw(_("Say why you decline ticket {0}.").format(frappe.bold(issue)), frappe.ValidationError)
	_withdraw(todo.name)
	ticket.add_comment("Info", _("{0} declined the assignment: {1}").format(get_fullname(user), reason))
	return {"acceptance": DECLINED, "assigned_to": _reroute(ticket, user)}


def _withdraw(todo: str) -> None:
	"""The assignment ends as Declined (Frappe's ToDo hooks update the ticket's assignees, ours the load)."""
	doc = frappe.get_doc("ToDo", todo)
	doc.update({"status": "Cancelled", "acceptance": DECLINED, "acceptance_due": None})
	doc.save(ignore_permissions=True)  # the assignee's own answer, checked by the caller


def decliners(issue: str) -> list[str]:
	return frappe.get_all(
		"ToDo",
		filters={"reference_type": "Issue", "reference_name": issue, "acceptance": DECLINED},
		pluck="allocated_to",
	)


def _reroute(ticket, previous: str) -> str | None:
	"""The next candidate, when nobody else is still assigned; logged on the timeline."""
	if ticket.status in DONE or assignment.open_assignees(ticket.name):
		return None
	user = assignment.auto_assign(ticket.name, exclude=decliners(ticket.name))  # None: it says why
	if user:
		ticket.add_comment(
			"Info",
			_("Reassigned to {0} in place of {1}.").format(get_fullname(user), get_fullname(previous)),
		)
	return user


# -- the acceptance timeout --------------------------------------------------------------------------


def reroute_overdue(now=None) -> list[dict]:
	"""Every Pending assignment past due: declined and re-routed once, the supervisor told. Savepoint per
	ticket: one that fails is logged and the others go on. Returns [{"issue", "from", "to"}]."""
	minutes = accept_within_minutes()
	if not minutes:
		return []
	now = clock.now(now)
	overdue = frappe.get_all(
		"ToDo",
		filters={
			"reference_type": "Issue",
			"status": "Open",
			"acceptance": PENDING,
			"acceptance_due": ("<=", now),
		},
		fields=["name", "reference_name", "allocated_to"],
		order_by="acceptance_due asc",
		limit=BATCH,
	)
	done = []
	for row in overdue:
		frappe.db.savepoint("support_plus_acceptance")
		try:
			moved = _reroute_one(row, minutes, now)
			if moved:
				done.append(moved)
		except Exception:
			frappe.db.rollback(save_point="support_plus_acceptance")
			frappe.log_error(
				title="Support Plus: re-routing an assignment not accepted in time",
				reference_doctype="Issue",
				reference_name=row.reference_name,
			)
	return done


def _reroute_one(row, minutes: int, now) -> dict | None:
	current = frappe.db.get_value(
		"ToDo", row.name, ("status", "acceptance"), as_dict=True, for_update=True
	)  # read again, locked: another run may have handled it
	if not current or current.status != "Open" or current.acceptance != PENDING:
		return None
	ticket = frappe.get_doc("Issue", row.reference_name)
	if ticket.status in DONE:
		frappe.db.set_value("ToDo", row.name, "acceptance_due", None)  # nothing left to route
		return None
	with clock.pinned(now):
		_withdraw(row.name)
		ticket.add_comment(
			"Info",
			_("{0} did not accept the assignment within {1} minutes.").format(
				get_fullname(row.allocated_to), minutes
			),
		)
		to = _reroute(ticket, row.allocated_to)
	tell_supervisor(ticket, row.allocated_to, to, minutes)
	return {"issue": ticket.name, "from": row.allocated_to, "to": to}


def supervisors(ticket) -> list[str]:
	"""The ticket's team supervisor; without one, every enabled Support Manager."""
	if ticket.get("support_team"):
		supervisor = frappe.db.get_value("Support Team", ticket.support_team, "supervisor")
		if supervisor:
			return [supervisor]
	return users_with_roles([SUPPORT_MANAGER])


def tell_supervisor(ticket, previous: str, to: str | None, minutes: int) -> None:
	subject = (
		_("Ticket {0}: {1} did not accept it within {2} minutes; reassigned to {3}.").format(
			ticket.name, get_fullname(previous), minutes, get_fullname(to)
		)
		if to
		else _(
			"Ticket {0}: {1} did not accept it within {2} minutes; no other technician could take it."
		).format(ticket.name, get_fullname(previous), minutes)
	)
	for user in supervisors(ticket):
		frappe.get_doc(
			{
				"doctype": "Notification Log",
				"for_user": user,
				"type": "Alert",
				"document_type": "Issue",
				"document_name": ticket.name,
				"subject": subject,
			}
		).insert(ignore_permissions=True)


def scheduled_reroute() -> None:
	"""Scheduler (every 5 minutes)."""
	reroute_overdue()
	frappe.db.commit()  # nosemgrep: a job owns its transaction
