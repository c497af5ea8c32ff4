"""The SLA Compliance report counts met and missed clocks per group, and only decided clocks."""

import frappe

from support_plus.support_plus.report.sla_compliance.sla_compliance import execute
from support_plus.tests.sla_fixtures import SlaTestCase, make_sla
from support_plus.tests.utils import make_issue_type


class TestSlaComplianceReport(SlaTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.sla = make_sla("SP Report Standard", default=True)
		make_issue_type("Technical")

	def rows(self, group_by):
		self.at("2026-03-09 12:00:00")
		_columns, data = execute(
			{
				"from_date": "2026-03-01",
				"to_date": "2026-03-31",
				"group_by": group_by,
				"service_level_agreement": self.sla,
			}
		)
		return {row["group"]: row for row in data}

	def test_met_and_missed_per_priority_and_type(self):
		# Medium (4h response): answered in time and resolved in time.
		good = self.ticket("2026-03-02 10:00:00", issue_type="Technical")
		self.move(good, "2026-03-02 11:00:00", "Replied")
		self.move(good, "2026-03-02 12:00:00", "Resolved")
		# Medium: answered late, never resolved, resolution now past due.
		late = self.ticket("2026-03-02 10:00:00")
		self.move(late, "2026-03-03 08:00:00", "Replied")
		# High (1h response): still open, both deadlines long past.
		self.ticket("2026-03-02 10:00:00", priority="High", issue_type="Technical")
		# High, made just now: its clocks run, nothing decided yet.
		self.ticket("2026-03-09 11:30:00", priority="High")

		by_priority = self.rows("Priority")
		medium, high = by_priority["Medium"], by_priority["High"]
		self.assertEqual((medium.tickets, medium.response_met, medium.response_missed), (2, 1, 1))
		self.assertEqual((medium.resolution_met, medium.resolution_missed), (1, 1))
		self.assertEqual((medium.response_percent, medium.resolution_percent), (50.0, 50.0))
		self.assertEqual(
			(high.tickets, high.response_met, high.response_missed, high.resolution_missed), (2, 0, 1, 1)
		)
		self.assertEqual(high.response_percent, 0.0)

		by_type = self.rows("Issue Type")
		self.assertEqual(by_type["Technical"].tickets, 2)
		self.assertEqual(by_type["Not Set"].tickets, 2)
		weeks = self.rows("Week")
		self.assertEqual(sum(row.tickets for row in weeks.values()), 4)
		self.assertEqual(sorted(str(week) for week in weeks), ["2026-03-02", "2026-03-09"])

	def test_bad_filters_are_refused(self):
		self.assertRaises(
			frappe.ValidationError,
			execute,
			{"from_date": "2026-03-01", "to_date": "2026-03-31", "group_by": "Moon Phase"},
		)
		self.assertRaises(frappe.ValidationError, execute, {"group_by": "Priority"})
