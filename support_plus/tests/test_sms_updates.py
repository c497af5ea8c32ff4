"""Status updates by SMS through Frappe's SMS Settings, to a local stand-in gateway on loopback: sent to a
contact who opted in, after the change is committed, logged in SMS Log; nothing for one who did not."""

import frappe

from support_plus.tests.test_sms_en_route import SmsGateway
from support_plus.tests.utils import SupportTestCase, make_customer, run_queued_jobs
from support_plus.utils import sms


class TestSmsStatusUpdates(SupportTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.gateway = SmsGateway()
		settings = frappe.get_doc("SMS Settings")
		cls.previous = settings.as_dict()
		settings.update(
			{
				"sms_gateway_url": cls.gateway.url,
				"message_parameter": "text",
				"receiver_parameter": "to",
				"use_post": 1,
				"parameters": [{"parameter": "api_key", "value": "test-key"}],
			}
		)
		settings.save(ignore_permissions=True)
		cls.customer = make_customer("SMS Updates GmbH")

	@classmethod
	def tearDownClass(cls):
		cls.gateway.stop()
		frappe.db.rollback()
		# Back as it was (empty by default: SMS Settings' mandatory fields refuse a save, so write the values).
		for field in ("sms_gateway_url", "message_parameter", "receiver_parameter", "use_post"):
			frappe.db.set_single_value("SMS Settings", field, cls.previous.get(field))
		frappe.db.delete("SMS Parameter", {"parent": "SMS Settings"})
		for name in frappe.get_all("Issue", filters={"customer": cls.customer}, pluck="name"):
			frappe.delete_doc("Issue", name, force=True, ignore_permissions=True)
		frappe.db.delete("SMS Log", {"message": ("like", "Ticket %SMS update%")})
		frappe.db.commit()  # nosemgrep
		super().tearDownClass()

	def ticket_for(self, opted_in: int, mobile: str) -> "frappe.model.document.Document":
		contact = frappe.get_doc(
			{
				"doctype": "Contact",
				"first_name": f"Sms{opted_in}",
				"phone_nos": [{"phone": mobile, "is_primary_mobile_no": 1}],
				"sms_status_updates": opted_in,
				"links": [{"link_doctype": "Customer", "link_name": self.customer}],
			}
		).insert(ignore_permissions=True)
		return frappe.get_doc(
			{
				"doctype": "Issue",
				"subject": "SMS update test",
				"customer": self.customer,
				"contact": contact.name,
			}
		).insert(ignore_permissions=True)

	def test_an_opted_in_contact_is_texted_after_the_commit_and_others_are_not(self):
		ticket = self.ticket_for(1, "+49 151 5550001")
		quiet = self.ticket_for(0, "+49 151 5550002")
		frappe.db.commit()  # nosemgrep: the SMS goes after the change is committed
		for doc in (ticket, quiet):
			doc.status = "In Progress"
			doc.save(ignore_permissions=True)
		text = f"Ticket {ticket.name}: SMS update test. Status: In Progress."
		self.assertEqual(run_queued_jobs(sms.JOB, text=text), [])  # nothing queued before the commit
		frappe.db.commit()  # nosemgrep
		self.assertEqual(self.gateway.received, [])  # queued, not sent by the saving request
		quiet_text = f"Ticket {quiet.name}: SMS update test. Status: In Progress."
		self.assertEqual(run_queued_jobs(sms.JOB, text=quiet_text), [])  # not opted in: nothing
		self.assertEqual(len(run_queued_jobs(sms.JOB, text=text)), 1)  # what a worker does: one text
		self.assertEqual(len(self.gateway.received), 1)
		sent = self.gateway.received[0]["params"]
		self.assertEqual(sent["api_key"], "test-key")
		self.assertEqual(sent["to"], "+491515550001")
		self.assertEqual(sent["text"], text)
		self.assertTrue(frappe.db.exists("SMS Log", {"message": sent["text"]}))
