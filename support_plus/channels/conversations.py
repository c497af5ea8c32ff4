"""Conversations with customers on chat-like channels (web chat, WhatsApp, SMS): one model for all.

Why our own doctypes: Frappe's Communication is shaped for email (subject, recipients, no channel
message id, no delivery state) and neither Frappe, ERPNext nor Helpdesk has a chat channel. A **Support
Conversation** is the thread with one person on one channel; each **Support Conversation Message**
keeps the channel's own message id under a unique index (a message the channel delivers twice is stored
once, even when both deliveries arrive at the same moment) and its delivery state.

Once a conversation belongs to a ticket, each of its messages is also posted on the ticket as a
Communication (medium Chat, tickets/conversation.py's `post_message`): the ticket's timeline, the portal,
the SLA clocks (an agent's first reply) and the reopen rules see chat messages like any other message.
"""

import frappe
from frappe import _
from frappe.utils import get_fullname, now_datetime

from support_plus.tickets import conversation as ticket_conversation
from support_plus.tickets.lifecycle import DONE

WEB_CHAT, WHATSAPP, SMS = "Web Chat", "WhatsApp", "SMS"
OPEN, HANDED_OVER, CLOSED = "Open", "Handed Over", "Closed"
INBOUND, OUTBOUND = "Inbound", "Outbound"
CUSTOMER, ASSISTANT, AGENT = "Customer", "Assistant", "Agent"
MESSAGE = "Support Conversation Message"


def start(channel: str, **identity) -> "frappe.model.document.Document":
	"""A new conversation (identity: contact, customer, user, phone, guest_name, guest_email, visitor)."""
	return frappe.get_doc(
		{"doctype": "Support Conversation", "channel": channel, "status": OPEN, **identity}
	).insert(ignore_permissions=True)


def open_conversation(channel: str, **identity) -> str | None:
	"""The latest conversation on `channel` with this identity that is not closed."""
	return frappe.db.get_value(
		"Support Conversation",
		{"channel": channel, "status": ("!=", CLOSED), **identity},
		"name",
		order_by="creation desc",
	)


def add_message(
	conversation: str,
	direction: str,
	text: str | None,
	*,
	sender_type: str,
	sender: str | None = None,
	attachment: str | None = None,
	external_id: str | None = None,
	delivery_status: str | None = None,
	sent_at=None,
):
	"""Store a message of the conversation; None when the channel's `external_id` was seen before."""
	sent_at = sent_at or now_datetime()
	values = {
		"doctype": MESSAGE,
		"conversation": conversation,
		"direction": direction,
		"sender_type": sender_type,
		"sender": sender,
		"text": text,
		"attachment": attachment,
		"external_id": external_id or None,
		"delivery_status": delivery_status,
		"sent_at": sent_at,
	}
	if external_id and frappe.db.exists(MESSAGE, {"external_id": external_id}):
		return None
	frappe.db.savepoint("support_plus_message")
	try:
		message = frappe.get_doc(values).insert(ignore_permissions=True)
	except frappe.UniqueValidationError:
		# The same message delivered twice at the same moment: the other request stored it.
		frappe.db.rollback(save_point="support_plus_message")
		return None
	stamps = {"last_message_at": sent_at}
	if direction == INBOUND:
		stamps["last_inbound_at"] = sent_at
	frappe.db.set_value("Support Conversation", conversation, stamps, update_modified=False)
	return message


def active_ticket(ticket: str | None) -> str | None:
	if ticket and frappe.db.get_value("Issue", ticket, "status") not in (None, *DONE):
		return ticket
	return None


def link_ticket(conversation, ticket: str) -> None:
	"""The conversation belongs to `ticket` from now on. What was said before is the ticket's description:
	the assistant's answers are not posted as the team's replies (they would count as its first response)."""
	conversation.db_set("issue", ticket, update_modified=False)


def mirror(message, conversation=None) -> str | None:
	"""Post the message on its conversation's ticket as a Communication (once)."""
	conversation = conversation or frappe.get_doc("Support Conversation", message.conversation)
	if message.communication or not conversation.issue:
		return message.communication
	ticket = frappe.get_doc("Issue", conversation.issue)
	content = frappe.utils.escape_html(message.text or "").replace("\n", "<br>")
	if message.attachment:
		content += '<p><a href="{0}">{1}</a></p>'.format(message.attachment, _("Attachment"))
	inbound = message.direction == INBOUND
	sender = message.sender if message.sender and "@" in message.sender else None
	if inbound and not sender:
		sender = conversation.guest_email or conversation.user or _contact_email(conversation.contact)
	communication = ticket_conversation.post_message(
		ticket,
		content or _("(empty message)"),
		sender,
		sent=not inbound,
		medium="Chat",
		communication_date=message.sent_at,
		sender_full_name=identity_label(conversation)
		if inbound
		else (get_fullname(sender) if sender else _("Assistant")),
		phone_no=conversation.phone,
	)
	message.db_set("communication", communication.name, update_modified=False)
	return communication.name


def _contact_email(contact: str | None) -> str | None:
	return frappe.db.get_value("Contact", contact, "email_id") if contact else None


def identity_label(conversation) -> str:
	return (
		conversation.guest_name
		or conversation.guest_email
		or (f"{conversation.channel} +{conversation.phone}" if conversation.phone else None)
		or conversation.user
		or conversation.name
	)


def transcript(conversation: str) -> list[dict]:
	"""The conversation's messages, oldest first: [{"direction", "from", "text", "attachment", "sent_at",
	"delivery_status"}]."""
	return [
		{
			"direction": row.direction,
			"from": row.sender_type,
			"text": row.text or "",
			"attachment": row.attachment,
			"sent_at": row.sent_at,
			"delivery_status": row.delivery_status,
		}
		for row in frappe.get_all(
			MESSAGE,
			filters={"conversation": conversation},
			fields=["direction", "sender_type", "text", "attachment", "sent_at", "delivery_status"],
			order_by="sent_at asc, creation asc",
		)
	]
