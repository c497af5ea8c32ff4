"""Technicians count their own van (support_plus.parts.audit): the Service Technician role may read,
make, edit and submit Stock Reconciliations, as Custom DocPerm rights added by install code; the row rule
(their own van only) is `support_plus.parts.audit.has_permission` / `query_conditions`."""

import frappe
from frappe.permissions import setup_custom_perms

from support_plus.setup.permissions import _rows
from support_plus.utils.roles import SERVICE_TECHNICIAN

DOCTYPE = "Stock Reconciliation"
RIGHTS = {"select": 1, "read": 1, "write": 1, "create": 1, "submit": 1, "print": 1}


def apply_van_permissions() -> None:
	setup_custom_perms(DOCTYPE)
	name = frappe.db.get_value(
		"Custom DocPerm", {"parent": DOCTYPE, "role": SERVICE_TECHNICIAN, "permlevel": 0, "if_owner": 0}
	)
	if name:
		frappe.db.set_value("Custom DocPerm", name, RIGHTS)
	else:
		frappe.get_doc(
			{
				"doctype": "Custom DocPerm",
				"parent": DOCTYPE,
				"parenttype": "DocType",
				"parentfield": "permissions",
				"role": SERVICE_TECHNICIAN,
				"permlevel": 0,
				**RIGHTS,
			}
		).db_insert()
	frappe.clear_cache(doctype=DOCTYPE)


def remove_van_permissions() -> None:
	"""Uninstall: the role's row goes; a copy that is then exactly ERPNext's rows goes too."""
	frappe.db.delete("Custom DocPerm", {"parent": DOCTYPE, "role": SERVICE_TECHNICIAN})
	if _rows("Custom DocPerm", DOCTYPE) == _rows("DocPerm", DOCTYPE):
		frappe.db.delete("Custom DocPerm", {"parent": DOCTYPE})
	frappe.clear_cache(doctype=DOCTYPE)
