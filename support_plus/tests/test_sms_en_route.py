"""The "on the way" SMS (support_plus.dispatch.appointments) through Frappe's SMS Settings, end to end.

A stand-in SMS gateway listens on loopback in this process and records what it is sent; SMS Settings point
at it with a message parameter, a receiver parameter, a static parameter and a header. The technician sets
En Route from /field over real HTTP (the web server is another process), so the SMS goes out after the
request's own commit, as it does for users. The gateway then has the text and the customer's number, and
Frappe's SMS Log records it; a gateway that answers 500, or that is not there, leaves the status change
standing and an Error Log behind.
"""

import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

import frappe
from frappe.utils import now_datetime

from support_plus.demo.mail_sink import free_port
from support_plus.tests.appointment_fixtures import field_ticket
from support_plus.tests.dispatch_fixtures import ensure_tech_users, make_technician
from support_plus.tests.http import SiteServer
from support_plus.tests.utils import SupportTestCase, run_queued_jobs
from support_plus.utils import sms

MOBILE = "+4915100000001"  # the field ticket's contact (appointment_fixtures.make_contact)
TEXT = "Your technician Tech Ned is on the way."
ERROR_TITLE = "Support Plus: technician en route SMS not sent"


class SmsGateway:
	"""An HTTP SMS gateway on loopback: keeps each request (form or query, headers), answers `status`."""

	def __init__(self):
		self.received: list[dict] = []
		self.status = 200
		gateway = self

		class Handler(BaseHTTPRequestHandler):
			def do_GET(self):
				self._record(urlsplit(self.path).query)

			def do_POST(self):
				self._record(self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode())

			def _record(self, encoded: str):
				gateway.received.append(
					{
						"method": self.command,
						"path": urlsplit(self.path).path,
						"params": dict(parse_qsl(encoded)),
						"headers": dict(self.headers),
					}
				)
				self.send_response(gateway.status)
				self.send_header("Content-Type", "text/plain")
				self.end_headers()
				self.wfile.write(b"OK" if gateway.status < 300 else b"gateway error")

			def log_message(self, *args):
				pass

		self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
		self.url = f"http://127.0.0.1:{self.server.server_address[1]}/sms/send"
		self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
		self.thread.start()

	def stop(self):
		self.server.shutdown()
		self.server.server_close()


