import frappe
from frappe import _

from support_plus.kb.articles import search

no_cache = 1


def get_context(context):
	context.title = _("Knowledge Base")
	context.q = frappe.form_dict.get("q") or ""
	context.results = search(context.q, 20) if context.q else []
