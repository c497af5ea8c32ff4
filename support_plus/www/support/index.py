import frappe
from frappe import _

from support_plus.portal.pages import list_tickets, require_login

no_cache = 1


def get_context(context):
	require_login("/support")
	context.title = _("Support")
	context.show_sidebar = True
	context.update(list_tickets(open_only=True))
