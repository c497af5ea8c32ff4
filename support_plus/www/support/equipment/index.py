import frappe
from frappe import _

from support_plus.portal.equipment import list_equipment
from support_plus.portal.pages import require_login

no_cache = 1


def get_context(context):
	require_login("/support/equipment")
	context.title = _("Your Equipment")
	context.show_sidebar = True
	context.q = frappe.form_dict.get("q") or ""
	context.update(list_equipment(context.q, frappe.utils.cint(frappe.form_dict.get("page")) or 1))
