"""An agent's public reply: a message on the ticket's conversation (the customer sees it on the portal)
that reaches the customer by email from the "Reply to Customer" Email Template, threaded under the
customer's last message (In-Reply-To/References: support_plus.email_channel.thread_headers).

Frappe's email composer stays available for free-form email; it threads the same way."""

from email.utils import parseaddr

import frappe
from frappe import _
from frappe.email.email_body import get_message_id
from frappe.utils import get_string_between, sanitize_html, strip_html

from support_plus.tickets import email_templates
from support_plus.tickets.conversation import conversation_query, post_message
from support_plus.tickets.lifecycle import FINAL, OPEN, REPLIED
from support_plus.tickets.notifications import email_customer, portal_link


def reply_to_customer(issue: str, message: str) -> str:
	"""Post and email a public reply; an Open ticket becomes Replied. Returns the Communication's name."""
	doc = frappe.get_doc("Issue", issue)
	doc.check_permission("write")
	if frappe.get_cached_value("User", frappe.session.user, "user_type") != "System User":
		frappe.throw(_("Only support staff reply to customers."), frappe.PermissionError)
	if doc.status in FINAL:
		frappe.throw(_("Ticket {0} is {1}: reopen it first.").format(frappe.bold(doc.name), _(doc.status)))
	require_customer_address(doc)
	message = sanitize_html(message or "")
	if not strip_html(message).strip():
		frappe.throw(_("Write a reply."), frappe.MandatoryError)
	comm = post_message(  # write permission on the ticket checked above
		doc,
		message,
		frappe.session.user,
		sent=True,
		recipients=doc.raised_by,
		in_reply_to=last_customer_message(doc.name),
		message_id=get_string_between("<", get_message_id(), ">"),
	)
	email_customer(
		doc,
		email_templates.PUBLIC_REPLY,
		communication=comm.name,
		reply=message,
		agent_name=comm.sender_full_name,
		portal_link=portal_link(doc.name),
	)
	if doc.status == OPEN:
		doc.reload()
		doc.status = REPLIED
		doc.save()
	return comm.name


def require_customer_address(doc) -> None:
	"""A reply goes to the ticket's sender: refuse one that would reach nobody, or a colleague instead of
	the customer (a phone ticket typed without a contact is raised by the agent who took the call). A
	ticket with an open WhatsApp or SMS conversation reaches its customer there (support_plus.channels)."""
	if chat_reachable(doc.name):
		return
	address = parseaddr(doc.raised_by or "")[1]
	staff = address and frappe.db.get_value("User", {"email": address, "user_type": "System User"})
	if not address or (staff and not doc.contact):
		frappe.throw(
			_("Ticket {0} has no customer email to reply to: link the customer's contact first.").format(
				frappe.bold(doc.name)
			)
		)


def chat_reachable(ticket: str) -> bool:
	return bool(
		frappe.db.exists(
			"Support Conversation",
			{"issue": ticket, "channel": ("in", ("WhatsApp", "SMS")), "status": ("!=", "Closed")},
		)
	)


def last_customer_message(ticket: str) -> str | None:
	comm = frappe.qb.DocType("Communication")
	rows = (conversation_query(ticket).select(comm.name).where(comm.sent_or_received == "Received")).run(
		pluck=True
	)
	return rows[-1] if rows else None
