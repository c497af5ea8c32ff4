"""Install/migrate: the editable emails (support_plus.tickets.email_templates), created once and never
overwritten: a site's edits are kept across migrations."""

import frappe

from support_plus.tickets.email_templates import TEMPLATES


def ensure_email_templates() -> None:
	"""Install/migrate."""
	for name, (subject, html) in TEMPLATES.items():
		if not frappe.db.exists("Email Template", name):
			frappe.get_doc(
				{
					"doctype": "Email Template",
					"name": name,
					"subject": subject,
					"use_html": 1,
					"response_html": html,
				}
			).insert(ignore_permissions=True)
