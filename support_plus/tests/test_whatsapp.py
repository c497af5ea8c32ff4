"""WhatsApp over real HTTP: Meta's webhook (verification, signatures, messages, media, statuses) posted to
the running test server, and the messages we send going to a local stand-in for the Graph API
(tests/graph_stand_in.py), never the internet. The background jobs the webhook queues are run here by
calling them, as a worker would."""

import json
import time
from datetime import timedelta

import requests

import frappe
from frappe.utils import now_datetime
from frappe.utils.password import set_encrypted_password

from support_plus.channels import conversations
from support_plus.channels.whatsapp import inbound, outbound
from support_plus.channels.whatsapp.webhook import signature
from support_plus.tests.graph_stand_in import GraphStandIn
from support_plus.tests.http import SiteServer
from support_plus.tests.utils import AGENT, SupportTestCase, make_customer

WEBHOOK = "/api/method/support_plus.channels.whatsapp.webhook.webhook"
SECRET, VERIFY = "app-secret-for-tests", "verify-me-please"
KNOWN = "4915112345678"  # Greta's mobile, as WhatsApp sends it (digits, country code)
SETTINGS = "Support WhatsApp Settings"


def notification(*messages, statuses=(), contacts=()):
	return {
		"object": "whatsapp_business_account",
		"entry": [
			{
				"id": "WABA-1",
				"changes": [
					{
						"field": "messages",
						"value": {
							"messaging_product": "whatsapp",
							"metadata": {"display_phone_number": "15550001111", "phone_number_id": "PHONE-1"},
							"contacts": list(contacts),
							"messages": list(messages),
							"statuses": list(statuses),
						},
					}
				],
			}
		],
	}


def text_message(wamid: str, sender: str, body: str) -> dict:
	return {
		"from": sender,
		"id": wamid,
		"timestamp": str(int(time.time())),
		"type": "text",
		"text": {"body": body},
	}


