"""`frappe.client.get_count` (Frappe 15.44) with the caller's permissions.

Frappe's counts rows with `frappe.db.count` and checks nothing: any logged-in user, a portal customer
included, could count the rows of any doctype that match a filter, and so read any field of any record
one character at a time (`subject like "a%"`, `"b%"`, ...). This one counts what `frappe.get_list`
would return to the caller: role permissions, permission query conditions (ours keep portal users in
their tickets), user permissions and sharing, exactly as the desk's own list count does.
"""

import frappe
from frappe import _
from frappe.client import get_safe_filters


@frappe.whitelist()
def get_count(doctype: str, filters=None, debug: bool = False, cache: bool = False) -> int:
	if frappe.is_table(doctype):
		frappe.throw(
			_("Rows of {0} are counted with their parent document.").format(_(doctype)),
			frappe.PermissionError,
		)
	rows = frappe.get_list(
		doctype,
		filters=get_safe_filters(filters),
		fields=[f"count(`tab{doctype}`.`name`) as total"],
		order_by="",
		as_list=True,
		debug=debug,
	)
	return rows[0][0] if rows else 0
