"""What a WhatsApp notification becomes: messages stored on the sender's conversation, then (in a
background job) posted on the customer's open ticket or a new one, with their media downloaded as
private attachments; delivery statuses recorded on the messages we sent.

The customer is found by the Contact whose phone or mobile number is the sender's WhatsApp number
(tickets/callers.py: digits compared, the last 9). Someone not on file gets a ticket too, named by the
WhatsApp profile name. The request stores; the job (one per conversation, deduplicated) does the rest,
under a lock on the conversation so two messages arriving at once make one ticket, not two.
"""

import json
from datetime import datetime

import frappe
from frappe import _
from frappe.utils import cint, strip_html
from frappe.utils.file_manager import save_file

from support_plus.channels import conversations
from support_plus.channels.assistant import engine, intents
from support_plus.channels.whatsapp import graph, outbound
from support_plus.tickets import callers

# Questions the assistant answers on WhatsApp instead of opening a ticket.
ANSWERED_BY_ASSISTANT = (intents.STATUS, intents.MY_TICKETS, intents.HOURS)
MEDIA_TYPES = ("image", "document", "audio", "video", "sticker")
STATUSES = {"sent": "Sent", "delivered": "Delivered", "read": "Read", "failed": "Failed"}
# A delivery status never goes back (Meta's notifications may arrive out of order).
STATUS_ORDER = ("Queued", "Sent", "Delivered", "Read")


def receive(payload: dict) -> dict:
	"""Store the notification's messages and statuses; {"messages": stored, "duplicates", "statuses"}."""
	counts = {"messages": 0, "duplicates": 0, "statuses": 0}
	to_process = set()
	for entry in payload.get("entry") or []:
		for change in (entry or {}).get("changes") or []:
			value = (change or {}).get("value") or {}
			names = {
				c.get("wa_id"): (c.get("profile") or {}).get("name") for c in value.get("contacts") or []
			}
			for message in value.get("messages") or []:
				conversation = store(message, names.get(message.get("from")))
				if conversation:
					counts["messages"] += 1
					to_process.add(conversation)
				else:
					counts["duplicates"] += 1
			for status in value.get("statuses") or []:
				counts["statuses"] += record_status(status)
	for conversation in to_process:
		frappe.enqueue(
			"support_plus.channels.whatsapp.inbound.process",
			queue="short",
			job_id=f"support_plus_whatsapp::{conversation}",
			deduplicate=True,
			enqueue_after_commit=True,
			conversation=conversation,
		)
	return counts


def store(message: dict, profile_name: str | None) -> str | None:
	"""The message on its sender's conversation; the conversation's name, None for a duplicate."""
	external_id, phone = message.get("id"), callers.digits(message.get("from"))
	if not external_id or not phone:
		return None
	if frappe.db.exists(conversations.MESSAGE, {"external_id": external_id}):
		return None
	name = conversations.open_conversation(conversations.WHATSAPP, phone=phone) or _new_conversation(
		phone, profile_name
	)
	kind = message.get("type")
	text = _text(message, kind)
	stored = conversations.add_message(
		name,
		conversations.INBOUND,
		text,
		sender_type=conversations.CUSTOMER,
		external_id=external_id,
		delivery_status="Received",
		sent_at=_time(message.get("timestamp")),
	)
	if stored and kind in MEDIA_TYPES:
		stored.db_set("media_id", (message.get(kind) or {}).get("id"), update_modified=False)
	return name if stored else None


def _new_conversation(phone: str, profile_name: str | None) -> str:
	contact = _contact_for(phone)
	customer = (callers.contact_customers([contact]).get(contact) or [None])[0] if contact else None
	return conversations.start(
		conversations.WHATSAPP,
		phone=phone,
		contact=contact,
		customer=customer,
		guest_name=profile_name
		or (frappe.db.get_value("Contact", contact, "full_name") if contact else None),
	).name


def _contact_for(phone: str) -> str | None:
	try:
		found = callers.find_contacts(phone)
	except frappe.ValidationError:  # too few digits to be anyone's number
		return None
	return found[0]["contact"] if found else None


def _text(message: dict, kind: str | None) -> str:
	if kind == "text":
		return (message.get("text") or {}).get("body") or ""
	if kind in MEDIA_TYPES:
		media = message.get(kind) or {}
		return media.get("caption") or media.get("filename") or _("({0})").format(kind)
	if kind == "interactive":
		reply = message.get("interactive") or {}
		chosen = reply.get("button_reply") or reply.get("list_reply") or {}
		return chosen.get("title") or ""
	if kind == "button":
		return (message.get("button") or {}).get("text") or ""
	if kind == "location":
		place = message.get("location") or {}
		return _("Location: {0}, {1}").format(place.get("latitude"), place.get("longitude"))
	return _("(a {0} message)").format(kind or _("blank"))


def _time(timestamp) -> datetime:
	"""Meta's Unix seconds as a site datetime."""
	if not cint(timestamp):
		return frappe.utils.now_datetime()
	return frappe.utils.convert_utc_to_system_timezone(datetime.utcfromtimestamp(cint(timestamp))).replace(
		tzinfo=None
	)


