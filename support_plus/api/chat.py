"""The chat widget's API (guests and logged-in customers): `support_plus.api.chat.<start|send|get>`.

A guest's conversation is reached with the `secret` that `start` returned; a logged-in customer's with
their session. Rate-limited per visitor address (conversations started) and per conversation (messages);
the limits are site config keys `support_plus_chat_starts_per_hour` (60) and
`support_plus_chat_messages_per_minute` (20).
"""

import frappe
from frappe.rate_limiter import rate_limit

from support_plus.api.arguments import required
from support_plus.channels import chat


def starts_per_hour() -> int:
	return int(frappe.conf.get("support_plus_chat_starts_per_hour") or 60)


def messages_per_minute() -> int:
	return int(frappe.conf.get("support_plus_chat_messages_per_minute") or 20)


@frappe.whitelist(allow_guest=True, methods=["POST"])
@rate_limit(limit=starts_per_hour, seconds=60 * 60)
def start(name: str | None = None, email: str | None = None) -> dict:
	"""A new conversation with the assistant: {"conversation", "secret" (guests: keep it), "messages"}."""
	return chat.start(name, email)


@frappe.whitelist(allow_guest=True, methods=["POST"])
@rate_limit(key="conversation", limit=messages_per_minute, seconds=60)
def send(conversation: str | None = None, text: str | None = None, secret: str | None = None) -> dict:
	"""The customer's message; the assistant's answers: {"status", "ticket", "messages": [{"text",
	"options", "link"}]} (none once a person has taken over: the message goes to the ticket)."""
	return chat.send(required(conversation, "conversation"), text, secret)


@frappe.whitelist(allow_guest=True, methods=["GET", "POST"])
def get(conversation: str | None = None, secret: str | None = None) -> dict:
	"""The conversation so far (the widget polls it for a person's replies): {"status", "ticket",
	"messages": [{"direction", "from", "text", "attachment", "sent_at", "delivery_status"}]}."""
	return chat.history(required(conversation, "conversation"), secret)
