"""ERPNext's SLA hooks on Communication, replaced for Issues (support_plus/overrides/erpnext_sla.py): they are
installed, refused on an ERPNext without them, and a ticket's messages still do what ERPNext's did (a
customer's message reopens, the first reply is the first response) with the SLA left to the engine: the
first response recorded once, at the reply's time, in the SLA's business time.
Site: New York; the SLA's desk: Berlin (see sla_fixtures). Early March 2026 Berlin is New York + 6h."""

import json

import frappe
from frappe.desk.form.assign_to import add as add_assignment
from frappe.utils import get_datetime, get_fullname

from erpnext.support.doctype.issue import issue as erpnext_issue
from erpnext.support.doctype.service_level_agreement import service_level_agreement as erpnext_sla

from support_plus.overrides import check_versions
from support_plus.overrides import erpnext_sla as replacement
from support_plus.tests.sla_fixtures import HOURS, SlaTestCase, make_sla
from support_plus.tests.test_issue_metrics import message, metrics
from support_plus.tests.utils import AGENT


class TestErpnextSlaHooks(SlaTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.sla = make_sla("SP Hooks Standard", default=True)

	def test_installed_in_place_of_erpnext_functions(self):
		doc = self.ticket("2026-03-02 10:00:00")
		message(doc.name, "Received")  # a Communication's validate installs them
		hooked = frappe.get_doc_hooks()["Communication"]["on_update"]
		for module, name in replacement.REPLACED:
			path = f"{module.__name__}.{name}"
			self.assertIn(path, hooked, "ERPNext still names it in its hooks")
			self.assertIs(frappe.get_attr(path), replacement.REPLACEMENT[name])
			self.assertIsNot(replacement.ORIGINAL[name], replacement.REPLACEMENT[name])
		self.assertEqual(replacement.ORIGINAL["on_communication_update"].__module__, erpnext_sla.__name__)

		# The version guard also refuses an ERPNext without a function replaced here.
		original = erpnext_issue.set_first_response_time
		try:
			del erpnext_issue.set_first_response_time
			self.assertRaises(frappe.ValidationError, check_versions)
		finally:
			erpnext_issue.set_first_response_time = original
		check_versions()

	def test_a_reply_records_the_first_response_once_in_business_time(self):
		frappe.set_user(AGENT)
		doc = self.ticket("2026-03-02 10:00:00")  # Monday 16:00 in Berlin
		message(doc.name, "Received")
		self.at("2026-03-03 04:00:00")  # Tuesday 10:00 in Berlin
		reply = message(doc.name, "Sent")
		state = metrics(doc.name)
		self.assertEqual(state.first_responded_on, get_datetime("2026-03-03 04:00:00"), "the reply's time")
		# Business time of the SLA (Monday 16-18, Tuesday 9-10 Berlin). ERPNext's own set_first_response_time
		# reads 09:00-18:00 as New York hours and would store 8 h.
		self.assertEqual(state.first_response_time, 3 * HOURS)
		self.assertEqual(state.agreement_status, "Resolution Due")
		# What ERPNext's own function writes for the same reply, undone: not the SLA's business time.
		frappe.db.savepoint("erpnext_way")
		replacement.ORIGINAL["set_first_response_time"](reply, "on_update")
		erpnext_value = metrics(doc.name).first_response_time
		frappe.db.rollback(save_point="erpnext_way")
		self.assertNotEqual(erpnext_value, 3 * HOURS)

		self.at("2026-03-03 09:00:00")
		message(doc.name, "Sent")  # a second reply changes nothing of the first response
		again = metrics(doc.name)
		self.assertEqual(
			(again.first_responded_on, again.first_response_time),
			(state.first_responded_on, state.first_response_time),
		)
		frappe.set_user("Administrator")

	def test_a_late_first_reply_by_email_names_the_assignees_once_as_erpnext(self):
		doc = self.ticket("2026-03-02 10:00:00")  # response due Tuesday 05:00
		add_assignment({"doctype": "Issue", "name": doc.name, "assign_to": [AGENT]})
		message(doc.name, "Received")
		self.at("2026-03-03 06:00:00")
		message(doc.name, "Sent")
		self.at("2026-03-03 07:00:00")
		message(doc.name, "Sent")
		notes = frappe.get_all(
			"Comment",
			filters={"reference_doctype": "Issue", "reference_name": doc.name, "comment_type": "Assigned"},
			pluck="content",
		)
		self.assertEqual(
			[n for n in notes if n.startswith("First Response SLA Failed")],
			[f"First Response SLA Failed by {get_fullname(AGENT)}"],
		)
		self.assertEqual(metrics(doc.name).agreement_status, "Failed")

	def test_a_customer_message_reopens_as_in_erpnext_and_the_engine_sees_it(self):
		doc = self.ticket("2026-03-02 10:00:00")
		self.move(doc, "2026-03-02 11:00:00", "Pending Customer")  # a pause status of the SLA
		self.assertTrue(metrics(doc.name).on_hold_since)
		self.at("2026-03-02 12:00:00")
		message(doc.name, "Received")
		doc.reload()
		# As ERPNext: Open again. And saved, not only set: the engine closed the pause at the message.
		self.assertEqual(doc.status, "Open")
		self.assertIsNone(doc.on_hold_since)
		self.assertEqual(json.loads(doc.sla_pauses), [["2026-03-02 11:00:00", "2026-03-02 12:00:00"]])

	def test_other_doctypes_and_untracked_tickets_get_erpnext_functions(self):
		self.assertTrue(replacement.under_engine("Issue"))
		self.assertFalse(replacement.under_engine("Lead"))
		frappe.db.set_single_value("Support Settings", "track_service_level_agreement", 0)
		try:
			self.assertFalse(replacement.under_engine("Issue"))
		finally:
			frappe.db.set_single_value("Support Settings", "track_service_level_agreement", 1)
