import frappe
from frappe import _
from frappe.utils.verified_command import verify_request

from support_plus.portal.rating import feedback_token, record_rating

no_cache = 1


def get_context(context):
	"""A star link from the resolution email: signed, so it works without logging in."""
	context.title = _("Rate your support")
	context.recorded = False
	context.invalid = False
	if not verify_request():
		context.invalid = True
		return
	ticket, rating = frappe.form_dict.get("ticket"), frappe.form_dict.get("rating")
	doc = frappe.get_doc("Issue", ticket) if frappe.db.exists("Issue", ticket or "") else None
	if not doc:
		raise frappe.PageDoesNotExistError
	record_rating(doc, rating)
	frappe.db.commit()  # nosemgrep: a GET page; the rating must stick
	context.recorded = True
	context.ticket = doc.name
	context.rating = int(rating)
	context.token = feedback_token(doc.name)
