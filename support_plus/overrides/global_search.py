"""`frappe.utils.global_search.search` (Frappe 15.44), the desk's search bar, with row rules applied.

Frappe's checks read on the doctype only (`get_can_read`), then answers from `__global_search`: a user
whose role reads a doctype under a row rule (a Sales User and the tickets of their projects,
support_plus/permissions/issue.py; a technician and their own tickets, profile, appointments and van
audits; User Permissions; shares) found every record's searchable text there. This one runs Frappe's
search and keeps the results the caller may read, asking `frappe.has_permission` on each document: the
same rules a form, a list and REST apply, in their one place.

A page may hold fewer than `limit` results; the desk asks the next one at `start + limit`, where
Frappe's own would start, so no result is skipped or repeated.
"""

import frappe
from frappe.utils import global_search


@frappe.whitelist()
def search(text: str, start: int = 0, limit: int = 20, doctype: str = "") -> list[dict]:
	results = global_search.search(text, start=start, limit=limit, doctype=doctype)
	return [row for row in results if _readable(row.doctype, row.name)]


def _readable(doctype: str, name: str) -> bool:
	try:
		return frappe.has_permission(doctype, "read", doc=name)
	except frappe.DoesNotExistError:
		# A deleted record whose search row is still queued for removal.
		frappe.clear_last_message()
		return False