def record_status(status: dict) -> int:
	"""A delivery status of a message we sent; a failure is noted on the ticket."""
	name = frappe.db.get_value(
		conversations.MESSAGE,
		{"external_id": status.get("id")},
		["name", "delivery_status", "conversation"],
		as_dict=True,
	)
	new = STATUSES.get(status.get("status"))
	if not name or not new:
		return 0
	if new != "Failed" and name.delivery_status in STATUS_ORDER and new in STATUS_ORDER:
		if STATUS_ORDER.index(new) <= STATUS_ORDER.index(name.delivery_status):
			return 0
	values = {"delivery_status": new}
	if new == "Failed":
		errors = status.get("errors") or [{}]
		values["error"] = "; ".join(str(e.get("title") or e.get("message") or e.get("code")) for e in errors)
		ticket = frappe.db.get_value("Support Conversation", name.conversation, "issue")
		if ticket:
			frappe.get_doc("Issue", ticket).add_comment(
				"Info", _("WhatsApp could not deliver a message to the customer: {0}").format(values["error"])
			)
	frappe.db.set_value(conversations.MESSAGE, name.name, values, update_modified=False)
	return 1


def process(conversation: str) -> None:
	"""Background job: the conversation's unposted inbound messages go to its ticket (the customer's
	open ticket, or a new one), media downloaded first. One bad message is logged and skipped."""
	conv = frappe.get_doc("Support Conversation", conversation, for_update=True)
	pending = frappe.get_all(
		conversations.MESSAGE,
		filters={
			"conversation": conversation,
			"direction": conversations.INBOUND,
			"communication": ("is", "not set"),
			"answered": 0,
		},
		pluck="name",
		order_by="sent_at asc, creation asc",
	)
	pending = [name for name in pending if not _assistant_answers(conv, name)]
	if not pending:
		return
	if not conversations.active_ticket(conv.issue):
		ticket = _open_ticket_of(conv) or _new_ticket(conv, frappe.get_doc(conversations.MESSAGE, pending[0]))
		conv.db_set("issue", ticket, update_modified=False)
	for name in pending:
		frappe.db.savepoint("support_plus_whatsapp_message")
		try:
			message = frappe.get_doc(conversations.MESSAGE, name)
			_download_media(message, conv)
			conversations.mirror(message, conv)
		except Exception:
			frappe.db.rollback(save_point="support_plus_whatsapp_message")
			frappe.log_error(title=_("WhatsApp message {0} not posted").format(name))


def _assistant_answers(conv, message: str) -> bool:
	"""A question the assistant answers without a ticket (status, my tickets, support hours), asked
	while the customer has no open ticket: answered on WhatsApp, and no ticket is opened for it."""
	if conversations.active_ticket(conv.issue) or conv.status == conversations.HANDED_OVER:
		return False
	text = frappe.db.get_value(conversations.MESSAGE, message, "text") or ""
	if intents.classify(text) not in ANSWERED_BY_ASSISTANT and not json.loads(conv.assistant_state or "{}"):
		return False
	for reply in engine.respond(conv, text):
		body = reply["text"] + (
			f"\n{frappe.utils.get_url(reply['link']['url'])}" if reply.get("link") else ""
		)
		outbound.send_text(conv.name, body)
	frappe.db.set_value(conversations.MESSAGE, message, "answered", 1, update_modified=False)
	conv.reload()
	return True


def _open_ticket_of(conv) -> str | None:
	if not conv.contact:
		return None
	from support_plus.tickets.lifecycle import ACTIVE

	return frappe.db.get_value(
		"Issue", {"contact": conv.contact, "status": ("in", list(ACTIVE))}, "name", order_by="modified desc"
	)


def _new_ticket(conv, first) -> str:
	text = strip_html(first.text or "").strip()
	subject = (text.splitlines() or [""])[0][:120] or _("WhatsApp message from {0}").format(
		conversations.identity_label(conv)
	)
	doc = frappe.get_doc(
		{
			"doctype": "Issue",
			"subject": subject,
			"description": frappe.utils.escape_html(text),
			"channel": "WhatsApp",
			"contact": conv.contact,
			"customer": conv.customer,
			"raised_by": conversations._contact_email(conv.contact),
			"contact_phone": "+" + conv.phone,
		}
	)
	doc.flags.support_plus_whatsapp = True
	doc.insert(ignore_permissions=True)
	return doc.name


def _download_media(message, conv) -> None:
	media_id = message.media_id
	if not media_id or message.attachment:
		return
	limit = (cint(graph.settings().max_media_mb) or 16) * 1024 * 1024
	try:
		info = graph.media_info(media_id)
		if cint(info.get("file_size")) > limit:
			raise graph.GraphError(_("The file is larger than {0} MB.").format(limit // (1024 * 1024)))
		content = graph.download(info["url"], limit)
	except (graph.GraphError, KeyError) as e:
		note = _("(attachment not downloaded: {0})").format(e)
		message.db_set({"media_id": None, "text": f"{message.text or ''}\n{note}"}, update_modified=False)
		return
	extension = (info.get("mime_type") or "application/octet-stream").split("/")[-1].split(";")[0]
	file = save_file(f"whatsapp-{media_id}.{extension}", content, "Issue", conv.issue, is_private=1)
	message.db_set({"attachment": file.file_url, "media_id": None}, update_modified=False)
