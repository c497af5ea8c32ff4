"""Messages to a customer's WhatsApp: agents' replies on a ticket whose customer wrote on WhatsApp
(channels/replies.py), and the ticket's status changes. Sent by a background job through the Graph API: free text within 24 hours
of the customer's last message (WhatsApp's customer service window), otherwise the approved template of
Support WhatsApp Settings with the text as its parameter. A failed send is kept as Failed with the reason
and tried again by the scheduler (`retry_failed`, every few minutes) up to MAX_ATTEMPTS times; the last
failure is noted on the ticket's timeline.
"""

from datetime import timedelta

import frappe
from frappe import _
from frappe.utils import now_datetime

from support_plus.channels import conversations
from support_plus.channels.whatsapp import graph

WINDOW = timedelta(hours=24)
MAX_ATTEMPTS = 4
QUEUED, SENT, FAILED = "Queued", "Sent", "Failed"
# Status changes a customer hears about on WhatsApp.
NOTIFY_STATUSES = ("In Progress", "Pending Customer", "Pending Parts", "Resolved", "Closed")


def send_text(conversation: str, text: str, *, sender: str | None = None, communication: str | None = None):
	"""Queue a message to the conversation's WhatsApp number; returns the stored message."""
	message = conversations.add_message(
		conversation,
		conversations.OUTBOUND,
		text,
		sender_type=conversations.AGENT if sender else conversations.ASSISTANT,
		sender=sender,
		delivery_status=QUEUED,
	)
	if communication:
		message.db_set("communication", communication, update_modified=False)
	frappe.enqueue(
		"support_plus.channels.whatsapp.outbound.deliver",
		queue="short",
		job_id=f"support_plus_whatsapp_send::{message.name}",
		deduplicate=True,
		enqueue_after_commit=True,
		message=message.name,
	)
	return message


def payload(conversation, text: str) -> dict:
	"""Free text inside the customer service window, the reply template outside it."""
	if conversation.last_inbound_at and now_datetime() - conversation.last_inbound_at <= WINDOW:
		return {"to": conversation.phone, "type": "text", "text": {"body": text, "preview_url": False}}
	conf = graph.settings()
	if not conf.reply_template:
		raise graph.GraphError(
			_("The customer last wrote more than 24 hours ago and no reply template is set.")
		)
	return {
		"to": conversation.phone,
		"type": "template",
		"template": {
			"name": conf.reply_template,
			"language": {"code": conf.template_language or "en"},
			"components": [{"type": "body", "parameters": [{"type": "text", "text": text}]}],
		},
	}


def deliver(message: str) -> None:
	"""Background job: send one queued (or failed, to retry) message; safe to run twice."""
	msg = frappe.get_doc(conversations.MESSAGE, message, for_update=True)
	if msg.external_id or msg.delivery_status not in (QUEUED, FAILED) or msg.attempts >= MAX_ATTEMPTS:
		return
	conversation = frappe.get_doc("Support Conversation", msg.conversation)
	try:
		external_id = graph.send(payload(conversation, msg.text or ""))
	except graph.GraphError as e:
		attempts = msg.attempts + 1
		msg.db_set({"delivery_status": FAILED, "error": str(e), "attempts": attempts}, update_modified=False)
		if attempts >= MAX_ATTEMPTS and conversation.issue:
			frappe.get_doc("Issue", conversation.issue).add_comment(
				"Info",
				_("WhatsApp message not sent after {0} attempts: {1}").format(attempts, e),
			)
		return
	msg.db_set(
		{"external_id": external_id, "delivery_status": SENT, "error": None, "attempts": msg.attempts + 1},
		update_modified=False,
	)


def retry_failed() -> None:
	"""Scheduler: queue the failed messages that have attempts left."""
	if not graph.enabled():
		return
	for name in frappe.get_all(
		conversations.MESSAGE,
		filters={
			"direction": conversations.OUTBOUND,
			"delivery_status": FAILED,
			"attempts": ("<", MAX_ATTEMPTS),
			"external_id": ("is", "not set"),
		},
		pluck="name",
		limit=500,
	):
		frappe.enqueue(
			"support_plus.channels.whatsapp.outbound.deliver",
			queue="short",
			job_id=f"support_plus_whatsapp_send::{name}",
			deduplicate=True,
			message=name,
		)


def _conversation_of(ticket: str) -> str | None:
	return frappe.db.get_value(
		"Support Conversation",
		{"issue": ticket, "channel": conversations.WHATSAPP, "status": ("!=", conversations.CLOSED)},
		"name",
		order_by="creation desc",
	)


def on_status_change(doc, method=None) -> None:
	"""Issue `on_update`: tell a WhatsApp customer their ticket's new status."""
	before = doc.get_doc_before_save()
	if not before or before.status == doc.status or doc.status not in NOTIFY_STATUSES:
		return
	if not graph.enabled() or not graph.settings().notify_status_changes:
		return
	conversation = _conversation_of(doc.name)
	if conversation:
		send_text(
			conversation, _("Your ticket {0} ({1}) is now: {2}.").format(doc.name, doc.subject, _(doc.status))
		)
