"""API v1 chatbot: `/api/method/support_plus.api.v1.chatbot.<start|send|get>` (seed 002's
`chatbot/conversations` and `chatbot/messages`), the chat widget's conversations for integrators."""

import frappe
from frappe.rate_limiter import rate_limit

from support_plus.api.chat import messages_per_minute, starts_per_hour
from support_plus.api.v1 import params, shapes
from support_plus.channels import chat


def _message(row: dict) -> dict:
	return {
		"direction": row.get("direction") or "Outbound",
		"from": row.get("from") or "Assistant",
		"text": row.get("text") or "",
		"options": row.get("options") or [],
		"link": row.get("link"),
		"sent_at": shapes.timestamp(row.get("sent_at")),
	}


@frappe.whitelist(allow_guest=True, methods=["POST"])
@rate_limit(limit=starts_per_hour, seconds=60 * 60)
def start(name: str | None = None, email: str | None = None) -> dict:
	"""Start a conversation: {"id", "secret" (guests), "status", "messages"}."""
	started = chat.start(params.text(name, "name"), params.text(email, "email"))
	return {
		"id": started["conversation"],
		"secret": started["secret"],
		"status": "Open",
		"messages": [_message(m) for m in started["messages"]],
	}


@frappe.whitelist(allow_guest=True, methods=["POST"])
@rate_limit(key="id", limit=messages_per_minute, seconds=60)
def send(id: str | None = None, text: str | None = None, secret: str | None = None) -> dict:
	"""Send a message: {"id", "status", "ticket", "messages": the assistant's answers}."""
	answer = chat.send(
		params.text(id, "id", required=True),
		params.text(text, "text", required=True),
		params.text(secret, "secret"),
	)
	return {
		"id": id,
		"status": answer["status"],
		"ticket": answer["ticket"],
		"messages": [_message(m) for m in answer["messages"]],
	}


@frappe.whitelist(allow_guest=True, methods=["GET"])
def get(id: str | None = None, secret: str | None = None) -> dict:
	"""The conversation's history: {"id", "status", "ticket", "messages"}."""
	history = chat.history(params.text(id, "id", required=True), params.text(secret, "secret"))
	return {
		"id": id,
		"status": history["status"],
		"ticket": history["ticket"],
		"messages": [_message(m) for m in history["messages"]],
	}
