"""In-Reply-To and References on every email sent about a ticket, so that Outlook, Gmail and Apple Mail
keep the whole ticket in one conversation.

Frappe gives each sent email its own Message-ID (stored on the Communication and the Email Queue) but sets
no In-Reply-To when an agent replies from the desk, and never References: mail clients then start a new
thread per reply. `add_thread_headers` (Email Queue `before_insert`) adds both to the queued message:
In-Reply-To is the message the agent answered (the composer's "in reply to"), else the ticket's latest
message; References is the ticket's first message followed by its latest ones (RFC 5322 3.6.4).
"""

import re

import frappe

from support_plus.tickets.conversation import conversation_query

MAX_REFERENCES = 10
HEADER_END = re.compile(r"\r?\n\r?\n")


def add_thread_headers(queue, method=None) -> None:
	"""Email Queue `before_insert`."""
	if queue.reference_doctype != "Issue" or not queue.reference_name or not queue.message:
		return
	head_end = HEADER_END.search(queue.message)
	head = queue.message[: head_end.start()] if head_end else queue.message
	if re.search(r"^(In-Reply-To|References):", head, flags=re.IGNORECASE | re.MULTILINE):
		return  # the sender chose them
	thread = thread_message_ids(queue.reference_name, exclude=queue.message_id)
	if not thread:
		return
	parent = answered_message_id(queue.communication) or thread[-1]
	references = [thread[0], *[i for i in thread[-(MAX_REFERENCES - 1) :] if i != thread[0]]]
	if parent not in references:
		references.append(parent)
	queue.message = (
		f"In-Reply-To: <{parent}>\nReferences: " + "\n ".join(f"<{i}>" for i in references) + "\n"
	) + queue.message


def thread_message_ids(ticket: str, exclude: str | None = None) -> list[str]:
	"""Message-IDs of the ticket's emails, oldest first (sent and received; automated ones excluded)."""
	comm = frappe.qb.DocType("Communication")
	query = (
		conversation_query(ticket)
		.select(comm.message_id)
		.where((comm.communication_medium == "Email") & comm.message_id.isnotnull() & (comm.message_id != ""))
	)
	if exclude:
		query = query.where(comm.message_id != exclude)
	return [clean(i) for i in query.run(pluck=True) if clean(i)]


def answered_message_id(communication: str | None) -> str | None:
	"""The Message-ID of the message a sent Communication answers (Frappe's composer sets `in_reply_to`)."""
	if not communication:
		return None
	answered = frappe.db.get_value("Communication", communication, "in_reply_to")
	return clean(frappe.db.get_value("Communication", answered, "message_id")) if answered else None


def clean(message_id: str | None) -> str:
	"""A bare Message-ID: no angle brackets, no whitespace, nothing that could break a header."""
	return re.sub(r"[<>\s]", "", message_id or "")