class TestEnRouteSms(SupportTestCase):
	@classmethod
	def setUpClass(cls):
		ensure_tech_users()
		super().setUpClass()
		cls.gateway = SmsGateway()
		settings = frappe.get_doc("SMS Settings")
		cls.saved_settings = settings.as_dict()
		cls.configure(cls.gateway.url)
		cls.ned = make_technician("ned", hours=None)  # any hour: the server runs on the real clock
		frappe.db.delete("Service Appointment", {"technician": cls.ned.name})
		cls.ticket = field_ticket("SMS: the boiler is leaking")
		start = now_datetime().replace(microsecond=0) + timedelta(minutes=30)
		cls.visits = [cls._book(start + timedelta(days=day)) for day in range(3)]
		cls.started = now_datetime()
		frappe.db.commit()  # nosemgrep: the web server is another process
		cls.server = SiteServer.get()
		cls.as_ned = cls.server.login(cls.ned.user)

	@classmethod
	def configure(cls, url: str) -> None:
		settings = frappe.get_doc("SMS Settings")
		settings.update(
			{
				"sms_gateway_url": url,
				"message_parameter": "text",
				"receiver_parameter": "to",
				"use_post": 1,
				"parameters": [
					{"parameter": "api_key", "value": "sp-test-key", "header": 0},
					{"parameter": "X-Gateway-Token", "value": "sp-test-token", "header": 1},
				],
			}
		)
		settings.save(ignore_permissions=True)

	@classmethod
	def _book(cls, start):
		return frappe.get_doc(
			{
				"doctype": "Service Appointment",
				"technician": cls.ned.name,
				"issue": cls.ticket.name,
				"scheduled_start": start,
				"scheduled_end": start + timedelta(hours=1),
			}
		).insert(ignore_permissions=True)

	@classmethod
	def tearDownClass(cls):
		cls.gateway.stop()
		frappe.db.rollback()
		settings = frappe.get_doc("SMS Settings")
		settings.update({k: cls.saved_settings.get(k) for k in ("sms_gateway_url", "message_parameter", "receiver_parameter", "use_post")})  # fmt: skip
		settings.set("parameters", [])
		for row in cls.saved_settings.get("parameters") or []:
			settings.append("parameters", {k: row.get(k) for k in ("parameter", "value", "header")})
		settings.flags.ignore_mandatory = True  # a site without SMS Settings has them empty
		settings.save(ignore_permissions=True)
		frappe.db.delete("SMS Log", {"message": TEXT, "creation": (">=", cls.started)})
		frappe.db.delete("Error Log", {"method": ERROR_TITLE, "creation": (">=", cls.started)})
		frappe.db.delete("Service Appointment", {"technician": cls.ned.name})
		frappe.db.delete("Comment", {"reference_doctype": "Issue", "reference_name": cls.ticket.name})
		frappe.delete_doc("Issue", cls.ticket.name, force=True, ignore_permissions=True)
		frappe.db.commit()  # nosemgrep
		super().tearDownClass()

	def setUp(self):
		self.gateway.received.clear()
		self.gateway.status = 200
		self.logged_before = {log.name for log in self.sms_logs()}

	def en_route(self, visit):
		answer = self.as_ned.post(
			f"{self.server.url}/api/method/support_plus.api.field.set_appointment_status",
			data={"appointment": visit.name, "status": "En Route"},
			timeout=60,
		)
		frappe.db.rollback()  # a fresh snapshot: what the server committed
		# The request only queued the text: a slow gateway never holds it.
		self.assertEqual(self.gateway.received, [])
		self.assertEqual(len(run_queued_jobs(sms.JOB, text=TEXT)), 1)  # what a worker then does
		return answer

	def sms_logs(self) -> list:
		return frappe.get_all(
			"SMS Log",
			filters={"message": TEXT, "creation": (">=", self.started)},
			fields=["name", "requested_numbers", "sent_to", "no_of_sent_sms", "no_of_requested_sms"],
		)

	def new_sms_logs(self) -> list[dict]:
		"""The SMS Logs this test made, without their names."""
		return [
			{k: v for k, v in log.items() if k != "name"}
			for log in self.sms_logs()
			if log.name not in self.logged_before
		]

	def errors(self) -> int:
		return frappe.db.count("Error Log", {"method": ERROR_TITLE, "creation": (">=", self.started)})

	def test_1_customer_gets_the_sms_and_it_is_logged(self):
		errors = self.errors()
		answer = self.en_route(self.visits[0])
		self.assertEqual(answer.status_code, 200, answer.text[:500])
		self.assertEqual(len(self.gateway.received), 1, self.gateway.received)
		sms = self.gateway.received[0]
		self.assertEqual((sms["method"], sms["path"]), ("POST", "/sms/send"))
		self.assertEqual(sms["params"], {"text": TEXT, "to": MOBILE, "api_key": "sp-test-key"})
		self.assertEqual(sms["headers"].get("X-Gateway-Token"), "sp-test-token")
		self.assertEqual(
			self.new_sms_logs(),
			[{"requested_numbers": MOBILE, "sent_to": MOBILE, "no_of_sent_sms": 1, "no_of_requested_sms": 1}],
		)
		self.assertEqual(self.errors(), errors)

	def test_2_a_failing_gateway_leaves_the_status_change_and_an_error_log(self):
		self.gateway.status = 500
		errors = self.errors()
		answer = self.en_route(self.visits[1])
		self.assertEqual(answer.status_code, 200, answer.text[:500])
		self.assertEqual(answer.json()["message"], "En Route")
		self.assertEqual(len(self.gateway.received), 1)  # it was asked, and failed
		self.assertEqual(
			frappe.db.get_value("Service Appointment", self.visits[1].name, "status"), "En Route"
		)
		self.assertEqual(self.new_sms_logs(), [])
		self.assertEqual(self.errors(), errors + 1)

	def test_3_an_absent_gateway_too(self):
		self.configure(f"http://127.0.0.1:{free_port()}/sms/send")  # nothing listens there
		frappe.db.commit()  # nosemgrep: the web server is another process
		errors = self.errors()
		try:
			answer = self.en_route(self.visits[2])
		finally:
			self.configure(self.gateway.url)
			frappe.db.commit()  # nosemgrep
		self.assertEqual(answer.status_code, 200, answer.text[:500])
		self.assertEqual(
			frappe.db.get_value("Service Appointment", self.visits[2].name, "status"), "En Route"
		)
		self.assertEqual(self.gateway.received, [])
		self.assertEqual(self.new_sms_logs(), [])
		self.assertEqual(self.errors(), errors + 1)
