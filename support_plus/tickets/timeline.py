"""Notes the system writes on a ticket's timeline (an Info comment), without loading the ticket.

The caller has checked the change the note is part of; the note itself is inserted without permissions.
"""

import frappe


def add_info(issue: str, text: str, **fields) -> None:
	"""An Info comment on ticket `issue` with HTML `text` (escape what users wrote); `fields`: more of the
	Comment's fields (e.g. reference_owner, comment_email)."""
	frappe.get_doc(
		{
			"doctype": "Comment",
			"comment_type": "Info",
			"reference_doctype": "Issue",
			"reference_name": issue,
			"content": text,
			**fields,
		}
	).insert(ignore_permissions=True)
