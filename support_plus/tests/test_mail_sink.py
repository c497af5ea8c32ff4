"""The demo's local SMTP sink: Frappe's own SMTP code sends to it through the Email Account it sets up,
and each message is kept as an .eml file."""

import tempfile
from pathlib import Path

import frappe
from frappe.tests.utils import FrappeTestCase

from support_plus.demo.mail_sink import DEMO_OUTBOX, SmtpSink, use_sink


class TestMailSink(FrappeTestCase):
	def setUp(self):
		self.previous = frappe.db.get_value("Email Account", {"default_outgoing": 1})
		self.directory = tempfile.mkdtemp(prefix="sp-mail-sink-")
		self.seen = []
		self.sink = SmtpSink(directory=self.directory, on_message=lambda m, p: self.seen.append((m, p)))

	def tearDown(self):
		self.sink.stop()
		if frappe.db.exists("Email Account", DEMO_OUTBOX):
			frappe.delete_doc("Email Account", DEMO_OUTBOX, ignore_permissions=True, force=True)
		if self.previous:
			frappe.db.set_value("Email Account", self.previous, "default_outgoing", 1)

	def test_the_sites_mail_goes_to_the_sink_and_is_kept(self):
		account = use_sink(self.sink.port)
		self.assertEqual(frappe.db.get_value("Email Account", {"default_outgoing": 1}), account)
		# Running it again updates the same account (a new port after a restart), no second one.
		self.assertEqual(use_sink(self.sink.port), account)
		self.assertEqual(frappe.db.count("Email Account", {"email_account_name": DEMO_OUTBOX}), 1)

		outbox = frappe.get_doc("Email Account", account)
		smtp = outbox.get_smtp_server()
		smtp.session.sendmail(
			outbox.email_id,
			["customer@example.com"],
			b"From: support@support-plus.example\r\nTo: customer@example.com\r\n"
			b"Subject: Ticket received\r\n\r\nHello\r\n..dotted line\r\n",
		)
		smtp.quit()

		messages = self.sink.wait_for(1)
		self.assertEqual(len(messages), 1)
		self.assertEqual(messages[0]["Subject"], "Ticket received")
		message, path = self.seen[0]
		self.assertEqual(message["To"], "customer@example.com")
		self.assertEqual(Path(path).parent, Path(self.directory))
		self.assertIn(b".dotted line", Path(path).read_bytes())
