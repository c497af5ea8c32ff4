"""The numbers of the "My Work" workspace (its Number Cards are made by support_plus.setup.my_work).

Each card is a Custom Number Card: the desk fills the current user into the card's filters (its dynamic
filters, `frappe.session.user`) and asks `count` for the number, read with the user's permissions (a
technician counts only the tickets the ticket row rule gives them), and for the list the card opens on
click: the same filters, the user's included. Frappe's "Document Type" card counted with the user but opened
the list with the card's static filters only (Frappe 15 `number_card_widget.js` `set_route`), so "In
Progress" showed every ticket in progress the user could read, not the user's own.
"""

import frappe
from frappe import _
from frappe.desk.doctype.number_card.number_card import get_result

# The doctypes My Work's cards count.
DOCTYPES = frozenset(("Issue", "ToDo"))


def count(filters: str | list) -> dict:
	"""{"value": how many, "fieldtype": "Int", "route", "route_options"} for the card's `filters`, a list of
	[doctype, field, operator, value] on one doctype of DOCTYPES, read as the session user."""
	filters = frappe.parse_json(filters) if isinstance(filters, str) else filters
	if not isinstance(filters, list) or not all(isinstance(f, list) and len(f) == 4 for f in filters):
		frappe.throw(_("A card's filters are a list of [doctype, field, operator, value]."))
	doctypes = {f[0] for f in filters}
	if len(doctypes) != 1 or not doctypes <= DOCTYPES:
		frappe.throw(_("My Work counts tickets and assignments only."), frappe.PermissionError)
	doctype = doctypes.pop()
	frappe.has_permission(doctype, "read", throw=True)
	# As Frappe's card routes its static filters: the list view reads "Doctype.field": [operator, value].
	route_options = {f"{f[0]}.{f[1]}": [f[2], f[3]] for f in filters}
	return {
		# Frappe's own count of a Document Type card (get_list: the user's permissions).
		"value": int(get_result({"function": "Count", "document_type": doctype}, filters)),
		"fieldtype": "Int",
		"route": ["List", doctype],
		"route_options": route_options,
	}
