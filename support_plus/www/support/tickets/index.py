import frappe
from frappe import _

from support_plus.portal.pages import list_tickets, require_login
from support_plus.tickets.lifecycle import STATUSES

no_cache = 1


def get_context(context):
	require_login("/support/tickets")
	args = frappe.form_dict
	context.title = _("Your Tickets")
	context.show_sidebar = True
	context.statuses = STATUSES
	context.status = args.get("status") or ""
	context.q = args.get("q") or ""
	context.update(list_tickets(context.status, context.q, frappe.utils.cint(args.get("page")) or 1))
