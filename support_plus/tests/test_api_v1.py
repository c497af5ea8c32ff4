"""API v1 over real HTTP (token authentication, the running test server): each endpoint's effect on the
tickets, its permissions as a Support Agent, a Support Manager and a portal customer, bad input answered
with 4xx and a message, and every response checked against the served OpenAPI document."""

import json
from datetime import date, timedelta

import requests

import frappe
from frappe.utils import add_days, getdate

from support_plus.api.v1 import spec
from support_plus.api.v1 import tickets as api_tickets
from support_plus.overrides import request_body
from support_plus.tests.api_v1_fixtures import BASE, ApiTestCase
from support_plus.tests.http import SiteServer
from support_plus.tests.sla_fixtures import make_holiday_list
from support_plus.tests.test_portal import ANNA, BEA
from support_plus.tests.utils import AGENT, MANAGER


class TestDocument(ApiTestCase):
	def test_every_path_is_a_whitelisted_method_with_that_http_method(self):
		self.assertEqual(self.document["openapi"], "3.0.3")
		for path, operations in self.document["paths"].items():
			method = frappe.get_attr(path.removeprefix("/api/method/"))
			self.assertIn(method, frappe.whitelisted, path)
			for verb in operations:
				self.assertIn(verb.upper(), frappe.allowed_http_methods_for_whitelisted_func[method], path)
		seed = {"tickets.list", "tickets.create", "tickets.get", "tickets.update", "tickets.assign"}
		seed |= {"tickets.resolve", "sla_policies.list", "sla_policies.create", "sla_tracking.get"}
		seed |= {"chatbot.start", "chatbot.send", "chatbot.get"}
		self.assertEqual({p.removeprefix(BASE) for p in self.document["paths"]}, seed)

	def test_served_to_guests_as_plain_json(self):
		raw = requests.get(self.server.url + BASE[:-1] + ".openapi", timeout=30)
		self.assertEqual(raw.status_code, 200)
		self.assertEqual(raw.headers["Content-Type"].split(";")[0], "application/json")
		self.assertEqual(raw.json()["paths"].keys(), spec.PATHS.keys())
		self.assertEqual(raw.json()["servers"], [{"url": self.server.url}])


class TestTicketFlow(ApiTestCase):
	def test_create_read_update_assign_resolve_as_a_support_agent(self):
		created = self.valid(
			self.call(
				AGENT,
				"POST",
				"tickets.create",
				json={
					"subject": "API: printer offline at the front desk",
					"description": "It shows error 42.",
					"priority": "High",
					"customer": self.alpha,
					"raised_by": ANNA,
				},
			),
			"tickets.create",
			"POST",
		)["message"]
		ticket = created["id"]
		frappe.db.rollback()
		stored = frappe.db.get_value(
			"Issue", ticket, ["subject", "priority", "customer", "raised_by", "owner"], as_dict=True
		)
		self.assertEqual(
			stored,
			{
				"subject": "API: printer offline at the front desk",
				"priority": "High",
				"customer": self.alpha,
				"raised_by": ANNA,
				"owner": AGENT,
			},
		)
		self.assertEqual((created["status"], created["assignees"]), ("Open", []))

		got = self.valid(self.call(AGENT, "GET", "tickets.get", params={"id": ticket}), "tickets.get", "GET")
		self.assertEqual(got["message"]["subject"], stored.subject)
		self.assertEqual(got["message"]["created_at"], created["created_at"])

		listed = self.valid(
			self.call(
				AGENT, "GET", "tickets.list", params={"q": "printer offline at the front", "page_size": 5}
			),
			"tickets.list",
			"GET",
		)["message"]
		self.assertEqual([t["id"] for t in listed["data"]], [ticket])
		self.assertFalse(listed["has_more"])

		updated = self.valid(
			self.call(
				AGENT,
				"POST",
				"tickets.update",
				json={"id": ticket, "priority": "Medium", "status": "In Progress"},
			),
			"tickets.update",
			"POST",
		)["message"]
		self.assertEqual((updated["priority"], updated["status"]), ("Medium", "In Progress"))
		frappe.db.rollback()  # see what the server committed
		self.assertEqual(frappe.db.get_value("Issue", ticket, "status"), "In Progress")

		assigned = self.valid(
			self.call(AGENT, "POST", "tickets.assign", json={"id": ticket, "user": AGENT}),
			"tickets.assign",
			"POST",
		)["message"]
		self.assertEqual(assigned["assignees"], [AGENT])
		frappe.db.rollback()
		self.assertTrue(
			frappe.db.exists("ToDo", {"reference_name": ticket, "allocated_to": AGENT, "status": "Open"})
		)

		resolved = self.valid(
			self.call(
				AGENT, "POST", "tickets.resolve", json={"id": ticket, "resolution": "Replaced the cable."}
			),
			"tickets.resolve",
			"POST",
		)["message"]
		self.assertEqual((resolved["status"], resolved["resolution"]), ("Resolved", "Replaced the cable."))
		frappe.db.rollback()
		self.assertEqual(frappe.db.get_value("Issue", ticket, "status"), "Resolved")
		again = self.call(AGENT, "POST", "tickets.resolve", json={"id": ticket})
		self.assertEqual(again.status_code, 400)
		self.valid(again, "tickets.resolve", "POST")

		tracking = self.valid(
			self.call(AGENT, "GET", "sla_tracking.get", params={"ticket_id": ticket}),
			"sla_tracking.get",
			"GET",
		)["message"]
		self.assertEqual((tracking["ticket"], tracking["status"]), (ticket, "Resolved"))

	def test_paging_and_filters(self):
		frappe.set_user(AGENT)
		marker = "API paging " + frappe.generate_hash(length=6)
		made = [api_tickets.create(subject=f"{marker} {i}", priority="Low")["id"] for i in range(5)]
		frappe.db.commit()  # nosemgrep: the server reads them
		pages = [
			self.valid(
				self.call(
					AGENT,
					"GET",
					"tickets.list",
					params={"q": marker, "page": page, "page_size": 2, "order": "created_at"},
				),
				"tickets.list",
				"GET",
			)["message"]
			for page in (1, 2, 3)
		]
		self.assertEqual([t["id"] for p in pages for t in p["data"]], made)
		self.assertEqual([p["has_more"] for p in pages], [True, True, False])
		low = self.call(AGENT, "GET", "tickets.list", params={"q": marker, "priority": "High"}).json()[
			"message"
		]
		self.assertEqual(low["data"], [])

	def test_python_callers_pass_dates(self):
		frappe.set_user(AGENT)
		made = api_tickets.create(subject="API dates " + frappe.generate_hash(length=6))
		today = getdate()
		self.assertIn(
			made["id"], [t["id"] for t in api_tickets.list(created_from=today, page_size=100)["data"]]
		)
		self.assertNotIn(
			made["id"],
			[t["id"] for t in api_tickets.list(created_to=add_days(today, -1), page_size=100)["data"]],
		)


