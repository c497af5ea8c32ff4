"""Tickets are numbered by a naming series now; the Document Naming Rule the first builds made must go,
or it would still name Issues first."""

import frappe

from support_plus.tickets.numbering import sync_ticket_series


def execute():
	for name in frappe.get_all(
		"Document Naming Rule", filters={"document_type": "Issue", "priority": 100}, pluck="name"
	):
		frappe.delete_doc("Document Naming Rule", name, ignore_permissions=True, force=True)
	if frappe.db.get_single_value("Support Plus Settings", "ticket_prefix"):
		sync_ticket_series()
