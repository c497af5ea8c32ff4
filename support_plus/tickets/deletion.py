"""Deleting a ticket takes its support_plus records with it.

Frappe refuses to delete a document that others link to. A ticket's follow-ups (Issue Follow Up) and
escalations (Issue Escalation) belong to it, so they go with it: Issue `on_trash` runs after Frappe has
checked that the user may delete the ticket (Support Manager, System Manager) and before its link check.
A ticket opened by a message on this one (`previous_issue`) is the customer's own request: it stays, its
link cleared. Frappe removes the ticket's comments, assignments and attachments itself.
"""

import frappe

OWN_RECORDS = ("Issue Follow Up", "Issue Escalation")


def delete_ticket_records(doc, method=None) -> None:
	"""Issue `on_trash`."""
	for doctype in OWN_RECORDS:
		frappe.db.delete(doctype, {"issue": doc.name})
	issue = frappe.qb.DocType("Issue")
	frappe.qb.update(issue).set(issue.previous_issue, None).where(issue.previous_issue == doc.name).run()