class TestRefusals(ApiTestCase):
	def assert_refused(self, response, status: int, endpoint: str, method: str, words: str):
		self.assertEqual(response.status_code, status, response.text[:500])
		self.valid(response, endpoint, method)
		messages = " ".join(json.loads(m)["message"] for m in json.loads(response.json()["_server_messages"]))
		self.assertIn(words, messages)

	def test_bad_input_is_a_400_with_a_message(self):
		for params, words in (
			({"page": 0}, "page starts at 1"),
			({"page_size": 1000}, "page_size must be between 1 and 100"),
			({"status": "Done"}, "status must be one of"),
			({"order": "subject"}, "order must be one of"),
			({"updated_since": "yesterday"}, "ISO 8601"),
		):
			self.assert_refused(
				self.call(AGENT, "GET", "tickets.list", params=params), 400, "tickets.list", "GET", words
			)
		self.assert_refused(
			self.call(AGENT, "POST", "tickets.update", json={"id": self.anna_ticket}),
			400,
			"tickets.update",
			"POST",
			"Nothing to update",
		)

	def test_malformed_json_is_a_400_and_logs_nothing(self):
		errors = frappe.db.count("Error Log")
		self.call(AGENT, "GET", "tickets.list")  # the worker's first request installs the replacement
		response = self.call(
			AGENT,
			"POST",
			"tickets.create",
			data='{"subject": "half',
			headers={"Content-Type": "application/json"},
		)
		self.assert_refused(response, 400, "tickets.create", "POST", "not valid JSON")
		frappe.db.rollback()
		self.assertEqual(frappe.db.count("Error Log"), errors)
		self.assertFalse(frappe.db.exists("Issue", {"subject": ("like", "half%")}))

	def test_a_ticket_the_caller_may_not_read_answers_like_a_missing_one(self):
		missing = self.call(AGENT, "GET", "tickets.get", params={"id": "RE99999990"})
		self.assert_refused(missing, 404, "tickets.get", "GET", "not found")
		anna = self.server.login(ANNA)
		for ticket in (self.bea_ticket, "RE99999990"):
			response = anna.get(self.server.url + BASE + "tickets.get", params={"id": ticket}, timeout=30)
			self.assertEqual(response.status_code, 404, response.text[:300])
			self.assertNotIn("Beta secret", response.text)
			response = anna.post(self.server.url + BASE + "tickets.resolve", json={"id": ticket}, timeout=30)
			self.assertEqual(response.status_code, 404)
		listed = anna.get(self.server.url + BASE + "tickets.list", timeout=30)
		self.assertNotIn(self.bea_ticket, listed.text)
		frappe.db.rollback()
		self.assertEqual(frappe.db.get_value("Issue", self.bea_ticket, "status"), "Open")

	def test_no_key_no_tickets(self):
		response = self.call(None, "GET", "tickets.list")
		self.assertEqual(response.status_code, 403)
		self.assertNotIn(self.bea_ticket, response.text)


