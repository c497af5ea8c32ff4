"""Row rules on tickets: a Sales User without a broader support role sees and creates only tickets of
the projects assigned to them (Project Users table or an open assignment of the Project).

Frappe applies `query_conditions` to get_list, list views, reports and REST lists, and `has_permission`
to every single-document check (get_doc + check_permission, REST, whitelisted methods).
"""

import frappe

# Any of these roles sees every ticket its role-level rights allow.
SEES_ALL = frozenset(
	("System Manager", "Support Manager", "Support Agent", "Support Team", "Support Viewer", "Accounts User")
)


def is_project_bound(user: str) -> bool:
	if user == "Administrator":
		return False
	roles = set(frappe.get_roles(user))
	return "Sales User" in roles and not roles & SEES_ALL


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


def query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	user = user or frappe.session.user
	if not is_project_bound(user):
		return ""
	projects = user_projects(user)
	if not projects:
		return "1=0"
	return "`tabIssue`.`project` in ({})".format(", ".join(frappe.db.escape(p) for p in projects))


def has_permission(
	doc, ptype: str | None = None, user: str | None = None, debug: bool = False
) -> bool | None:
	"""Deny a project-bound user any ticket outside their projects (None: no opinion, role rights apply)."""
	user = user or frappe.session.user
	if not is_project_bound(user):
		return None
	if doc.get("project") and doc.project in user_projects(user):
		return None
	return False
