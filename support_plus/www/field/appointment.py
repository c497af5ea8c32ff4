import frappe
from frappe import _

from support_plus.dispatch.field import appointment_view
from support_plus.portal.pages import require_login

no_cache = 1


def get_context(context):
	name = frappe.form_dict.get("appointment") or ""
	require_login(f"/field/{name}")
	try:
		context.update(appointment_view(name, frappe.session.user))
	except frappe.DoesNotExistError:  # another technician's, or no profile: not found
		# The answer is this user's: Frappe would otherwise cache the 404 for the URL, for everyone.
		frappe.local.no_cache = 1
		raise frappe.PageDoesNotExistError
	context.title = f"{context.appointment.name} · {context.appointment.customer or ''}"
	context.no_breadcrumbs = True
	context.parents = [{"route": "field", "title": _("My Visits")}]
