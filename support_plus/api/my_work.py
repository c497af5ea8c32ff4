"""The "My Work" workspace's cards (support_plus.dispatch.my_work)."""

import frappe

from support_plus.api.arguments import json_filters, required
from support_plus.dispatch import my_work


# Reads only; the desk's number card widget posts (frappe.xcall).
@frappe.whitelist(methods=["POST"])
def card(filters: str | list | None = None) -> dict:
	"""A My Work card's number for the session user, with the list it opens: {"value", "fieldtype",
	"route", "route_options"}. Only tickets and assignments, read with the user's permissions."""
	return my_work.count(json_filters(required(filters, "filters")))
