"""The desk roles of support_plus (seed 003's matrix: operations, admin, management), and who is a manager.

Runtime code asks here; install code (support_plus.setup.roles) creates the roles from the same names."""

import frappe

SUPPORT_AGENT = "Support Agent"  # operations: every ticket, no delete
SUPPORT_MANAGER = "Support Manager"  # admin: everything, reopen closed tickets, delete
SUPPORT_VIEWER = "Support Viewer"  # management: read-only
SERVICE_TECHNICIAN = "Service Technician"  # field service: their own profile and assigned tickets
ROLES = (SUPPORT_AGENT, SUPPORT_MANAGER, SUPPORT_VIEWER, SERVICE_TECHNICIAN)

# Roles that may act on closed tickets (reopen them, follow them up).
MANAGER_ROLES = frozenset((SUPPORT_MANAGER, "System Manager"))


def is_manager(user: str | None = None) -> bool:
	return bool(MANAGER_ROLES.intersection(frappe.get_roles(user)))


def is_portal_user(user: str | None = None) -> bool:
	"""A Website User (a customer on the portal), as opposed to a desk user with role permissions."""
	user = user or frappe.session.user
	return user == "Guest" or frappe.get_cached_value("User", user, "user_type") != "System User"


def users_with_roles(roles: list[str] | tuple[str, ...]) -> list[str]:
	"""Enabled desk users holding any of `roles` (Administrator and Guest aside), by name: who is told."""
	user = frappe.qb.DocType("User")
	has_role = frappe.qb.DocType("Has Role")
	return (
		frappe.qb.from_(user)
		.join(has_role)
		.on((has_role.parent == user.name) & (has_role.parenttype == "User"))
		.select(user.name)
		.distinct()
		.where(
			has_role.role.isin(list(roles))
			& (user.enabled == 1)
			& (user.user_type == "System User")
			& user.name.notin(["Administrator", "Guest"])
		)
		.orderby(user.name)
	).run(pluck=True)
