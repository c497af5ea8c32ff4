from urllib.parse import quote, urlencode

import frappe
from frappe import _

from support_plus.portal.equipment import new_ticket_serial
from support_plus.portal.pages import new_ticket_options, require_login

no_cache = 1


def get_context(context):
	serial_no = frappe.form_dict.get("serial_no")
	# A visitor comes back to the form for the same serial after logging in.
	require_login(
		quote("/support/new?" + urlencode({"serial_no": serial_no}), safe="/")
		if serial_no
		else "/support/new"
	)
	context.title = _("New Ticket")
	context.show_sidebar = True
	context.update(new_ticket_options())
	# "Open a ticket" on an equipment page: the form comes with that serial number.
	context.serial = new_ticket_serial(serial_no)
