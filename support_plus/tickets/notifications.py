"""Emails to the customer about their ticket, each from an editable Email Template with the portal link.

So far: the resolution email, with one-click signed rating links (support_plus.portal.rating)."""

import frappe
from frappe.email.doctype.email_template.email_template import get_email_template
from frappe.utils import validate_email_address

from support_plus.portal.rating import portal_link, rating_links
from support_plus.setup import email_templates
from support_plus.tickets.lifecycle import RESOLVED


def on_status_change(doc, method=None) -> None:
	"""Issue `on_update`."""
	before = doc.get_doc_before_save()
	if doc.status != RESOLVED or not before or before.status == RESOLVED:
		return
	email_customer(
		doc, email_templates.RESOLVED, portal_link=portal_link(doc.name), rating_links=rating_links(doc.name)
	)


def email_customer(doc, template: str, **context) -> None:
	"""Email the ticket's customer (its sender) from an Email Template."""
	recipient = validate_email_address(doc.raised_by or "")
	if recipient:
		send_templated([recipient], template, doc, **context)


def send_templated(recipients: list[str], template: str, doc, **context) -> bool:
	"""Queue an email about a ticket from an Email Template. A site without an outgoing email account (or
	without the template) sends nothing: email never stops a ticket from being saved."""
	if not recipients or not frappe.db.exists("Email Template", template) or not can_send_email():
		return False
	email = get_email_template(template, {"doc": doc, **context})
	frappe.sendmail(
		recipients=recipients,
		subject=email["subject"],
		message=email["message"],
		reference_doctype="Issue",
		reference_name=doc.name,
	)
	return True


def can_send_email() -> bool:
	return bool(
		frappe.db.exists("Email Account", {"enable_outgoing": 1, "default_outgoing": 1})
		or frappe.conf.get("mail_server")
	)
