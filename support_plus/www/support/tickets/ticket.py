import frappe

from support_plus.portal.pages import require_login, ticket_view

no_cache = 1


def get_context(context):
	name = frappe.form_dict.get("ticket") or ""
	require_login(f"/support/tickets/{name}")
	context.update(ticket_view(name))
	context.title = f"{context.ticket.name} · {context.ticket.subject}"  # text: support_page.html escapes it
	context.show_sidebar = True
