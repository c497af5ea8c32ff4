"""Web chat: the widget's conversations, for guests and logged-in customers, and who may use them.

A logged-in customer's conversation belongs to their user. A guest's belongs to whoever holds its secret
(a random token given once, by `start`, and kept by the widget in the browser): without it, a guest's
conversation answers like a missing one. Every message the customer types is stored before the assistant
answers; once a person has taken over, the customer's messages go to the ticket instead.
"""

import hmac

import frappe
from frappe import _
from frappe.utils import validate_email_address

from support_plus.channels import conversations
from support_plus.channels.assistant import engine

MAX_TEXT = 2000


def start(name: str | None = None, email: str | None = None) -> dict:
	user = frappe.session.user
	if user != "Guest":
		identity = {"user": user, "guest_name": frappe.utils.get_fullname(user), "guest_email": user}
	else:
		email = (email or "").strip() or None
		if email and not validate_email_address(email):
			frappe.throw(_("{0} is not an email address.").format(frappe.bold(email)))
		identity = {"guest_name": (name or "").strip()[:140] or None, "guest_email": email}
	conv = conversations.start(conversations.WEB_CHAT, secret=frappe.generate_hash(length=32), **identity)
	replies = _say(conv, engine.greeting(conv))
	return {
		"conversation": conv.name,
		"secret": conv.secret if user == "Guest" else None,
		"messages": replies,
	}


def own(conversation: str, secret: str | None = None):
	"""The caller's web chat conversation; someone else's answers like a missing one (404)."""
	conv = None
	if conversation and frappe.db.exists("Support Conversation", conversation):
		conv = frappe.get_doc("Support Conversation", conversation)
	user = frappe.session.user
	mine = (
		bool(conv)
		and conv.channel == conversations.WEB_CHAT
		and (
			(user != "Guest" and conv.user == user)
			or (not conv.user and bool(secret) and hmac.compare_digest(conv.secret or "", secret))
		)
	)
	if not mine:
		frappe.throw(_("Conversation {0} not found.").format(conversation), frappe.DoesNotExistError)
	return conv


def send(conversation: str, text: str, secret: str | None = None) -> dict:
	conv = own(conversation, secret)
	text = (text or "").strip()
	if not text:
		frappe.throw(_("Write a message."))
	if len(text) > MAX_TEXT:
		frappe.throw(_("Messages are at most {0} characters.").format(MAX_TEXT))
	if conv.status == conversations.CLOSED:
		frappe.throw(_("This conversation is closed: start a new one."))
	message = conversations.add_message(
		conv.name, conversations.INBOUND, text, sender_type=conversations.CUSTOMER, sender=conv.guest_email
	)
	if conv.status == conversations.HANDED_OVER and conversations.active_ticket(conv.issue):
		conversations.mirror(message, conv)
		return {"status": conv.status, "ticket": conv.issue, "messages": []}
	if conv.status == conversations.HANDED_OVER:  # its ticket was closed meanwhile: the assistant again
		conv.db_set("status", conversations.OPEN, update_modified=False)
	replies = _say(conv, engine.respond(conv, text))
	conv.reload()
	return {"status": conv.status, "ticket": conv.issue, "messages": replies}


def history(conversation: str, secret: str | None = None) -> dict:
	conv = own(conversation, secret)
	return {"status": conv.status, "ticket": conv.issue, "messages": conversations.transcript(conv.name)}


def _say(conv, replies: list[dict]) -> list[dict]:
	"""Store the assistant's answers (a link as its URL on its own line) and return them."""
	for reply in replies:
		text = reply["text"]
		if reply.get("link"):
			text += "\n" + reply["link"]["url"]
		conversations.add_message(
			conv.name, conversations.OUTBOUND, text, sender_type=conversations.ASSISTANT
		)
	return replies
