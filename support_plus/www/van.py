import frappe
from frappe import _

from support_plus.parts.van_page import van_view
from support_plus.portal.pages import require_login

no_cache = 1


def get_context(context):
	require_login("/van")
	try:
		context.update(van_view(frappe.session.user))
	except frappe.DoesNotExistError:  # no technician profile or no van: nothing here
		# The answer is this user's: Frappe would otherwise cache the 404 for the URL, for everyone.
		frappe.local.no_cache = 1
		raise frappe.PageDoesNotExistError
	context.title = _("My Van")
	context.no_breadcrumbs = True
	context.parents = [{"route": "field", "title": _("My Visits")}]
