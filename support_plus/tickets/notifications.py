"""Emails to the customer about their ticket, each from an editable Email Template with the portal link.

- acknowledgement: a new ticket from email or the portal gets its number and tracking link;
- status change: In Progress, Pending Parts, On Hold, Closed, Cancelled (Replied comes with the agent's
  reply, Resolved has its own email with the rating links, auto-close its own);
- assignment: who is handling the ticket;
- public reply: an agent's answer from "Reply to Customer" (support_plus.api.reply_to_customer);
- resolution: with one-click signed rating links (support_plus.tickets.rating).

Nobody is told about a change they made themselves. Every email but the acknowledgement carries Frappe's
signed "stop emails about this ticket" link (an Email Unsubscribe Frappe's queue honours), and a Contact
marked Unsubscribed gets none of them. Each kind can be switched off in Support Plus Settings.
"""

import frappe
from frappe import _
from frappe.email.doctype.email_template.email_template import get_email_template
from frappe.utils import get_fullname, get_url, validate_email_address

from support_plus.tickets import email_templates
from support_plus.tickets.lifecycle import (
	CANCELLED,
	CLOSED,
	DONE,
	IN_PROGRESS,
	ON_HOLD,
	PENDING_PARTS,
	RESOLVED,
)
from support_plus.tickets.rating import rating_links

STATUS_EMAIL = frozenset((IN_PROGRESS, PENDING_PARTS, ON_HOLD, CLOSED, CANCELLED))


def portal_link(ticket: str) -> str:
	"""The ticket's page on the customer portal, as a full URL for emails."""
	return get_url(f"/support/tickets/{ticket}")


def acknowledge(ticket: str, communication=None) -> bool:
	"""A new ticket's number and tracking link to whoever raised it (email channel and portal)."""
	if not _enabled("send_acknowledgement"):
		return False
	doc = frappe.get_doc("Issue", ticket)
	recipient = validate_email_address(doc.raised_by or "")
	return bool(recipient) and send_templated(
		[recipient], email_templates.ACKNOWLEDGEMENT, doc, portal_link=portal_link(doc.name)
	)


def on_status_change(doc, method=None) -> None:
	"""Issue `on_update`."""
	before = doc.get_doc_before_save()
	if not before or before.status == doc.status or doc.flags.support_plus_auto_closed:
		return
	if doc.status == RESOLVED:
		email_customer(
			doc,
			email_templates.RESOLVED,
			portal_link=portal_link(doc.name),
			rating_links=rating_links(doc.name),
		)
	elif doc.status in STATUS_EMAIL and _enabled("notify_customer_status_change"):
		email_customer(doc, email_templates.STATUS_CHANGED, portal_link=portal_link(doc.name))


def on_assignment(todo, method=None) -> None:
	"""ToDo `after_insert`: tell the customer who is handling their ticket."""
	if todo.reference_type != "Issue" or todo.status != "Open" or not todo.allocated_to:
		return
	if not _enabled("notify_customer_assignment"):
		return
	doc = todo.flags.reference_doc or frappe.get_doc("Issue", todo.reference_name)
	if doc.status in DONE or not doc.raised_by:
		return
	first_name = frappe.get_cached_value("User", todo.allocated_to, "first_name") or get_fullname(
		todo.allocated_to
	)
	email_customer(
		doc, email_templates.ASSIGNED, portal_link=portal_link(doc.name), assignee_first_name=first_name
	)


def email_customer(doc, template: str, communication: str | None = None, **context) -> bool:
	"""Email the ticket's customer (its sender) from an Email Template, with an unsubscribe link."""
	recipient = validate_email_address(doc.raised_by or "")
	if not recipient or recipient == frappe.session.user or _contact_unsubscribed(recipient):
		return False
	if not can_send_email():
		tell_not_emailed(doc.name, recipient)
		return False
	return send_templated(
		[recipient],
		template,
		doc,
		communication=communication,
		unsubscribe_message=_("Stop emails about this ticket"),
		**context,
	)


def send_templated(
	recipients: list[str],
	template: str,
	doc,
	communication: str | None = None,
	unsubscribe_message: str | None = None,
	**context,
) -> bool:
	"""Queue an email about a ticket from an Email Template. A site without an outgoing email account (or
	without the template) sends nothing: email never stops a ticket from being saved."""
	if not recipients or not frappe.db.exists("Email Template", template) or not can_send_email():
		return False
	email = get_email_template(template, {"doc": doc, **context})
	message_id = communication and frappe.db.get_value("Communication", communication, "message_id")
	frappe.sendmail(
		recipients=recipients,
		subject=email["subject"],
		message=email["message"],
		reference_doctype="Issue",
		reference_name=doc.name,
		communication=communication,
		message_id=message_id or None,
		unsubscribe_message=unsubscribe_message,
	)
	return True


def tell_not_emailed(ticket: str, recipient: str) -> None:
	"""Whoever made the change learns that the customer got no email (once per request): nothing is
	queued without an outgoing email account, and Frappe would only say so in the Error Log."""
	title = _("Not Emailed")
	if any(isinstance(m, dict) and m.get("title") == title for m in frappe.local.message_log):
		return
	frappe.msgprint(
		_(
			"{0} was not emailed about ticket {1}: this site has no outgoing email account. Set one up"
			" (Email Account with Enable Outgoing and Default Outgoing); the customer still sees the"
			" ticket on the portal."
		).format(frappe.bold(recipient), frappe.bold(ticket)),
		title=title,
		indicator="orange",
	)


def can_send_email() -> bool:
	return bool(
		frappe.db.exists("Email Account", {"enable_outgoing": 1, "default_outgoing": 1})
		or frappe.conf.get("mail_server")
	)


def _contact_unsubscribed(email_id: str) -> bool:
	"""Whether a Contact marked Unsubscribed has this address, as its primary or any other address."""
	contact = frappe.qb.DocType("Contact")
	contact_email = frappe.qb.DocType("Contact Email")
	return bool(
		frappe.qb.from_(contact)
		.left_join(contact_email)
		.on((contact_email.parent == contact.name) & (contact_email.parenttype == "Contact"))
		.select(contact.name)
		.where(
			(contact.unsubscribed == 1)
			& ((contact.email_id == email_id) | (contact_email.email_id == email_id))
		)
		.limit(1)
		.run()
	)


def _enabled(setting: str) -> bool:
	return bool(frappe.db.get_single_value("Support Plus Settings", setting))
