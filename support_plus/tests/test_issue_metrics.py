"""ERPNext's Issue metrics filled by the SLA engine: first and average response, resolution and the user's
share of it, the pause start, the late-response note, and which SLA applies when the clock is pinned.
Site: New York; the SLA's desk: Berlin (see sla_fixtures). Early March 2026 Berlin is New York + 6h."""

import frappe
from frappe.desk.form.assign_to import add as add_assignment
from frappe.utils import add_days, get_datetime, get_fullname, getdate

from support_plus.tests.sla_fixtures import HOURS, SlaTestCase, make_sla
from support_plus.tests.utils import AGENT, make_customer


def metrics(name):
	return frappe.db.get_value(
		"Issue",
		name,
		[
			"first_responded_on",
			"first_response_time",
			"avg_response_time",
			"resolution_time",
			"user_resolution_time",
			"on_hold_since",
			"response_by",
			"agreement_status",
			"service_level_agreement",
		],
		as_dict=True,
	)


def message(issue, sent_or_received, when=None):
	"""A message on the ticket; `when` is its own date (an imported or forwarded message keeps it)."""
	values = {"communication_date": when} if when else {}
	return frappe.get_doc(
		{
			"doctype": "Communication",
			"communication_type": "Communication",
			"communication_medium": "Email",
			"sent_or_received": sent_or_received,
			"subject": "Metrics test",
			"sender": "customer@metrics.example" if sent_or_received == "Received" else "Administrator",
			"content": "Test",
			"reference_doctype": "Issue",
			"reference_name": issue,
			**values,
		}
	).insert(ignore_permissions=True)


