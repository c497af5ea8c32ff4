"""Install: the desk roles of support_plus (their names and meaning: support_plus.utils.roles)."""

import frappe

from support_plus.utils.roles import ROLES


def ensure_roles():
	for role in ROLES:
		if not frappe.db.exists("Role", role):
			frappe.get_doc({"doctype": "Role", "role_name": role, "desk_access": 1}).insert(
				ignore_permissions=True
			)
