import frappe
from frappe import _
from frappe.utils.verified_command import verify_request

from support_plus.tickets.rating import choice_by_link, record_by_link

no_cache = 1


def get_context(context):
	"""A star link from the resolution email shows the choice (GET writes nothing: mail scanners open
	links); its form records it (POST). No login needed: the link's signature, then its token, prove it."""
	context.title = _("Rate your support")
	if frappe.request.method == "POST":
		context.update(record_by_link(frappe.form_dict))
	elif verify_request():
		context.update(choice_by_link(frappe.form_dict.get("ticket"), frappe.form_dict.get("rating")))
	else:
		context.invalid = True
