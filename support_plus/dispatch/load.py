"""A technician's load: `open_tickets` (and `last_assigned_on`) stored on their Service Technician.

A ToDo counts while it is Open, on an Issue that is not Resolved, Closed or Cancelled, allocated to a user
with a technician profile. The hooks below move the counter by exactly what one change adds or removes,
with an atomic UPDATE, so routing reads one row per technician instead of counting ToDos; `recount`
rebuilds every counter from the ToDos (on migrate, daily, and after a bulk change made without hooks).
"""

import frappe
from frappe.query_builder.functions import Count

from support_plus.tickets.lifecycle import DONE
from support_plus.utils import clock


def _ticket_open(issue: str | None) -> bool:
	row = frappe.db.sql("select status from `tabIssue` where name = %s", issue) if issue else None
	status = row[0][0] if row else None
	return status is not None and status not in DONE


def _counted_user(todo, ticket_open: bool) -> str | None:
	"""The user whose load this ToDo adds to, if any."""
	if todo.reference_type == "Issue" and todo.status == "Open" and todo.allocated_to and ticket_open:
		return todo.allocated_to
	return None


def add(user: str, delta: int, assigned: bool = False) -> None:
	"""Move a technician's counter (a user without a profile changes nothing)."""
	sets = "`open_tickets` = GREATEST(`open_tickets` + %(delta)s, 0)"
	if assigned:
		sets += ", `last_assigned_on` = %(now)s"
	frappe.db.sql(
		f"update `tabService Technician` set {sets} where `user` = %(user)s",
		{"delta": delta, "user": user, "now": clock.now()},
	)


def on_todo_insert(todo, method=None) -> None:
	"""ToDo `after_insert` (the ticket read from `flags.reference_doc` when the assigner loaded it)."""
	if todo.reference_type == "Issue":
		ticket = todo.flags.reference_doc
		is_open = ticket.status not in DONE if ticket else _ticket_open(todo.reference_name)
		user = _counted_user(todo, is_open)
		if user:
			add(user, 1, assigned=True)


def on_todo_update(todo, method=None) -> None:
	"""ToDo `on_update`: status (or assignee) changed."""
	before = todo.get_doc_before_save()
	if not before or "Issue" not in (todo.reference_type, before.reference_type):
		return
	old = _counted_user(before, _ticket_open(before.reference_name))
	new = _counted_user(todo, _ticket_open(todo.reference_name))
	if old == new:
		return
	if old:
		add(old, -1)
	if new:
		add(new, 1, assigned=True)


def on_todo_trash(todo, method=None) -> None:
	"""ToDo `on_trash`."""
	if todo.reference_type == "Issue":
		user = _counted_user(todo, _ticket_open(todo.reference_name))
		if user:
			add(user, -1)


def _open_assignees(issue: str) -> list[str]:
	return frappe.get_all(
		"ToDo",
		filters={"reference_type": "Issue", "reference_name": issue, "status": "Open"},
		pluck="allocated_to",
	)


def on_issue_update(doc, method=None) -> None:
	"""Issue `on_update`: a ticket that becomes done (or is reopened) frees (or takes) its assignees."""
	before = doc.get_doc_before_save()
	if not before:
		return
	was_open, is_open = before.status not in DONE, doc.status not in DONE
	if was_open != is_open:
		for user in _open_assignees(doc.name):
			add(user, 1 if is_open else -1)


def on_issue_trash(doc, method=None) -> None:
	"""Issue `on_trash`: Frappe deletes its ToDos without their hooks."""
	if doc.status not in DONE:
		for user in _open_assignees(doc.name):
			add(user, -1)


def recount() -> None:
	"""Every counter rebuilt from the ToDos (one grouped query)."""
	todo, issue = frappe.qb.DocType("ToDo"), frappe.qb.DocType("Issue")
	counts = dict(
		frappe.qb.from_(todo)
		.join(issue)
		.on(issue.name == todo.reference_name)
		.select(todo.allocated_to, Count("*"))
		.where((todo.reference_type == "Issue") & (todo.status == "Open") & issue.status.notin(list(DONE)))
		.groupby(todo.allocated_to)
		.run()
	)
	for name, user, stored in frappe.get_all(
		"Service Technician", fields=["name", "user", "open_tickets"], as_list=True
	):
		if (stored or 0) != counts.get(user, 0):
			frappe.db.set_value(
				"Service Technician", name, "open_tickets", counts.get(user, 0), update_modified=False
			)


def daily_recount() -> None:
	"""Scheduled: repair any drift from changes made without hooks (SQL, data imports)."""
	recount()
