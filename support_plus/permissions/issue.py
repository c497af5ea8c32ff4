"""Row rules on tickets, for users whose roles give no broader ticket access (SEES_ALL):

- a Sales User sees and creates only tickets of the projects assigned to them (Project Users table or an
  open assignment of the Project);
- a Service Technician reads only the tickets assigned to them (an open ToDo allocated to them) or shared
  with them (a DocShare with read). The role's rights on tickets are TECHNICIAN_RIGHTS, what a share gave
  technicians before: read, and with it print and email (frappe.permissions.has_permission lets a
  read-share print and email).

A user holding both roles sees the union: their projects' tickets with the Sales User's rights, their own
tickets with a technician's.

Frappe applies `query_conditions` to get_list, list views, reports, number cards and REST lists, and
`has_permission` to every single-document check (get_doc + check_permission, REST, whitelisted methods,
print, the timeline's Communications and attachments through their ticket). Both ask the same functions
(`user_projects`, `own_tickets`) for the same names, so the list and the single ticket cannot disagree
(tests/test_ticket_permissions.py checks it ticket by ticket). A ticket's follow-ups, escalations and part
usages ask these same functions (support_plus/permissions/ticket_records.py).
"""

import frappe

from support_plus.utils.roles import SERVICE_TECHNICIAN

# Any of these roles sees every ticket its role-level rights allow.
SEES_ALL = frozenset(
	("System Manager", "Support Manager", "Support Agent", "Support Team", "Support Viewer", "Accounts User")
)
PROJECT_ROLE = "Sales User"
# A technician's role-level rights on tickets (support_plus.setup.permissions), each limited to their own.
TECHNICIAN_RIGHTS = {"read": 1, "print": 1, "email": 1}


def is_project_bound(user: str) -> bool:
	return PROJECT_ROLE in bound_roles(user)


def bound_roles(user: str) -> frozenset[str]:
	"""The row-ruled roles the user reads tickets through; empty when a role sees all (or none applies)."""
	if user == "Administrator":
		return frozenset()
	roles = set(frappe.get_roles(user))
	if roles & SEES_ALL:
		return frozenset()
	return frozenset(roles & {PROJECT_ROLE, SERVICE_TECHNICIAN})


def user_projects(user: str) -> list[str]:
	project_user = frappe.qb.DocType("Project User")
	listed = (
		frappe.qb.from_(project_user)
		.select(project_user.parent)
		.where(project_user.user == user)
		.run(pluck=True)
	)
	todo = frappe.qb.DocType("ToDo")
	assigned = (
		frappe.qb.from_(todo)
		.select(todo.reference_name)
		.where((todo.reference_type == "Project") & (todo.allocated_to == user) & (todo.status == "Open"))
	).run(pluck=True)
	return sorted(set(listed) | set(assigned))


def own_tickets(user: str, ticket: str | None = None) -> list[str]:
	"""The tickets assigned to `user` (an open ToDo) or shared with them (read, or shared with everyone);
	with `ticket`, that one when it is theirs, else nothing.

	Two index range reads (ToDo by `sp_todo_allocated`, support_plus.setup.permissions; DocShare by
	Frappe's user/share_doctype index): a technician's tickets are a few, the tickets table may hold
	millions, so the list's condition is a list of names (primary key), not a test run on every ticket."""
	todo = frappe.qb.DocType("ToDo")
	assigned = (
		frappe.qb.from_(todo)
		.select(todo.reference_name)
		.where((todo.allocated_to == user) & (todo.reference_type == "Issue") & (todo.status == "Open"))
	)
	share = frappe.qb.DocType("DocShare")
	shared = (
		frappe.qb.from_(share)
		.select(share.share_name)
		.where(
			(share.share_doctype == "Issue")
			& (share.read == 1)
			& ((share.user == user) | (share.everyone == 1))
		)
	)
	if ticket is not None:  # one ticket: the share is read only when it is not assigned to them
		found = assigned.where(todo.reference_name == ticket).limit(1).run(pluck=True)
		return found or shared.where(share.share_name == ticket).limit(1).run(pluck=True)
	return sorted(set(assigned.run(pluck=True)) | set(shared.run(pluck=True)))


def query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	user = user or frappe.session.user
	bound = bound_roles(user)
	if not bound:
		return ""
	conditions = []
	if PROJECT_ROLE in bound and (projects := user_projects(user)):
		conditions.append(_in("project", projects))
	if SERVICE_TECHNICIAN in bound and (tickets := own_tickets(user)):
		conditions.append(_in("name", tickets))
	if not conditions:
		return "1=0"
	return "({})".format(" or ".join(conditions))


def _in(column: str, values: list[str]) -> str:
	return "`tabIssue`.`{}` in ({})".format(column, ", ".join(frappe.db.escape(v) for v in values))


def has_permission(
	doc, ptype: str | None = None, user: str | None = None, debug: bool = False
) -> bool | None:
	"""Deny a row-ruled user any ticket outside their rule (None: no opinion, role rights apply)."""
	user = user or frappe.session.user
	bound = bound_roles(user)
	if not bound:
		return None
	if PROJECT_ROLE in bound and doc.get("project") and doc.project in user_projects(user):
		return None
	if (
		SERVICE_TECHNICIAN in bound
		and (ptype or "read") in (*TECHNICIAN_RIGHTS, "select")
		and doc.name
		and own_tickets(user, doc.name)
	):
		return None
	return False