class TestIssueMetrics(SlaTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.sla = make_sla("SP Metrics Standard", default=True)

	def test_first_response_by_status_is_business_time_of_the_sla(self):
		doc = self.ticket("2026-03-02 10:00:00")  # Monday 16:00 in Berlin
		self.move(doc, "2026-03-03 04:00:00", "Replied")  # Tuesday 10:00 in Berlin
		state = metrics(doc.name)
		self.assertEqual(state.first_responded_on, get_datetime("2026-03-03 04:00:00"))
		self.assertEqual(state.first_response_time, 3 * HOURS)  # Monday 16-18 and Tuesday 9-10, Berlin

		weekend = self.ticket("2026-03-07 06:00:00")  # Saturday
		self.move(weekend, "2026-03-07 07:00:00", "Replied")
		# No working time passed; ERPNext stores 1 s, as 0 reads as "not answered yet" to Frappe.
		self.assertEqual(metrics(weekend.name).first_response_time, 1)

	def test_first_reply_by_email_counts_at_the_pinned_clock_in_the_sla_calendar(self):
		doc = self.ticket("2026-03-02 10:00:00")
		message(doc.name, "Received")
		self.at("2026-03-03 04:00:00")
		message(doc.name, "Sent")
		state = metrics(doc.name)
		self.assertEqual(state.first_responded_on, get_datetime("2026-03-03 04:00:00"), "not the real clock")
		# ERPNext's own hook would store 8 h here (09:00-18:00 read as New York hours, the SLA's timezone ignored).
		self.assertEqual(state.first_response_time, 3 * HOURS)
		self.assertEqual(state.agreement_status, "Resolution Due")

	def test_first_reply_by_email_counts_at_the_message_date_when_no_clock_is_pinned(self):
		# An imported ticket and reply: both carry their own dates, the clock is the real one.
		doc = frappe.get_doc(
			{
				"doctype": "Issue",
				"subject": "Imported",
				"priority": "Medium",
				"service_level_agreement_creation": "2026-03-02 10:00:00",
			}
		).insert()
		message(doc.name, "Sent", "2026-03-02 12:00:00")  # Monday 18:00 in Berlin
		state = metrics(doc.name)
		self.assertEqual(state.first_responded_on, get_datetime("2026-03-02 12:00:00"))
		self.assertEqual(state.first_response_time, 2 * HOURS)

	def conversation_then_resolved(self, **values):
		doc = self.ticket("2026-03-02 10:00:00", **values)
		for when, kind in (
			("2026-03-02 10:00:00", "Received"),
			("2026-03-02 11:00:00", "Sent"),  # answered after 1 h
			("2026-03-02 13:00:00", "Received"),  # the customer took 2 h
			("2026-03-02 13:30:00", "Sent"),  # answered after 30 min
		):
			self.at(when)
			message(doc.name, kind, when)
		self.assertEqual(metrics(doc.name).avg_response_time, 2700)  # (3600 + 1800) / 2
		return self.move(doc, "2026-03-02 15:00:00", "Resolved")

	def test_resolution_user_resolution_and_average_response_times(self):
		doc = self.conversation_then_resolved()
		state = metrics(doc.name)
		self.assertEqual(state.resolution_time, 5 * HOURS)  # wall clock, as ERPNext
		self.assertEqual(state.user_resolution_time, 3 * HOURS)  # less the 2 h waiting for the customer
		self.move(doc, "2026-03-02 16:00:00", "Closed")
		self.assertEqual(metrics(doc.name).resolution_time, 5 * HOURS, "resolved earlier: kept")
		reopened = self.ticket("2026-03-02 10:00:00")
		self.move(reopened, "2026-03-02 11:00:00", "Resolved")
		self.move(reopened, "2026-03-02 12:00:00", "Open")
		state = metrics(reopened.name)
		self.assertEqual((state.resolution_time, state.user_resolution_time), (None, None))

	def test_erpnext_issue_summary_report_shows_them(self):
		from erpnext.support.report.issue_summary.issue_summary import execute

		customer = make_customer("SP Metrics Report Customer")
		self.conversation_then_resolved(customer=customer)
		filters = {"based_on": "Customer", "customer": customer, "from_date": "2000-01-01"}
		[row] = execute({**filters, "to_date": "2100-01-01"})[1]
		columns = (
			"avg_first_response_time",
			"avg_response_time",
			"avg_resolution_time",
			"avg_user_resolution_time",
		)
		# First response Monday 16:00-17:00 in Berlin; the rest as in the test above.
		self.assertEqual([row[column] for column in columns], [HOURS, 2700, 5 * HOURS, 3 * HOURS])

	def test_on_hold_since_marks_the_pause(self):
		doc = self.ticket("2026-03-02 10:00:00")
		self.move(doc, "2026-03-02 11:00:00", "Pending Customer")
		self.assertEqual(metrics(doc.name).on_hold_since, get_datetime("2026-03-02 11:00:00"))
		self.move(doc, "2026-03-03 04:00:00", "Open")
		self.assertIsNone(metrics(doc.name).on_hold_since)

	def test_late_first_response_names_the_assignees_on_the_timeline(self):
		def failure_notes(name):
			return frappe.get_all(
				"Comment",
				filters={
					"reference_doctype": "Issue",
					"reference_name": name,
					"comment_type": "Assigned",
					"content": ("like", "First Response SLA Failed%"),
				},
				pluck="content",
			)

		late, in_time = self.ticket("2026-03-02 10:00:00"), self.ticket("2026-03-02 10:00:00")
		for doc in (late, in_time):
			add_assignment({"doctype": "Issue", "name": doc.name, "assign_to": [AGENT]})
		self.move(late, "2026-03-03 06:00:00", "Replied")  # response was due at 05:00
		self.move(in_time, "2026-03-03 04:00:00", "Replied")
		self.assertEqual(failure_notes(late.name), [f"First Response SLA Failed by {get_fullname(AGENT)}"])
		self.assertEqual(failure_notes(in_time.name), [])

	def test_backfill_fills_the_metrics_of_older_tickets(self):
		from support_plus.sla.backfill import backfill

		frappe.db.set_single_value("Support Settings", "track_service_level_agreement", 0)
		doc = self.move(self.ticket("2026-03-02 10:00:00"), "2026-03-02 11:00:00", "Resolved")
		frappe.db.set_value(
			"Issue",
			doc.name,
			{"service_level_agreement": self.sla, "service_level_agreement_creation": "2026-03-02 10:00:00"},
		)
		frappe.db.set_single_value("Support Settings", "track_service_level_agreement", 1)
		self.at("2026-03-02 12:00:00")
		backfill()
		state = metrics(doc.name)
		self.assertEqual(state.first_response_time, HOURS)  # Monday 16:00-17:00 in Berlin
		self.assertEqual((state.resolution_time, state.user_resolution_time), (HOURS, HOURS))

	def test_tickets_answered_before_the_metrics_get_them(self):
		from support_plus.sla.backfill import fill_missing_metrics

		doc = self.move(self.ticket("2026-03-02 10:00:00"), "2026-03-02 11:00:00", "Resolved")
		blank = dict.fromkeys(("first_response_time", "resolution_time", "user_resolution_time"))
		frappe.db.set_value("Issue", doc.name, blank, update_modified=False)
		self.assertGreaterEqual(fill_missing_metrics(), 1)
		state = metrics(doc.name)
		self.assertEqual(
			(state.first_response_time, state.resolution_time, state.user_resolution_time),
			(HOURS, HOURS, HOURS),
		)
		fill_missing_metrics()
		self.assertEqual(metrics(doc.name).first_response_time, HOURS, "filled once, unchanged after")


class TestSlaDatesAgainstThePinnedClock(SlaTestCase):
	def test_sla_in_force_today_applies_to_a_ticket_with_an_earlier_clock(self):
		sla = make_sla("SP Metrics Dated", default=True)
		today = getdate()  # the real date: ERPNext's tests date their SLAs so and pin the clock to 2021
		frappe.db.set_value(
			"Service Level Agreement", sla, {"start_date": today, "end_date": add_days(today, 100)}
		)
		doc = self.ticket("2021-11-01 10:00:00")
		state = metrics(doc.name)
		self.assertEqual(state.service_level_agreement, sla)
		self.assertIsNotNone(state.response_by)

		frappe.db.set_value(
			"Service Level Agreement",
			sla,
			{"start_date": add_days(today, -30), "end_date": add_days(today, -1)},
		)
		self.assertIsNone(metrics(self.ticket("2026-03-02 10:00:00").name).service_level_agreement, "expired")
