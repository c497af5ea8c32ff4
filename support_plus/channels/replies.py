"""An agent's reply on a ticket reaches the customer where they are talking to us: in the chat window of
a web chat, on WhatsApp (sent through the Graph API)."""

import frappe
from frappe.utils import strip_html

from support_plus.channels import conversations
from support_plus.channels.whatsapp import graph, outbound


def on_reply(comm, method=None) -> None:
	"""Communication `after_insert`."""
	if (
		comm.communication_type != "Communication"
		or comm.sent_or_received != "Sent"
		or comm.reference_doctype != "Issue"
		or comm.communication_medium == "Chat"  # our own posts of chat messages
	):
		return
	text = strip_html(comm.content or "").strip()
	if not text:
		return
	for conv in frappe.get_all(
		"Support Conversation",
		filters={"issue": comm.reference_name, "status": ("!=", conversations.CLOSED)},
		fields=["name", "channel"],
	):
		if conv.channel == conversations.WEB_CHAT:
			message = conversations.add_message(
				conv.name, conversations.OUTBOUND, text, sender_type=conversations.AGENT, sender=comm.sender
			)
			message.db_set("communication", comm.name, update_modified=False)
		elif conv.channel == conversations.WHATSAPP and graph.enabled():
			outbound.send_text(conv.name, text, sender=comm.sender, communication=comm.name)
