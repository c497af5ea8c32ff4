import frappe
from frappe import _

from support_plus.portal.equipment import new_ticket_serial
from support_plus.portal.pages import new_ticket_options, require_login

no_cache = 1


def get_context(context):
	require_login("/support/new")
	context.title = _("New Ticket")
	context.show_sidebar = True
	context.update(new_ticket_options())
	# "Open a ticket" on an equipment page: the form comes with that serial number.
	context.serial = new_ticket_serial(frappe.form_dict.get("serial_no"))
