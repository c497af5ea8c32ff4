"""/field over real HTTP: a technician reaches their own appointments only; another technician's answers
404 (page and API alike), a desk user without a profile gets 404, a visitor the login page."""

import base64
from datetime import timedelta

import requests

import frappe
from frappe.utils import now_datetime

from support_plus.tests.appointment_fixtures import field_ticket
from support_plus.tests.dispatch_fixtures import ensure_tech_users, make_technician
from support_plus.tests.http import SiteServer
from support_plus.tests.utils import AGENT, SupportTestCase

PNG = base64.b64encode(
	base64.b64decode(
		"iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
	)
).decode()


class TestFieldPage(SupportTestCase):
	@classmethod
	def setUpClass(cls):
		ensure_tech_users()
		super().setUpClass()
		# any hour: the server runs on the real clock, whatever the day the suite runs
		cls.dan = make_technician("dan", hours=None)
		cls.eve = make_technician("eve", hours=None)
		frappe.db.delete("Service Appointment", {"technician": ("in", (cls.dan.name, cls.eve.name))})
		cls.ticket = field_ticket("Field page: the heat pump hums")
		start = now_datetime().replace(microsecond=0) + timedelta(minutes=30)
		cls.own = cls._book(cls.dan, start, issue=cls.ticket.name)
		cls.later = cls._book(cls.dan, start + timedelta(days=2))
		cls.other = cls._book(cls.eve, start, issue=cls.ticket.name)
		frappe.db.commit()  # nosemgrep: the web server is another process
		cls.server = SiteServer.get()
		cls.as_dan = cls.server.login(cls.dan.user)
		cls.as_eve = cls.server.login(cls.eve.user)
		cls.as_agent = cls.server.login(AGENT)

	@classmethod
	def _book(cls, technician, start, **values):
		return frappe.get_doc(
			{
				"doctype": "Service Appointment",
				"technician": technician.name,
				"scheduled_start": start,
				"scheduled_end": start + timedelta(hours=1),
				**values,
			}
		).insert(ignore_permissions=True)

	@classmethod
	def tearDownClass(cls):
		frappe.db.rollback()
		frappe.db.delete("Service Appointment", {"technician": ("in", (cls.dan.name, cls.eve.name))})
		frappe.db.delete("File", {"attached_to_doctype": "Issue", "attached_to_name": cls.ticket.name})
		frappe.db.delete(
			"File", {"attached_to_doctype": "Service Appointment", "attached_to_name": cls.later.name}
		)
		frappe.db.delete("Comment", {"reference_doctype": "Issue", "reference_name": cls.ticket.name})
		frappe.delete_doc("Issue", cls.ticket.name, force=True, ignore_permissions=True)
		frappe.db.commit()  # nosemgrep
		super().tearDownClass()

	def get(self, session, path):
		return session.get(self.server.url + path, timeout=30, allow_redirects=False)

	def post(self, session, method, **params):
		url = f"{self.server.url}/api/method/support_plus.api.field.{method}"
		return session.post(url, data=params, timeout=30)

	def test_own_day_and_visit(self):
		day = self.get(self.as_dan, "/field")
		self.assertEqual(day.status_code, 200)
		self.assertIn(f"/field/{self.own.name}", day.text)
		self.assertIn(f"/field/{self.later.name}", day.text)
		self.assertNotIn(self.other.name, day.text)
		visit = self.get(self.as_dan, f"/field/{self.own.name}")
		self.assertEqual(visit.status_code, 200)
		self.assertIn("https://www.openstreetmap.org/search?query=Hauptstra", visit.text)
		self.assertIn("Field page: the heat pump hums", visit.text)
		self.assertIn('id="action-en-route"', visit.text)

	def test_another_technicians_visit_is_not_found(self):
		for path in (f"/field/{self.other.name}", "/field/SA-1999-99999"):
			self.assertEqual(self.get(self.as_dan, path).status_code, 404, path)
		for method, params in (
			("set_appointment_status", {"status": "En Route"}),
			("add_appointment_note", {"note": "I was here"}),
		):
			answer = self.post(self.as_dan, method, appointment=self.other.name, **params)
			self.assertEqual(answer.status_code, 404, (method, answer.text[:300]))
		# the 404 was Dan's answer only (Frappe caches a page's 404 for its URL, for everyone)
		self.assertEqual(self.get(self.as_eve, f"/field/{self.other.name}").status_code, 200)
		frappe.db.rollback()
		self.assertEqual(frappe.db.get_value("Service Appointment", self.other.name, "status"), "Scheduled")
		self.assertIsNone(frappe.db.get_value("Service Appointment", self.other.name, "notes"))

	def test_non_technicians_do_not_get_in(self):
		self.assertEqual(self.get(self.as_agent, "/field").status_code, 404)
		self.assertEqual(self.get(self.as_dan, "/field").status_code, 200)  # not a 404 cached for everyone
		self.assertEqual(self.get(self.as_agent, f"/field/{self.own.name}").status_code, 404)
		answer = self.post(
			self.as_agent, "set_appointment_status", appointment=self.own.name, status="En Route"
		)
		self.assertEqual(answer.status_code, 404)
		guest = requests.Session()
		page = self.get(guest, "/field")
		self.assertIn(page.status_code, (301, 302))
		self.assertIn("/login", page.headers["Location"])
		answer = self.post(guest, "set_appointment_status", appointment=self.own.name, status="En Route")
		self.assertEqual(answer.status_code, 403)

	def test_note_and_photo_land_on_the_ticket(self):
		answer = self.post(
			self.as_dan,
			"add_appointment_note",
			appointment=self.later.name,
			note="Bring the long ladder",
			photos=frappe.as_json([{"filename": "site.png", "data": PNG}]),
		)
		self.assertEqual(answer.status_code, 200, answer.text[:300])
		refused = self.post(
			self.as_dan,
			"add_appointment_note",
			appointment=self.own.name,
			photos=frappe.as_json([{"filename": "x.html", "data": PNG}]),
		)
		self.assertEqual(refused.status_code, 417, refused.text[:300])
		answer = self.post(
			self.as_dan,
			"add_appointment_note",
			appointment=self.own.name,
			note="Gas smell at the meter",
			photos=frappe.as_json([{"filename": "meter.png", "data": PNG}]),
		)
		self.assertEqual(answer.status_code, 200, answer.text[:300])
		frappe.db.rollback()
		self.assertIn(
			"Gas smell at the meter", frappe.db.get_value("Service Appointment", self.own.name, "notes")
		)
		self.assertEqual(
			frappe.get_all(
				"File",
				filters={"attached_to_doctype": "Issue", "attached_to_name": self.ticket.name},
				pluck="file_name",
			),
			["meter.png"],
		)  # the photo without a ticket went to the appointment
		self.assertTrue(
			frappe.db.exists(
				"File", {"attached_to_doctype": "Service Appointment", "attached_to_name": self.later.name}
			)
		)
		self.assertTrue(
			frappe.db.exists(
				"Comment",
				{
					"reference_doctype": "Issue",
					"reference_name": self.ticket.name,
					"content": ("like", "%Gas smell at the meter%"),
				},
			)
		)

	def test_visit_not_done_with_a_reason_own_only(self):
		start = now_datetime().replace(microsecond=0) + timedelta(hours=4)
		visit = self._book(self.dan, start, issue=self.ticket.name)
		frappe.db.commit()  # nosemgrep: the web server is another process
		self.assertIn('id="not-done"', self.get(self.as_dan, f"/field/{visit.name}").text)
		# another technician: not found, and nothing changes
		answer = self.post(
			self.as_eve,
			"set_appointment_status",
			appointment=visit.name,
			status="Cancelled",
			reason="Mine now",
		)
		self.assertEqual(answer.status_code, 404, answer.text[:300])
		# no reason: refused
		answer = self.post(self.as_dan, "set_appointment_status", appointment=visit.name, status="No Show")
		self.assertEqual(answer.status_code, 417, answer.text[:300])
		frappe.db.rollback()
		self.assertEqual(frappe.db.get_value("Service Appointment", visit.name, "status"), "Scheduled")

		answer = self.post(
			self.as_dan,
			"set_appointment_status",
			appointment=visit.name,
			status="No Show",
			reason="Rang twice, nobody home",
		)
		self.assertEqual(answer.status_code, 200, answer.text[:300])
		frappe.db.rollback()
		self.assertEqual(
			frappe.db.get_value("Service Appointment", visit.name, ["status", "status_reason"]),
			("No Show", "Rang twice, nobody home"),
		)
		notes = frappe.get_all(
			"Comment",
			filters={
				"reference_doctype": "Issue",
				"reference_name": self.ticket.name,
				"content": ("like", f"%{visit.name}%"),
			},
			pluck="content",
		)
		self.assertEqual(len(notes), 1)
		self.assertIn("Rang twice, nobody home", notes[0])
		self.assertIn("Tech Dan", notes[0])
		page = self.get(self.as_dan, f"/field/{visit.name}").text
		self.assertIn("Rang twice, nobody home", page)
		self.assertNotIn('id="not-done"', page)  # done with: no second call-off
		# a No Show is final for the technician
		answer = self.post(
			self.as_dan, "set_appointment_status", appointment=visit.name, status="Cancelled", reason="x"
		)
		self.assertEqual(answer.status_code, 417, answer.text[:300])
