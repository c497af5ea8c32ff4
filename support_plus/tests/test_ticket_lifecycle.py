"""The ticket lifecycle on Issue: statuses, allowed transitions, stamps and the timeline."""

import json

import frappe
from frappe.utils import get_datetime

from support_plus.tests.utils import AGENT, MANAGER, SupportTestCase
from support_plus.tickets.lifecycle import STATUSES, TRANSITIONS
from support_plus.utils import clock


def new_ticket(**values):
	return frappe.get_doc({"doctype": "Issue", "subject": "Lifecycle test", **values}).insert()


def move(doc, status, **values):
	doc.update({"status": status, **values})
	doc.save(ignore_version=False)  # tests skip change tracking unless asked; the timeline needs it
	return doc


class TestTicketLifecycle(SupportTestCase):
	def test_all_statuses_are_offered(self):
		options = frappe.get_meta("Issue").get_field("status").options.split("\n")
		self.assertEqual(options, list(STATUSES))
		for erpnext_status in ("Open", "Replied", "On Hold", "Resolved", "Closed"):
			self.assertIn(erpnext_status, options)

	def test_new_ticket_defaults(self):
		doc = new_ticket()
		self.assertEqual((doc.status, doc.channel, doc.reopen_count), ("Open", "Manual", 0))
		self.assertTrue(doc.status_changed_on)

	def test_working_path_stamps_who_and_when(self):
		frappe.flags.current_time = "2026-03-02 09:00:00"
		doc = new_ticket()
		for status in ("In Progress", "Pending Parts", "Pending Customer", "Resolved"):
			move(doc, status)
		self.assertEqual(doc.resolved_on, get_datetime("2026-03-02 09:00:00"))

		frappe.flags.current_time = "2026-03-04 16:30:00"
		move(doc, "Closed")

		stored = frappe.db.get_value(
			"Issue",
			doc.name,
			["status", "closed_on", "closed_by", "resolved_on", "status_changed_on"],
			as_dict=True,
		)
		self.assertEqual(stored.status, "Closed")
		self.assertEqual(stored.closed_on, get_datetime("2026-03-04 16:30:00"))
		self.assertEqual(stored.status_changed_on, get_datetime("2026-03-04 16:30:00"))
		self.assertEqual(stored.resolved_on, get_datetime("2026-03-02 09:00:00"))
		self.assertEqual(stored.closed_by, "Administrator")

	def test_forbidden_transitions_are_refused_and_change_nothing(self):
		for start, path, forbidden in (
			("Resolved", ["Resolved"], "Pending Parts"),
			("Closed", ["Closed"], "Open"),
			("Closed", ["Closed"], "Resolved"),
			("Cancelled", ["Cancelled"], "Open"),
		):
			doc = new_ticket()
			for status in path:
				move(
					doc,
					status,
					cancel_reason="Duplicate of another ticket" if status == "Cancelled" else None,
				)
			self.assertNotIn(forbidden, TRANSITIONS[start])
			doc.status = forbidden
			with self.assertRaises(frappe.ValidationError, msg=f"{start} -> {forbidden}"):
				doc.save()
			doc.reload()
			self.assertEqual(frappe.db.get_value("Issue", doc.name, "status"), start)

	def test_closed_ticket_error_says_how_to_reopen(self):
		closed = move(new_ticket(), "Closed")
		cancelled = move(new_ticket(), "Cancelled", cancel_reason="Sent twice")
		# To an agent: who can reopen it. To a manager (who can): how.
		for user, reason in (
			(AGENT, "only a Support Manager can reopen it"),
			(MANAGER, "reopen it with Reopen, which asks for a reason"),
		):
			frappe.set_user(user)
			for name, status in ((closed.name, "Open"), (cancelled.name, "Closed")):
				doc = frappe.get_doc("Issue", name)
				doc.status = status
				with self.assertRaisesRegex(frappe.ValidationError, reason, msg=f"{user}: {name}"):
					doc.save()

	def test_cancelling_needs_a_reason(self):
		doc = new_ticket()
		doc.status = "Cancelled"
		with self.assertRaisesRegex(frappe.ValidationError, "reason"):
			doc.save()
		doc.reload()
		move(doc, "Cancelled", cancel_reason="Customer withdrew the request")
		self.assertEqual(
			frappe.db.get_value("Issue", doc.name, "cancel_reason"), "Customer withdrew the request"
		)

	def test_unknown_status_is_refused(self):
		doc = new_ticket()
		doc.status = "Escalated"
		with self.assertRaises(frappe.ValidationError):
			doc.save()

	def test_going_back_to_open_counts_as_a_reopening(self):
		doc = new_ticket()
		move(doc, "Resolved")
		move(doc, "Open")
		self.assertEqual(doc.reopen_count, 1)
		self.assertIsNone(doc.resolved_on)
		move(doc, "Replied")
		move(doc, "Open")
		self.assertEqual(doc.reopen_count, 2)
		move(doc, "In Progress")
		move(doc, "Open")  # not a reopening: the ticket was still being worked on
		self.assertEqual(frappe.db.get_value("Issue", doc.name, "reopen_count"), 2)

	def test_status_changes_are_on_the_timeline_with_who(self):
		doc = new_ticket()
		move(doc, "In Progress")
		move(doc, "Resolved")

		changes = [
			(change, version.owner)
			for version in frappe.get_all(
				"Version", filters={"ref_doctype": "Issue", "docname": doc.name}, fields=["data", "owner"]
			)
			for change in json.loads(version.data).get("changed", [])
			if change[0] == "status"
		]
		self.assertIn((["status", "Open", "In Progress"], "Administrator"), changes)
		self.assertIn((["status", "In Progress", "Resolved"], "Administrator"), changes)


class TestClock(SupportTestCase):
	def test_explicit_now_wins_over_pinned_time(self):
		frappe.flags.current_time = "2026-01-01 10:00:00"
		self.assertEqual(clock.now(), get_datetime("2026-01-01 10:00:00"))
		self.assertEqual(clock.now("2026-02-01 08:00:00"), get_datetime("2026-02-01 08:00:00"))
		self.assertEqual(str(clock.today()), "2026-01-01")
