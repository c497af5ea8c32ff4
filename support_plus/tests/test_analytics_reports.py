"""The analytics Script Reports on the hand-computed data set of analytics_fixtures (its table says what
each ticket is; now is Wednesday 2026-03-11 15:00, the period 2026-03-01 .. 2026-03-11)."""

import statistics

import frappe
from frappe.desk.query_report import run
from frappe.utils import get_fullname

from support_plus.support_plus.report.backlog_and_age import backlog_and_age
from support_plus.support_plus.report.customer_satisfaction import customer_satisfaction
from support_plus.support_plus.report.first_response_and_resolution_time import (
	first_response_and_resolution_time as response_times,
)
from support_plus.support_plus.report.sla_breach_analysis import sla_breach_analysis
from support_plus.support_plus.report.technician_scorecard import technician_scorecard
from support_plus.support_plus.report.ticket_volume import ticket_volume
from support_plus.tests.analytics_fixtures import CUSTOMER, PERIOD, REPORTS, AnalyticsDataCase
from support_plus.tests.utils import AGENT, MANAGER, SALES


class TestAnalyticsReports(AnalyticsDataCase):
	def test_first_response_and_resolution_percentiles_per_agent(self):
		rows, _rest = self.report(response_times, group_by="Agent")
		agent, manager, none = rows[get_fullname(AGENT)], rows[get_fullname(MANAGER)], rows["Not Set"]
		# AGENT: first responses 3600 and 1800 s; resolution T6 14400 s.
		self.assertEqual(
			(agent["responded"], agent["response_avg"], agent["response_median"], agent["response_p90"]),
			(2, 0.75, 0.75, 0.95),  # p90 = 1800 + 0.9 x 1800 = 3420 s
		)
		self.assertEqual((agent["resolved"], agent["resolution_avg"], agent["resolution_p90"]), (1, 4.0, 4.0))
		self.assertEqual((manager["response_avg"], manager["resolution_avg"]), (0.5, 24.0))
		# Unassigned: 1800, 3600, 7200, 7200 (S, business time), 14400 s.
		self.assertEqual(
			(none["responded"], none["response_avg"], none["response_median"], none["response_p90"]),
			(5, 1.9, 2.0, 3.2),  # p90 at 3.6 of 4: 7200 + 0.6 x 7200 = 11520 s
		)
		# Resolved unassigned: T9 68400, T8 86400, T11 864000 s.
		self.assertEqual(
			(none["resolved"], none["resolution_avg"], none["resolution_median"], none["resolution_p90"]),
			(3, 94.33, 24.0, 196.8),
		)

	def test_ticket_volume_peak_hours(self):
		rows, (_message, chart) = self.report(ticket_volume, group_by="Hour of Day")
		self.assertEqual(len(rows), 24)
		opened = {hour: row["opened"] for hour, row in rows.items() if row["opened"]}
		self.assertEqual(opened, {"08:00": 2, "09:00": 5, "10:00": 2, "11:00": 1, "14:00": 1})
		resolved = {hour: row["resolved"] for hour, row in rows.items() if row["resolved"]}
		self.assertEqual(resolved, {"09:00": 3, "10:00": 1, "12:00": 1})
		self.assertEqual(chart["type"], "bar")
		rows, _rest = self.report(ticket_volume, group_by="Weekday")
		self.assertEqual(rows["Monday"]["opened"], 3)  # T2 (03-02), T5 and T7 (03-09)
		self.assertEqual(sum(row["opened"] for row in rows.values()), 11)

	def test_backlog_by_age_and_status(self):
		rows, _rest = self.report(backlog_and_age, group_by="Age")
		self.assertEqual(
			{label: row["open_tickets"] for label, row in rows.items()},
			{"1-3 days": 2, "3-7 days": 3, "7-30 days": 1},  # T1 T5 | T3 T4 S | T2 (T12 before the period)
		)
		rows, _rest = self.report(backlog_and_age, group_by="Status")
		self.assertEqual(
			(rows["Open"]["open_tickets"], rows["Open"]["avg_age"], rows["Open"]["oldest"]), (2, 5.2, 9.2)
		)
		self.assertEqual((rows["Open"]["overdue"], rows["Open"]["breached"]), (1, 1))

	def test_customer_satisfaction_and_its_correlation(self):
		rows, (message, _chart) = self.report(customer_satisfaction, group_by="Agent")
		self.assertEqual(
			(rows[get_fullname(AGENT)]["ratings"], rows[get_fullname(AGENT)]["average"]), (1, 5.0)
		)
		none = rows["Not Set"]  # T8 rated 2, T11 rated 3
		self.assertEqual(
			(none["ratings"], none["average"], none["satisfied_percent"], none["unhappy_percent"]),
			(2, 2.5, 0.0, 50.0),
		)
		self.assertEqual(none["resolution_avg"], 132.0)  # (86400 + 864000) / 2 s
		r = statistics.correlation([5, 4, 2, 3], [14400, 86400, 86400, 864000])
		self.assertIn(str(round(r, 3)), message)

	def test_technician_scorecard(self):
		_columns, data, *_rest = technician_scorecard.execute({**PERIOD, "customer": CUSTOMER})
		rows = {row["user"]: row for row in data}
		self.assertEqual(
			{
				key: rows[AGENT][key]
				for key in ("tickets", "resolved", "first_response_avg", "resolution_avg")
			},
			{"tickets": 2, "resolved": 1, "first_response_avg": 0.75, "resolution_avg": 4.0},
		)
		self.assertEqual(
			(rows[AGENT]["sla_percent"], rows[AGENT]["csat"], rows[AGENT]["reopened_percent"]),
			(100.0, 5.0, 0.0),
		)
		self.assertEqual(
			(rows[MANAGER]["tickets"], rows[MANAGER]["sla_percent"], rows[MANAGER]["csat"]), (1, None, 4.0)
		)

	def test_sla_breach_analysis(self):
		rows, _rest = self.report(sla_breach_analysis, group_by="Agent")
		none = rows["Not Set"]  # T2 (unanswered), T4 (answered 1 h late), T8 (resolved 15 h late), S
		self.assertEqual(
			(none["tickets"], none["response_breached"], none["response_breach_percent"]), (4, 2, 66.7)
		)
		self.assertEqual(none["response_late"], 109.0)  # T2: 217 h until now, T4: 1 h
		self.assertEqual((none["resolution_breached"], none["resolution_breach_percent"]), (2, 100.0))
		self.assertEqual(none["resolution_late"], 22.0)  # T8: 15 h, S: 29 h until now
		agent = rows[get_fullname(AGENT)]
		self.assertEqual((agent["response_breached"], agent["response_breach_percent"]), (0, 0.0))

	def test_reports_run_through_frappe_and_a_sales_user_sees_only_their_projects(self):
		frappe.set_user(MANAGER)
		for name in REPORTS:
			result = run(name, filters={**PERIOD, "customer": CUSTOMER})
			self.assertIsInstance(result["result"], list, name)
		frappe.set_user(SALES)  # Issue rights without "report": the reports' code still scopes them
		rows, _rest = self.report(ticket_volume, group_by="Day")
		self.assertEqual(sum(row["opened"] for row in rows.values()), 3)  # T1, T2, T6
		rows, _rest = self.report(customer_satisfaction, group_by="Agent")
		self.assertEqual(list(rows), [get_fullname(AGENT)])  # only T6 is rated in their projects

	def test_bad_filters(self):
		with self.assertRaisesRegex(frappe.ValidationError, "before it starts"):
			ticket_volume.execute({"from_date": "2026-03-11", "to_date": "2026-03-01"})
		with self.assertRaisesRegex(frappe.ValidationError, "Group By"):
			response_times.execute({**PERIOD, "group_by": "Moon Phase"})
		with self.assertRaisesRegex(frappe.ValidationError, "does not exist"):
			backlog_and_age.execute({**PERIOD, "support_team": "No Such Team"})