class TestSlaPolicies(ApiTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.tracking = frappe.db.get_single_value("Support Settings", "track_service_level_agreement")
		frappe.db.set_single_value("Support Settings", "track_service_level_agreement", 1)
		frappe.db.commit()  # nosemgrep: ERPNext refuses SLAs while tracking is off

	@classmethod
	def tearDownClass(cls):
		frappe.db.set_single_value("Support Settings", "track_service_level_agreement", cls.tracking)
		frappe.db.commit()  # nosemgrep
		super().tearDownClass()

	def policy(self, name: str) -> dict:
		return {
			"name": name,
			"holiday_list": make_holiday_list(),
			"timezone": "Europe/Berlin",
			"priorities": [
				{"priority": "High", "response_minutes": 30, "resolution_minutes": 240},
				{"priority": "Medium", "response_minutes": 120, "resolution_minutes": 960},
			],
			"default_priority": "Medium",
			"working_hours": [{"weekday": d, "start": "08:00", "end": "17:30"} for d in ("Monday", "Friday")],
			"applies_to": {"type": "Customer", "name": self.alpha},
			"pause_on": ["Pending Customer"],
			"valid_from": str(date.today()),
			"valid_to": str(date.today() + timedelta(days=365)),
		}

	def test_a_manager_creates_an_agent_may_not(self):
		frappe.db.commit()  # nosemgrep: the holiday list
		name = "API Gold " + frappe.generate_hash(length=5)
		refused = self.call(AGENT, "POST", "sla_policies.create", json=self.policy(name))
		self.assertEqual(refused.status_code, 403)
		self.valid(refused, "sla_policies.create", "POST")
		response = self.call(MANAGER, "POST", "sla_policies.create", json=self.policy(name))
		self.assertEqual(response.status_code, 200, response.text[:2000])
		made = self.valid(response, "sla_policies.create", "POST")["message"]
		frappe.db.rollback()
		doc = frappe.get_doc("Service Level Agreement", made["id"])
		self.assertEqual(doc.service_level, name)
		self.assertEqual(
			sorted(
				(p.priority, p.response_time, p.resolution_time, p.default_priority) for p in doc.priorities
			),
			[("High", 1800, 14400, 0), ("Medium", 7200, 57600, 1)],
		)
		first = doc.support_and_resolution[0]
		self.assertEqual((first.workday, str(first.start_time)), ("Monday", "8:00:00"))
		self.assertEqual((doc.entity_type, doc.entity), ("Customer", self.alpha))
		self.assertEqual(made["working_hours"][1], {"weekday": "Friday", "start": "08:00", "end": "17:30"})
		duplicate = self.call(MANAGER, "POST", "sla_policies.create", json=self.policy(name))
		self.assertEqual(duplicate.status_code, 409)
		listed = self.valid(
			self.call(MANAGER, "GET", "sla_policies.list", params={"page_size": 100}),
			"sla_policies.list",
			"GET",
		)["message"]
		self.assertIn(made, listed["data"])

	def test_bad_policies_are_refused(self):
		frappe.db.commit()  # nosemgrep
		for change, words in (
			({"priorities": []}, "non-empty list"),
			(
				{"working_hours": [{"weekday": "Funday", "start": "08:00", "end": "17:00"}]},
				"weekday must be one of",
			),
			({"working_hours": [{"weekday": "Monday", "start": "25:00", "end": "17:00"}]}, "time like 09:00"),
			({"default_priority": "Urgent"}, "default_priority must be one of"),
		):
			body = {**self.policy("API Bad " + frappe.generate_hash(length=5)), **change}
			response = self.call(MANAGER, "POST", "sla_policies.create", json=body)
			self.assertEqual(response.status_code, 400, (change, response.text[:300]))
			self.assertIn(words, response.text)
		frappe.db.rollback()
		self.assertFalse(frappe.db.exists("Service Level Agreement", {"service_level": ("like", "API Bad%")}))


class TestMakeFormDict(ApiTestCase):
	def test_valid_bodies_parse_as_frappe_parses_them(self):
		from werkzeug.test import EnvironBuilder

		for kwargs in (
			{"json": {"a": 1, "b": [1, 2]}},
			{"json": [1, 2]},
			{"data": {"a": "1"}},
			{"query_string": {"x": "y"}},
		):
			results = []
			for parse in (request_body.FRAPPES, request_body.make_form_dict):
				frappe.local.form_dict = frappe._dict()
				parse(EnvironBuilder(method="POST", **kwargs).get_request())
				results.append(dict(frappe.local.form_dict))
			self.assertEqual(results[0], results[1], kwargs)
		self.assertTrue(SiteServer.get())