class WhatsAppTestCase(SupportTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.graph = GraphStandIn()
		cls.server = SiteServer.get()
		cls.customer = make_customer("Greta's Bakery")
		cls.contact = cls.make_contact()
		settings = frappe.get_doc(SETTINGS)
		settings.update(
			{
				"enabled": 1,
				"graph_api_url": cls.graph.base_url,
				"phone_number_id": "PHONE-1",
				"reply_template": "support_reply",
				"template_language": "de",
				"max_media_mb": 1,
				"notify_status_changes": 1,
			}
		)
		settings.flags.ignore_mandatory = True
		settings.save(ignore_permissions=True)
		for field, value in (
			("access_token", cls.graph.token),
			("app_secret", SECRET),
			("verify_token", VERIFY),
		):
			set_encrypted_password(SETTINGS, SETTINGS, value, field)
		frappe.clear_document_cache(SETTINGS, SETTINGS)
		frappe.db.commit()  # nosemgrep: the server process reads them
		cls.started = now_datetime()

	@classmethod
	def make_contact(cls) -> str:
		name = frappe.db.get_value("Contact", {"first_name": "Greta", "last_name": "Wolf"})
		if not name:
			contact = frappe.get_doc(
				{
					"doctype": "Contact",
					"first_name": "Greta",
					"last_name": "Wolf",
					"email_ids": [{"email_id": "greta@bakery.example", "is_primary": 1}],
					"phone_nos": [{"phone": "+49 151 12345678", "is_primary_mobile_no": 1}],
					"links": [{"link_doctype": "Customer", "link_name": cls.customer}],
				}
			).insert(ignore_permissions=True)
			name = contact.name
		return name

	@classmethod
	def tearDownClass(cls):
		cls.graph.stop()
		frappe.db.rollback()
		convs = frappe.get_all(
			"Support Conversation", filters={"creation": (">=", cls.started)}, pluck="name"
		)
		tickets = frappe.get_all(
			"Issue", filters={"channel": "WhatsApp", "creation": (">=", cls.started)}, pluck="name"
		)
		frappe.db.delete(conversations.MESSAGE, {"conversation": ("in", convs or ["-"])})
		frappe.db.delete("Support Conversation", {"name": ("in", convs or ["-"])})
		for doctype, field in (
			("Communication", "reference_name"),
			("Comment", "reference_name"),
			("File", "attached_to_name"),
		):
			frappe.db.delete(doctype, {field: ("in", tickets or ["-"])})
		frappe.db.delete("Issue", {"name": ("in", tickets or ["-"])})
		frappe.db.set_single_value(SETTINGS, "enabled", 0)
		frappe.db.commit()  # nosemgrep
		super().tearDownClass()

	def post(self, payload, *, sign=True, secret=SECRET, raw: bytes | None = None):
		body = raw if raw is not None else json.dumps(payload).encode()
		headers = {"Content-Type": "application/json"}
		if sign:
			headers["X-Hub-Signature-256"] = signature(body, secret)
		return requests.post(self.server.url + WEBHOOK, data=body, headers=headers, timeout=30)

	def run_jobs(self, phone: str = KNOWN) -> "frappe.model.document.Document":
		"""What the worker would do after the webhook: process the sender's conversation."""
		frappe.db.rollback()
		name = conversations.open_conversation(conversations.WHATSAPP, phone=phone)
		inbound.process(name)
		frappe.db.commit()  # nosemgrep: as the job's own commit
		return frappe.get_doc("Support Conversation", name)

	def wamid(self) -> str:
		return "wamid." + frappe.generate_hash(length=20)


class TestWebhookGate(WhatsAppTestCase):
	def test_meta_verification_answers_the_challenge_only_with_our_token(self):
		url = self.server.url + WEBHOOK
		ok = requests.get(
			url,
			params={"hub.mode": "subscribe", "hub.verify_token": VERIFY, "hub.challenge": "1158201444"},
			timeout=30,
		)
		self.assertEqual((ok.status_code, ok.text), (200, "1158201444"))
		bad = requests.get(
			url,
			params={"hub.mode": "subscribe", "hub.verify_token": "guess", "hub.challenge": "1"},
			timeout=30,
		)
		self.assertEqual(bad.status_code, 403)
		self.assertNotIn("1", bad.text[:1])

	def test_unsigned_or_wrongly_signed_posts_are_refused_and_store_nothing(self):
		wamid = self.wamid()
		payload = notification(text_message(wamid, KNOWN, "forged"))
		self.assertEqual(self.post(payload, sign=False).status_code, 403)
		self.assertEqual(self.post(payload, secret="not-the-secret").status_code, 403)
		body = json.dumps(payload).encode()
		tampered = body.replace(b"forged", b"FORGED")
		response = requests.post(
			self.server.url + WEBHOOK,
			data=tampered,
			headers={"Content-Type": "application/json", "X-Hub-Signature-256": signature(body, SECRET)},
			timeout=30,
		)
		self.assertEqual(response.status_code, 403)
		frappe.db.rollback()
		self.assertFalse(frappe.db.exists(conversations.MESSAGE, {"external_id": wamid}))

	def test_a_replayed_message_is_stored_once(self):
		wamid = self.wamid()
		payload = notification(text_message(wamid, KNOWN, "Replay me"))
		first, second = self.post(payload), self.post(payload)
		self.assertEqual(first.json()["message"], {"messages": 1, "duplicates": 0, "statuses": 0})
		self.assertEqual(second.json()["message"], {"messages": 0, "duplicates": 1, "statuses": 0})
		frappe.db.rollback()
		self.assertEqual(frappe.db.count(conversations.MESSAGE, {"external_id": wamid}), 1)

	def test_malformed_bodies_are_4xx(self):
		self.assertEqual(self.post(None, raw=b'{"object": "whatsapp_business_account", ').status_code, 400)
		self.assertEqual(self.post({"object": "page"}).status_code, 400)


class TestInbound(WhatsAppTestCase):
	def test_known_number_opens_a_ticket_for_the_contact_and_later_messages_join_it(self):
		self.post(
			notification(
				text_message(self.wamid(), KNOWN, "Our oven <b>stopped</b> heating\nsince this morning"),
				contacts=[{"profile": {"name": "Greta W."}, "wa_id": KNOWN}],
			)
		)
		conv = self.run_jobs()
		ticket = frappe.get_doc("Issue", conv.issue)
		self.assertEqual(
			(ticket.channel, ticket.contact, ticket.customer, ticket.subject),
			("WhatsApp", self.contact, self.customer, "Our oven stopped heating"),
		)
		self.post(notification(text_message(self.wamid(), KNOWN, "Photo follows")))
		conv = self.run_jobs()
		self.assertEqual(conv.issue, ticket.name)
		messages = frappe.get_all(
			"Communication",
			filters={
				"reference_doctype": "Issue",
				"reference_name": ticket.name,
				"communication_medium": "Chat",
			},
			fields=["content", "sent_or_received", "sender"],
			order_by="creation asc",
		)
		self.assertEqual([m.sent_or_received for m in messages], ["Received", "Received"])
		self.assertIn("&lt;b&gt;stopped&lt;/b&gt;", messages[0].content)  # shown as text, never as HTML
		self.assertEqual(messages[0].sender, "greta@bakery.example")

	def test_media_is_downloaded_as_a_private_attachment_and_oversized_media_is_not(self):
		self.graph.media["MEDIA-1"] = (b"\x89PNG fake image bytes", "image/png")
		self.graph.media["MEDIA-BIG"] = (b"x", "video/mp4")
		self.graph.sizes["MEDIA-BIG"] = 50 * 1024 * 1024
		image = {
			"from": KNOWN,
			"id": self.wamid(),
			"timestamp": str(int(time.time())),
			"type": "image",
			"image": {"id": "MEDIA-1", "mime_type": "image/png", "caption": "the display"},
		}
		video = {
			"from": KNOWN,
			"id": self.wamid(),
			"timestamp": str(int(time.time())),
			"type": "video",
			"video": {"id": "MEDIA-BIG", "mime_type": "video/mp4"},
		}
		self.post(notification(image, video))
		conv = self.run_jobs()
		files = frappe.get_all(
			"File",
			filters={"attached_to_doctype": "Issue", "attached_to_name": conv.issue},
			fields=["file_url", "is_private", "file_name"],
		)
		self.assertEqual(len(files), 1)
		self.assertTrue(files[0].is_private)
		self.assertEqual(
			frappe.get_doc("File", {"file_url": files[0].file_url}).get_content(), b"\x89PNG fake image bytes"
		)
		media_calls = [r for r in self.graph.requests if "MEDIA-1" in r["path"]]
		self.assertTrue(
			media_calls and all(r["headers"]["Authorization"] == "Bearer stand-in-token" for r in media_calls)
		)
		big = frappe.get_value(
			conversations.MESSAGE, {"external_id": video["id"]}, ["text", "attachment"], as_dict=True
		)
		self.assertIsNone(big.attachment)
		self.assertIn("larger than 1 MB", big.text)

	def test_unknown_number_gets_a_ticket_named_by_its_profile(self):
		stranger = "447700900123"
		self.post(
			notification(
				text_message(self.wamid(), stranger, "Hello?"),
				contacts=[{"profile": {"name": "Sam Stranger"}, "wa_id": stranger}],
			)
		)
		conv = self.run_jobs(stranger)
		ticket = frappe.get_doc("Issue", conv.issue)
		self.assertIsNone(ticket.contact)
		self.assertEqual(conv.guest_name, "Sam Stranger")
		self.assertEqual(ticket.contact_phone, "+" + stranger)


class TestAssistantOnWhatsApp(WhatsAppTestCase):
	def test_a_status_question_is_answered_on_whatsapp_without_a_new_ticket(self):
		mine = frappe.get_doc(
			{
				"doctype": "Issue",
				"subject": "Dough mixer noise",
				"contact": self.contact,
				"customer": self.customer,
				"raised_by": "greta@bakery.example",
			}
		).insert(ignore_permissions=True)
		other = frappe.get_doc({"doctype": "Issue", "subject": "Somebody else's secret"}).insert(
			ignore_permissions=True
		)
		frappe.db.commit()  # nosemgrep
		self.addCleanup(frappe.db.commit)  # nosemgrep: runs last (cleanups run last in, first out)
		for ticket in (mine, other):
			self.addCleanup(frappe.delete_doc, "Issue", ticket.name, force=True, ignore_permissions=True)
		tickets_before = frappe.db.count("Issue", {"channel": "WhatsApp"})
		self.post(notification(text_message(self.wamid(), KNOWN, f"What is the status of {mine.name}?")))
		conv = self.run_jobs()
		self.post(notification(text_message(self.wamid(), KNOWN, f"and {other.name}?")))
		conv = self.run_jobs()
		queued = frappe.get_all(
			conversations.MESSAGE,
			filters={"conversation": conv.name},
			fields=["direction", "text", "answered", "communication"],
			order_by="creation asc",
		)
		self.assertEqual(
			[(m.direction, m.answered, bool(m.communication)) for m in queued],
			[("Inbound", 1, False), ("Outbound", 0, False), ("Inbound", 1, False), ("Outbound", 0, False)],
			queued,
		)
		self.assertIn(f"Ticket {mine.name} (Dough mixer noise) is Open", queued[1].text)
		self.assertIn(f"could not find ticket {other.name}", queued[3].text)
		self.assertFalse(conv.issue)
		self.assertEqual(frappe.db.count("Issue", {"channel": "WhatsApp"}), tickets_before)
		queued = [m.text for m in queued]
		self.assertNotIn("secret", " ".join(queued))


class TestOutbound(WhatsAppTestCase):
	def ticket_with_conversation(self) -> tuple[str, str]:
		self.post(notification(text_message(self.wamid(), KNOWN, "Need help with the mixer")))
		conv = self.run_jobs()
		return conv.issue, conv.name

	def deliver_queued(self, conversation: str) -> list:
		frappe.db.commit()  # nosemgrep
		names = frappe.get_all(
			conversations.MESSAGE,
			filters={"conversation": conversation, "direction": "Outbound"},
			pluck="name",
			order_by="creation asc",
		)
		for name in names:
			outbound.deliver(name)
		frappe.db.commit()  # nosemgrep: as the job's own commit
		return [frappe.get_doc(conversations.MESSAGE, n) for n in names]

	def test_an_agents_reply_goes_to_whatsapp_and_its_statuses_come_back(self):
		from support_plus.tickets.replies import reply_to_customer

		ticket, conv = self.ticket_with_conversation()
		frappe.set_user(AGENT)
		reply_to_customer(ticket, "<p>We send a technician <i>tomorrow</i>.</p>")
		frappe.set_user("Administrator")
		sent = self.deliver_queued(conv)[-1]
		self.assertEqual((sent.delivery_status, sent.sender, sent.attempts), ("Sent", AGENT, 1))
		post = self.graph.posts()[-1]
		self.assertEqual(post["path"], "/v19.0/PHONE-1/messages")
		self.assertEqual(post["headers"]["Authorization"], "Bearer stand-in-token")
		self.assertEqual(
			post["json"],
			{
				"messaging_product": "whatsapp",
				"to": KNOWN,
				"type": "text",
				"text": {"body": "We send a technician tomorrow.", "preview_url": False},
			},
		)
		for status, expected in (("delivered", "Delivered"), ("sent", "Delivered"), ("read", "Read")):
			self.post(
				notification(
					statuses=[
						{
							"id": sent.external_id,
							"status": status,
							"timestamp": str(int(time.time())),
							"recipient_id": KNOWN,
						}
					]
				)
			)
			frappe.db.rollback()
			self.assertEqual(
				frappe.db.get_value(conversations.MESSAGE, sent.name, "delivery_status"), expected
			)

	def test_outside_the_24_hour_window_the_template_is_used(self):
		_ticket, conv = self.ticket_with_conversation()
		frappe.db.set_value(
			"Support Conversation", conv, "last_inbound_at", now_datetime() - timedelta(hours=25)
		)
		outbound.send_text(conv, "Your part arrived.")
		self.deliver_queued(conv)
		self.assertEqual(
			self.graph.posts()[-1]["json"]["template"],
			{
				"name": "support_reply",
				"language": {"code": "de"},
				"components": [
					{"type": "body", "parameters": [{"type": "text", "text": "Your part arrived."}]}
				],
			},
		)

	def test_a_failing_send_is_retried_and_finally_noted_on_the_ticket(self):
		ticket, conv = self.ticket_with_conversation()
		message = outbound.send_text(conv, "Are you there?")
		self.graph.fail_with = 500
		try:
			for attempt in range(1, outbound.MAX_ATTEMPTS + 2):
				frappe.db.commit()  # nosemgrep
				outbound.deliver(message.name)
				message.reload()
				self.assertEqual(message.attempts, min(attempt, outbound.MAX_ATTEMPTS))
		finally:
			self.graph.fail_with = None
		self.assertEqual(message.delivery_status, "Failed")
		self.assertIn("131000", message.error)
		notes = frappe.get_all(
			"Comment", filters={"reference_name": ticket, "content": ("like", "%not sent after%")}
		)
		self.assertEqual(len(notes), 1)

	def test_status_changes_are_sent_to_the_customer(self):
		ticket, conv = self.ticket_with_conversation()
		doc = frappe.get_doc("Issue", ticket)
		doc.status = "In Progress"
		doc.save(ignore_permissions=True)
		sent = self.deliver_queued(conv)[-1]
		self.assertIn(f"Your ticket {ticket}", sent.text)
		self.assertEqual(self.graph.posts()[-1]["json"]["text"]["body"], sent.text)
