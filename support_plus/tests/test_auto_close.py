"""Auto-close: from the last status change, configurable, off at 0, idempotent, robust, and notifying."""

from datetime import datetime

import frappe
from frappe.tests.utils import FrappeTestCase

from support_plus.api import auto_close as api_auto_close
from support_plus.tests.utils import AGENT, MANAGER
from support_plus.tickets.auto_close import ERPNEXT_JOB, auto_close
from support_plus.tickets.follow_ups import refresh_issue

SUBJECTS = ("Auto-close test", "Broken ticket")


def ticket(status: str, changed_on: str, subject=SUBJECTS[0]):
	doc = frappe.get_doc(
		{"doctype": "Issue", "subject": subject, "raised_by": "waiting@autoclose.example"}
	).insert()
	if status != "Open":
		doc.status = status
		doc.save()
	frappe.db.set_value("Issue", doc.name, "status_changed_on", changed_on, update_modified=False)
	return doc.name


def status(name):
	return frappe.db.get_value("Issue", name, "status")


class TestAutoClose(FrappeTestCase):
	NOW = "2026-07-20 06:00:00"

	def setUp(self):
		settings = frappe.get_single("Support Plus Settings")
		self.saved = (settings.auto_close_after_days, [row.status for row in settings.auto_close_statuses])
		self.configure(7, ["Replied", "Resolved"])
		# Only this test's tickets are due: older ones from other tests are pushed out of reach.
		frappe.db.set_value(
			"Issue", {"status_changed_on": ("<", "2026-07-13")}, "status_changed_on", self.NOW
		)

	def tearDown(self):
		self.configure(*self.saved)
		# auto_close commits its batches: remove what this test made.
		frappe.db.delete("Issue", {"subject": ("in", SUBJECTS)})
		frappe.db.commit()  # nosemgrep

	def configure(self, days, statuses):
		settings = frappe.get_single("Support Plus Settings")
		settings.auto_close_after_days = days
		settings.set("auto_close_statuses", [{"status": s} for s in statuses])
		settings.save()

	def test_closes_what_stayed_long_enough_in_a_configured_status(self):
		replied_long = ticket("Replied", "2026-07-12 05:00:00")
		resolved_long = ticket("Resolved", "2026-07-01 00:00:00")
		replied_recent = ticket("Replied", "2026-07-14 00:00:00")
		working_long = ticket("In Progress", "2026-06-01 00:00:00")

		result = auto_close(now=self.NOW)

		self.assertEqual(result, {"closed": 2, "failed": 0})
		self.assertEqual([status(n) for n in (replied_long, resolved_long)], ["Closed", "Closed"])
		self.assertEqual(status(replied_recent), "Replied")
		self.assertEqual(status(working_long), "In Progress")
		self.assertEqual(auto_close(now=self.NOW), {"closed": 0, "failed": 0}, "a second run closes nothing")

	def test_api_takes_a_python_datetime_and_closes_at_that_time(self):
		name = ticket("Replied", "2026-07-12 05:00:00")
		frappe.set_user(AGENT)
		self.assertRaises(frappe.PermissionError, api_auto_close, now=datetime(2026, 7, 20, 6))
		frappe.set_user(MANAGER)
		try:
			self.assertEqual(api_auto_close(now=datetime(2026, 7, 20, 6)), {"closed": 1, "failed": 0})
		finally:
			frappe.set_user("Administrator")
		self.assertEqual(
			frappe.db.get_value("Issue", name, ["status", "closed_on"]),
			("Closed", datetime(2026, 7, 20, 6)),
			"closed at the run's time, not the wall clock's",
		)
		self.assertRaises(frappe.ValidationError, api_auto_close, now="not a time")

	def test_clock_is_the_status_change_not_modified(self):
		name = ticket("Replied", "2026-07-01 00:00:00")
		frappe.get_doc({"doctype": "Issue Follow Up", "issue": name, "note": "touched today"}).insert()
		refresh_issue(name)
		frappe.db.set_value("Issue", name, "priority", "High")  # modified is now recent
		auto_close(now=self.NOW)
		self.assertEqual(status(name), "Closed")

	def test_zero_days_turns_it_off(self):
		self.configure(0, ["Replied", "Resolved"])
		name = ticket("Replied", "2025-01-01 00:00:00")
		self.assertEqual(auto_close(now=self.NOW), {"closed": 0, "failed": 0})
		self.assertEqual(status(name), "Replied")

	def test_configured_statuses_only(self):
		self.configure(3, ["Pending Customer"])
		pending = ticket("Pending Customer", "2026-07-10 00:00:00")
		replied = ticket("Replied", "2026-07-10 00:00:00")
		auto_close(now=self.NOW)
		self.assertEqual((status(pending), status(replied)), ("Closed", "Replied"))

	def test_one_bad_ticket_is_logged_and_the_rest_are_closed(self):
		bad = ticket("Replied", "2026-07-01 00:00:00", subject=SUBJECTS[1])
		good = ticket("Replied", "2026-07-01 00:00:00")
		frappe.db.set_value("Issue", bad, "priority", "No Such Priority")  # the save's link check fails
		errors_before = frappe.db.count("Error Log")

		self.assertEqual(auto_close(now=self.NOW), {"closed": 1, "failed": 1})

		self.assertEqual((status(bad), status(good)), ("Replied", "Closed"))
		self.assertEqual(frappe.db.count("Error Log"), errors_before + 1)

	def test_customer_is_told(self):
		name = ticket("Resolved", "2026-07-01 00:00:00")
		before = set(
			frappe.get_all("Email Queue", filters={"reference_name": name}, pluck="name")
		)  # the resolution email
		auto_close(now=self.NOW)
		queued = frappe.get_all(
			"Email Queue",
			filters={
				"reference_doctype": "Issue",
				"reference_name": name,
				"name": ("not in", list(before) or ["-"]),
			},
			fields=["name", "message"],
		)
		self.assertEqual(len(queued), 1)
		recipients = frappe.get_all(
			"Email Queue Recipient", filters={"parent": queued[0].name}, pluck="recipient"
		)
		self.assertEqual(recipients, ["waiting@autoclose.example"])
		self.assertIn(name, queued[0].message)

	def test_erpnext_job_no_longer_runs(self):
		self.assertEqual(frappe.db.get_value("Scheduled Job Type", {"method": ERPNEXT_JOB}, "stopped"), 1)
		self.assertIn(
			"support_plus.tickets.auto_close.daily_auto_close", frappe.get_hooks("scheduler_events")["daily"]
		)

	def test_negative_days_are_refused(self):
		settings = frappe.get_single("Support Plus Settings")
		settings.auto_close_after_days = -1
		self.assertRaises(frappe.ValidationError, settings.save)
