"""The chat assistant, as a guest, as a logged-in customer and as another customer trying to read
someone else's tickets: each intent, the state it keeps, what it stores, and the widget's API over HTTP
(isolation by secret, rate limit)."""

import json

import requests

import frappe

from support_plus.channels import chat, conversations
from support_plus.channels.assistant import engine, hours
from support_plus.tests.http import SiteServer
from support_plus.tests.sla_fixtures import make_sla
from support_plus.tests.test_knowledge_base import CATEGORY, article
from support_plus.tests.test_portal import ANNA, BEA, PortalTestCase
from support_plus.tests.utils import AGENT

FLOW = "SP Test: coffee machine has no power"


def texts(answer: dict) -> str:
	return " ".join(m["text"] for m in answer["messages"])


class ChatTestCase(PortalTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		for name in frappe.get_all("Help Article", filters={"category": CATEGORY}, pluck="name"):
			frappe.delete_doc("Help Article", name, force=True, ignore_permissions=True)
		if not frappe.db.exists("Help Category", CATEGORY):
			frappe.get_doc({"doctype": "Help Category", "category_name": CATEGORY, "published": 1}).insert(
				ignore_permissions=True
			)
		cls.kb = article(
			"Printer shows offline",
			"<p>Switch the printer off and on, then check the network cable is plugged in firmly.</p>",
		)
		if frappe.db.exists("Troubleshooting Flow", FLOW):
			frappe.delete_doc("Troubleshooting Flow", FLOW, force=True, ignore_permissions=True)
		frappe.get_doc(
			{
				"doctype": "Troubleshooting Flow",
				"title": FLOW,
				"keywords": "no power, won't switch on",
				"first_step": "plug",
				"steps": [
					{"step": "plug", "question": "Is the power cable plugged in?"},
					{"step": "fuse", "question": "Does the socket work with another device?"},
				],
				"options": [
					{"step": "plug", "answer": "No", "goes_to": "solved"},
					{"step": "plug", "answer": "Yes", "goes_to": "fuse"},
					{"step": "fuse", "answer": "Yes", "goes_to": "ticket"},
					{"step": "fuse", "answer": "No", "goes_to": "solved"},
				],
			}
		).insert(ignore_permissions=True)
		frappe.db.commit()  # nosemgrep: FULLTEXT sees committed rows; the server reads them
		cls.started = frappe.utils.now_datetime()

	@classmethod
	def tearDownClass(cls):
		frappe.db.rollback()
		convs = frappe.get_all(
			"Support Conversation", filters={"creation": (">=", cls.started)}, pluck="name"
		)
		tickets = frappe.get_all(
			"Issue", filters={"channel": "Chat", "creation": (">=", cls.started)}, pluck="name"
		)
		frappe.db.delete("Service Appointment", {"issue": ("in", tickets or ["-"])})
		frappe.db.delete(conversations.MESSAGE, {"conversation": ("in", convs or ["-"])})
		frappe.db.delete("Support Conversation", {"name": ("in", convs or ["-"])})
		for doctype, field in (
			("Communication", "reference_name"),
			("Comment", "reference_name"),
			("ToDo", "reference_name"),
		):
			frappe.db.delete(doctype, {field: ("in", tickets or ["-"])})
		frappe.db.delete("Issue", {"name": ("in", tickets or ["-"])})
		frappe.delete_doc("Troubleshooting Flow", FLOW, force=True, ignore_permissions=True)
		frappe.delete_doc("Help Article", cls.kb.name, force=True, ignore_permissions=True)
		frappe.db.commit()  # nosemgrep
		super().tearDownClass()

	def start(self, user="Guest", **kwargs) -> dict:
		frappe.set_user(user)
		return chat.start(**kwargs)

	def say(self, started: dict, text: str) -> dict:
		return chat.send(started["conversation"], text, started["secret"])


class TestGuestStatus(ChatTestCase):
	def test_a_guest_needs_the_tickets_email_and_a_wrong_pair_reads_like_a_missing_ticket(self):
		guest = self.start()
		asked = self.say(guest, f"What is the status of {self.anna_ticket}?")
		self.assertIn("What email address", texts(asked))
		right = self.say(guest, ANNA)
		self.assertIn(f"Ticket {self.anna_ticket} (Anna's coffee machine leaks) is Open", texts(right))

		wrong, missing = self.start(), self.start()
		self.say(wrong, f"status {self.anna_ticket}")
		refused = texts(self.say(wrong, "someone@else.example"))
		self.say(missing, "status RE99999123")
		absent = texts(self.say(missing, "someone@else.example"))
		self.assertEqual(refused.replace(self.anna_ticket, "#"), absent.replace("RE99999123", "#"))
		self.assertNotIn("coffee", refused)


class TestLoggedInCustomer(ChatTestCase):
	def test_my_tickets_are_mine_only_and_anothers_ticket_does_not_exist(self):
		anna = self.start(ANNA)
		listed = texts(self.say(anna, "show my tickets"))
		self.assertIn(self.anna_ticket, listed)
		self.assertNotIn(self.bea_ticket, listed)
		probe = texts(self.say(anna, f"status of {self.bea_ticket}"))
		self.assertIn("could not find", probe)
		self.assertNotIn("merger", probe)

	def test_hand_over_then_an_agents_reply_reaches_the_chat_and_the_customers_words_reach_the_ticket(self):
		from support_plus.tickets.replies import reply_to_customer

		anna = self.start(ANNA)
		handed = self.say(anna, "I want to talk to a person")
		conv = frappe.get_doc("Support Conversation", anna["conversation"])
		self.assertEqual(conv.status, "Handed Over")
		ticket = frappe.get_doc("Issue", conv.issue)
		self.assertEqual((ticket.channel, ticket.raised_by), ("Chat", ANNA))
		self.assertIn(ticket.name, texts(handed))
		frappe.set_user(AGENT)
		reply_to_customer(ticket.name, "<p>Hi Anna, Tom here.</p>")
		frappe.set_user(ANNA)
		history = chat.history(anna["conversation"])
		self.assertEqual(history["messages"][-1]["from"], "Agent")
		self.assertEqual(history["messages"][-1]["text"], "Hi Anna, Tom here.")
		after = self.say(anna, "Thanks Tom, the leak is under the tank")
		self.assertEqual(after["messages"], [])  # the assistant is quiet now
		received = frappe.get_all(
			"Communication",
			filters={
				"reference_name": ticket.name,
				"sent_or_received": "Received",
				"communication_medium": "Chat",
			},
			pluck="content",
		)
		self.assertEqual(received, ["Thanks Tom, the leak is under the tank"])


class TestNewTicketAndKnowledge(ChatTestCase):
	def test_a_guest_opens_a_ticket_with_the_transcript(self):
		guest = self.start(name="Paul")
		self.assertIn("What is your email", texts(self.say(guest, "I want to open a ticket")))
		self.assertIn("not look like an email", texts(self.say(guest, "paul at example")))
		self.say(guest, "paul@guest-chat.example")
		self.say(guest, "Scanner <b>stuck</b>")
		done = self.say(guest, "It stopped after the update <script>alert(1)</script>")
		ticket = frappe.get_doc("Issue", done["ticket"])
		self.assertEqual(
			(ticket.channel, ticket.raised_by, ticket.subject),
			("Chat", "paul@guest-chat.example", "Scanner stuck"),
		)
		self.assertIn(ticket.name, texts(done))
		self.assertNotIn("<script>", ticket.description)
		self.assertIn("I want to open a ticket", ticket.description)  # the transcript
		stored = frappe.get_all(
			conversations.MESSAGE,
			filters={"conversation": guest["conversation"], "direction": "Inbound"},
			pluck="text",
			order_by="creation asc",
		)
		self.assertEqual(stored[-1], "It stopped after the update <script>alert(1)</script>")  # kept as typed

	def test_the_best_article_answers_and_feedback_is_counted(self):
		guest = self.start()
		answer = self.say(guest, "my printer shows offline since this morning")
		self.assertIn("Printer shows offline", texts(answer))
		self.assertEqual(answer["messages"][0]["link"]["url"], f"/support/{self.kb.route}")
		self.assertEqual(answer["messages"][1]["options"], ["Yes", "No"])
		before = frappe.db.get_value("Help Article", self.kb.name, "helpful")
		self.assertIn("Glad", texts(self.say(guest, "yes")))
		self.assertEqual(frappe.db.get_value("Help Article", self.kb.name, "helpful"), before + 1)

	def test_no_article_offers_a_ticket(self):
		guest = self.start()
		self.assertIn("open a ticket", texts(self.say(guest, "zyxwvut quantum flux capacitor")))
		self.assertIn("email", texts(self.say(guest, "yes")))

	def test_a_troubleshooting_flow_ends_solved_or_in_a_ticket(self):
		anna = self.start(ANNA)
		first = self.say(anna, "my coffee machine has no power")
		self.assertEqual(texts(first), "Is the power cable plugged in?")
		self.assertEqual(first["messages"][0]["options"], ["No", "Yes"])
		self.assertIn("choose one", texts(self.say(anna, "maybe")))
		self.assertEqual(texts(self.say(anna, "Yes")), "Does the socket work with another device?")
		self.assertIn("what is the problem", texts(self.say(anna, "1")))  # "Yes" by its number: ticket
		solved = self.start(ANNA)
		self.say(solved, "it won't switch on")
		self.assertIn("solved", texts(self.say(solved, "no")))


class TestHoursAndAccess(ChatTestCase):
	def test_hours_come_from_the_default_sla_calendar(self):
		frappe.db.set_value(
			"Service Level Agreement",
			{"default_service_level_agreement": 1},
			"default_service_level_agreement",
			0,
		)
		frappe.db.set_single_value("Support Settings", "track_service_level_agreement", 1)
		make_sla("SP Chat Hours", default=True)
		self.assertEqual(hours.describe(), "Monday–Friday 09:00–18:00 (Europe/Berlin)")
		greeting = engine.greeting(frappe._dict(user=None))
		self.assertIn("Monday–Friday 09:00–18:00", greeting[-1]["text"])
		frappe.db.rollback()

	def test_a_guests_conversation_needs_its_secret_over_http(self):
		server = SiteServer.get()
		url = server.url + "/api/method/support_plus.api.chat."
		started = requests.post(url + "start", json={}, timeout=30).json()["message"]
		ok = requests.post(
			url + "send",
			json={"conversation": started["conversation"], "text": "hello", "secret": started["secret"]},
			timeout=30,
		)
		self.assertEqual(ok.status_code, 200)
		for secret in ("", "guess", None):
			stolen = requests.get(
				url + "get",
				params={"conversation": started["conversation"], "secret": secret or ""},
				timeout=30,
			)
			self.assertEqual(stolen.status_code, 404)
			self.assertNotIn("hello", stolen.text)
		bea = server.login(BEA)
		self.assertEqual(
			bea.get(url + "get", params={"conversation": started["conversation"]}, timeout=30).status_code,
			404,
		)

	def test_a_visitor_hammering_the_chat_is_rate_limited_and_nothing_typed_is_lost(self):
		server = SiteServer.get()
		url = server.url + "/api/method/support_plus.api.chat."
		started = requests.post(url + "start", json={}, timeout=30).json()["message"]
		codes = [
			requests.post(
				url + "send",
				json={
					"conversation": started["conversation"],
					"text": f"ping {i}",
					"secret": started["secret"],
				},
				timeout=30,
			).status_code
			for i in range(25)
		]
		self.assertEqual(codes[:20], [200] * 20)
		self.assertIn(429, codes[20:])
		frappe.db.rollback()
		kept = frappe.get_all(
			conversations.MESSAGE,
			filters={"conversation": started["conversation"], "direction": "Inbound"},
			pluck="text",
		)
		self.assertEqual(
			len(kept), codes.count(200)
		)  # each accepted message stored; refused ones never reached us
		self.assertEqual(
			json.loads(
				requests.post(url + "send", json={"conversation": "nope", "text": "x"}, timeout=30).text
			)["exc_type"],
			"DoesNotExistError",
		)

	def test_the_limits_are_the_site_config_keys_the_readme_names(self):
		from support_plus.api import chat as chat_api

		self.assertEqual((chat_api.starts_per_hour(), chat_api.messages_per_minute()), (60, 20))
		conf = frappe.local.conf
		try:
			conf["support_plus_chat_starts_per_hour"] = 3
			conf["support_plus_chat_messages_per_minute"] = 2
			self.assertEqual((chat_api.starts_per_hour(), chat_api.messages_per_minute()), (3, 2))
		finally:
			conf.pop("support_plus_chat_starts_per_hour", None)
			conf.pop("support_plus_chat_messages_per_minute", None)


class TestBooking(ChatTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		from support_plus.tests.dispatch_fixtures import make_technician

		cls.technician = make_technician("gus").name  # Monday to Friday 09:00-18:00
		frappe.db.commit()  # nosemgrep

	@classmethod
	def tearDownClass(cls):
		frappe.db.rollback()
		frappe.db.delete("Service Appointment", {"technician": cls.technician})
		frappe.delete_doc("Service Technician", cls.technician, force=True, ignore_permissions=True)
		frappe.db.commit()  # nosemgrep: other tests route among all Active technicians
		super().tearDownClass()

	def test_a_customer_books_an_offered_visit_and_gets_a_confirmation(self):
		anna = self.start(ANNA)
		offered = self.say(anna, "Can I book an appointment with a technician?")
		options = offered["messages"][0]["options"]
		self.assertTrue(1 <= len(options) <= 3, offered)
		state = json.loads(
			frappe.db.get_value("Support Conversation", anna["conversation"], "assistant_state")
		)
		start, end, technician = state["slots"][0]
		booked = self.say(anna, "1")
		self.assertIn(f"Booked: {options[0]}", texts(booked))
		conv = frappe.get_doc("Support Conversation", anna["conversation"])
		visit = frappe.get_doc("Service Appointment", {"issue": conv.issue})
		self.assertEqual(
			(visit.technician, str(visit.scheduled_start), str(visit.scheduled_end), visit.status),
			(technician, start, end, "Scheduled"),
		)
		self.assertTrue(
			frappe.db.exists(
				"Email Queue",
				{
					"reference_doctype": "Service Appointment",
					"reference_name": visit.name,
					"message": ("like", f"%{conv.issue}%"),
				},
			)
		)

	def test_a_slot_taken_meanwhile_is_not_double_booked(self):
		anna = self.start(ANNA)
		self.say(anna, "I need an appointment")
		state = json.loads(
			frappe.db.get_value("Support Conversation", anna["conversation"], "assistant_state")
		)
		start, end, technician = state["slots"][0]
		frappe.set_user("Administrator")
		taken = frappe.get_doc(
			{
				"doctype": "Service Appointment",
				"technician": technician,
				"scheduled_start": start,
				"scheduled_end": end,
			}
		).insert(ignore_permissions=True)
		self.addCleanup(
			frappe.delete_doc, "Service Appointment", taken.name, force=True, ignore_permissions=True
		)
		frappe.set_user(ANNA)
		again = self.say(anna, "1")
		self.assertIn("That time was just taken", texts(again))
		self.assertTrue(again["messages"][-1]["options"])  # the times free now
		self.assertEqual(
			frappe.db.count(
				"Service Appointment",
				{"technician": technician, "scheduled_start": start, "status": "Scheduled"},
			),
			1,
		)
