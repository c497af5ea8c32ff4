"""Who may do what with tickets (seed 003's matrix), as Custom DocPerm rows made by install code.

Role-level rights live here; the row rule (a Sales User sees only the tickets of their projects) is in
support_plus.permissions.issue. ERPNext's own rows (Support Team) are kept as they are.
"""

import frappe
from frappe.permissions import setup_custom_perms

from support_plus.setup.roles import SUPPORT_AGENT, SUPPORT_MANAGER, SUPPORT_VIEWER

PTYPES = ("read", "write", "create", "delete", "report", "export", "print", "email", "share")
_READ_ONLY = {"read": 1, "report": 1, "print": 1}

ISSUE_PERMISSIONS = {
	SUPPORT_MANAGER: dict.fromkeys(PTYPES, 1),
	SUPPORT_AGENT: {**dict.fromkeys(PTYPES, 1), "delete": 0},
	"Sales User": {"read": 1, "write": 1, "create": 1, "print": 1, "email": 1},
	"Accounts User": _READ_ONLY,
	SUPPORT_VIEWER: _READ_ONLY,
}


def apply_issue_permissions() -> None:
	setup_custom_perms("Issue")  # copies ERPNext's standard rows once, so they keep applying
	for role, rights in ISSUE_PERMISSIONS.items():
		values = {ptype: rights.get(ptype, 0) for ptype in PTYPES}
		name = frappe.db.get_value(
			"Custom DocPerm", {"parent": "Issue", "role": role, "permlevel": 0, "if_owner": 0}
		)
		if name:
			frappe.db.set_value("Custom DocPerm", name, values)
		else:
			frappe.get_doc(
				{
					"doctype": "Custom DocPerm",
					"parent": "Issue",
					"parenttype": "DocType",
					"parentfield": "permissions",
					"role": role,
					"permlevel": 0,
					**values,
				}
			).db_insert()
	frappe.clear_cache(doctype="Issue")


def remove_issue_permissions() -> None:
	frappe.db.delete("Custom DocPerm", {"parent": "Issue", "role": ("in", list(ISSUE_PERMISSIONS))})
	frappe.clear_cache(doctype="Issue")
