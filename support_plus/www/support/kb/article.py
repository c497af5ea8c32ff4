import frappe

from support_plus.kb.articles import get_article

no_cache = 1


def get_context(context):
	route = "kb/" + (frappe.form_dict.get("article") or "")
	try:
		context.article = get_article(route)
	except frappe.DoesNotExistError:
		raise frappe.PageDoesNotExistError
	except frappe.PermissionError:
		frappe.local.flags.redirect_location = f"/login?redirect-to=/support/{route}"
		raise frappe.Redirect
	context.title = context.article.title
	context.content = frappe.utils.html_utils.sanitize_html(context.article.content or "")
