"""Frappe's generic website list of a doctype (`/<doctype>` pages, `frappe.www.list.get` and
`get_list_data`, Frappe 15.44) closed for tickets.

ERPNext gives Issue a website list whose query ignores permissions and lists every ticket of the
customer linked to the user's Contact, descriptions and internal fields (`_comments`, `_assign`)
included. Customers have their tickets at /support (support_plus.portal), under one visibility rule;
this list answers only desk users, who get their role permissions as anywhere else.
"""

import frappe
from frappe import _
from frappe.www import list as web_list

from support_plus.utils.roles import is_portal_user

CLOSED = frozenset(("Issue",))


def refuse_closed(doctype: str | None) -> None:
	if not doctype or not is_portal_user():
		return  # desk users get their role permissions, as on any list
	if frappe.db.get_value("DocType", doctype, "name") in CLOSED:  # any case of the name
		raise frappe.PermissionError(_("Your tickets are on the support portal: /support/tickets"))


@frappe.whitelist(allow_guest=True)
def get(doctype, txt=None, limit_start=0, limit=20, pathname=None, **kwargs):
	refuse_closed(doctype)
	return web_list.get(doctype, txt, limit_start, limit, pathname, **kwargs)


@frappe.whitelist(allow_guest=True)
def get_list_data(
	doctype, txt=None, limit_start=0, fields=None, cmd=None, limit=20, web_form_name=None, **kwargs
):
	refuse_closed(doctype)
	return web_list.get_list_data(doctype, txt, limit_start, fields, cmd, limit, web_form_name, **kwargs)
