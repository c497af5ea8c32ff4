"""An agent's public reply: a message on the ticket's conversation (the customer sees it on the portal)
that reaches the customer by email from the "Reply to Customer" Email Template, threaded under the
customer's last message (In-Reply-To/References: support_plus.email_channel.thread_headers).

Frappe's email composer stays available for free-form email; it threads the same way. Either way, an
answer to the customer makes an Open ticket Replied (`mark_replied`, the one rule for it)."""

from email.utils import getaddresses, parseaddr

import frappe
from frappe import _
from frappe.email.email_body import get_message_id
from frappe.utils import get_string_between, sanitize_html, strip_html

from support_plus.tickets import email_templates
from support_plus.tickets.conversation import conversation_query, post_message
from support_plus.tickets.lifecycle import FINAL, OPEN, REPLIED
from support_plus.tickets.notifications import email_customer, portal_link


def reply_to_customer(issue: str, message: str) -> str:
	"""Post and email a public reply; an Open ticket becomes Replied (`mark_replied`, as for any reply to
	the customer). Returns the Communication's name."""
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
	return comm.name  # the message made an Open ticket Replied (mark_replied)


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


def mark_replied(comm, method=None) -> None:
	"""Communication `on_update` (after Frappe's and ERPNext's), when the message is new: the team's answer
	to the customer makes an Open ticket Replied, however it was written ("Reply to Customer", the desk's
	email composer, a script)."""
	if not comm.flags.in_insert or not is_reply_to_customer(comm):
		return
	doc = frappe.get_doc("Issue", comm.reference_name)
	if doc.status == OPEN:
		doc.status = REPLIED
		doc.save(ignore_permissions=True)  # whoever posted the message was allowed to write it on the ticket


def is_reply_to_customer(comm) -> bool:
	"""A person of the team writing to the ticket's customer: a sent message of the ticket's conversation
	(not a Notification's "Automated Message", not a bounce or auto-reply marked `is_automated`, not the
	chat's own copy of a chat message), from a desk user, to the address the ticket was raised by or one of
	its contact's; on a ticket whose customer talks on WhatsApp or SMS, any such message reaches them
	(support_plus.channels.replies). A mail from the ticket to a supplier or a colleague is no reply."""
	if (
		comm.reference_doctype != "Issue"
		or not comm.reference_name
		or comm.communication_type != "Communication"
		or comm.sent_or_received != "Sent"
		or comm.get("is_automated")
		or comm.communication_medium == "Chat"
		or not _from_staff(comm.sender)
	):
		return False
	if chat_reachable(comm.reference_name):
		return True
	to = {address.lower() for _name, address in getaddresses([comm.recipients or "", comm.cc or ""])}
	return bool(to & customer_addresses(comm.reference_name))


def customer_addresses(ticket: str) -> set[str]:
	"""The ticket's sender and every address of its contact, lower-cased."""
	raised_by, contact = frappe.db.get_value("Issue", ticket, ["raised_by", "contact"]) or (None, None)
	addresses = {parseaddr(raised_by or "")[1]}
	if contact:
		addresses.update(
			frappe.get_all(
				"Contact Email", filters={"parent": contact, "parenttype": "Contact"}, pluck="email_id"
			)
		)
	return {address.lower() for address in addresses if address}


def _from_staff(sender: str | None) -> bool:
	address = parseaddr(sender or "")[1]
	user = address and (frappe.db.exists("User", address) or frappe.db.get_value("User", {"email": address}))
	return bool(user) and frappe.get_cached_value("User", user, "user_type") == "System User"
