"""The Support Tickets Dashboard's data and drawer, Repeat Issues, Tickets by Product and Category and the
scorecard's utilisation, on the hand-computed data set of analytics_fixtures (its table says what each
ticket is; now is Wednesday 2026-03-11 15:00, the period 2026-03-01 .. 2026-03-11)."""

import json

import frappe

from support_plus.api.analytics import dashboard_ticket, support_tickets_dashboard
from support_plus.api.tickets import add_follow_up, set_status
from support_plus.support_plus.report.repeat_issues import repeat_issues
from support_plus.support_plus.report.technician_scorecard import technician_scorecard
from support_plus.support_plus.report.tickets_by_product_and_category import (
	tickets_by_product_and_category as by_product,
)
from support_plus.tests.analytics_fixtures import CUSTOMER, PERIOD, AnalyticsDataCase
from support_plus.tests.dispatch_fixtures import make_technician
from support_plus.tests.utils import AGENT, MANAGER, SALES, make_issue_type

TYPE = "SP Analytics Repeat Type"


class TestSupportTicketsDashboard(AnalyticsDataCase):
	def board(self, state=None, **extra):
		return support_tickets_dashboard(state=state, customer=CUSTOMER, **extra)

	def subjects(self, rows):
		return sorted(frappe.db.get_value("Issue", row["name"], "subject") for row in rows)

	def test_counts_and_the_table_they_filter(self):
		frappe.set_user(MANAGER)
		data = self.board()
		self.assertEqual(data["counts"], {"open": 2, "in_progress": 1, "closed": 3, "overdue": 2})
		self.assertEqual(
			data["donut"], {"open": 2, "in_progress": 1, "waiting": 4, "resolved": 2, "closed": 3}
		)
		# The table: the tickets still needing work (T10 Cancelled, T6/T9 Resolved, closed ones are not).
		self.assertEqual(
			self.subjects(data["rows"]), ["S", "T1", "T12", "T2", "T3", "T4", "T5"]
		)  # fmt: skip
		self.assertEqual(data["total"], 7)
		# Each card's click shows exactly the tickets it counts.
		for state, expected in (
			("overdue", ["T12", "T2"]),  # T10 carries the flag but is cancelled
			("open", ["T1", "T2"]),
			("in_progress", ["T3"]),
			("closed", ["T11", "T7", "T8"]),
		):
			rows = self.board(state)["rows"]
			self.assertEqual(self.subjects(rows), expected, state)
			self.assertEqual(len(rows), data["counts"][state], state)
		# Newest first, with the project's name.
		rows = self.board("open")["rows"]
		self.assertEqual([r.subject for r in rows], ["T1", "T2"])
		self.assertEqual(rows[0].project_name, frappe.db.get_value("Project", self.project, "project_name"))

	def test_sales_user_sees_only_their_projects(self):
		frappe.set_user(SALES)  # T1, T2 (Open, overdue), T6 (Resolved) are in their project
		data = self.board()
		self.assertEqual(data["counts"], {"open": 2, "in_progress": 0, "closed": 0, "overdue": 1})
		self.assertEqual(self.subjects(data["rows"]), ["T1", "T2"])
		with self.assertRaises(frappe.PermissionError):
			dashboard_ticket(self.names["T3"])

	def test_drawer_follow_up_and_close(self):
		frappe.set_user(AGENT)
		t3 = self.names["T3"]
		add_follow_up(t3, "Called the customer, parts ordered", "2026-03-13")
		ticket = dashboard_ticket(t3)
		self.assertEqual(ticket["status"], "In Progress")
		self.assertEqual([f.note for f in ticket["follow_ups"]], ["Called the customer, parts ordered"])
		self.assertEqual(str(ticket["next_follow_up_date"]), "2026-03-13")
		self.assertTrue(ticket["can_follow_up"] and ticket["can_close"])
		row = next(r for r in self.board("in_progress")["rows"] if r.name == t3)
		self.assertEqual(row.last_follow_up_on, ticket["follow_ups"][0].creation)
		set_status(t3, "Closed")
		ticket = dashboard_ticket(t3)
		self.assertEqual(ticket["status"], "Closed")
		self.assertFalse(ticket["can_close"] or ticket["can_follow_up"])  # an agent; a manager may follow up
		self.assertEqual(self.board()["counts"]["closed"], 4)
		frappe.set_user(MANAGER)
		self.assertTrue(dashboard_ticket(t3)["can_follow_up"])

	def test_bad_input(self):
		with self.assertRaisesRegex(frappe.ValidationError, "Unknown ticket filter"):
			self.board("everything")
		with self.assertRaisesRegex(frappe.ValidationError, "between 1 and"):
			self.board(limit=100000)
		with self.assertRaises(frappe.DoesNotExistError):
			dashboard_ticket("RE-NO-SUCH-TICKET")
		frappe.set_user("Guest")
		with self.assertRaises(frappe.PermissionError):
			self.board()


class TestRepeatAndProductReports(AnalyticsDataCase):
	def setUp(self):
		super().setUp()
		make_issue_type(TYPE)
		for key in ("T12", "T5", "T1"):  # opened 02-25, 03-09, 03-10
			frappe.db.set_value("Issue", self.names[key], "issue_type", TYPE, update_modified=False)
		for key in ("T3", "T4"):  # opened 03-05 and 03-06, the same unit
			frappe.db.set_value(
				"Issue", self.names[key], "serial_no", "SP-AN-SERIAL-1", update_modified=False
			)

	def repeats(self, days):
		_columns, rows, *_rest = repeat_issues.execute({**PERIOD, "customer": CUSTOMER, "days": days})
		return {
			frappe.db.get_value("Issue", r["ticket"], "subject"): (
				r["matched_on"],
				frappe.db.get_value("Issue", r["previous"], "subject"),
				r["days_since"],
				r["earlier"],
			)
			for r in rows
		}

	def test_repeat_issues(self):
		rows = self.repeats(30)
		self.assertEqual(set(rows), {"T5", "T1", "T4"})
		self.assertEqual(rows["T1"][:2], ("Issue Type", "T5"))
		self.assertEqual(rows["T1"][3], 2)  # T5 and T12 within 30 days before
		self.assertEqual(rows["T4"], ("Serial No", "T3", 1.0, 1))
		self.assertEqual(rows["T5"][:2], ("Issue Type", "T12"))
		self.assertEqual(rows["T5"][2], 12.0)  # 02-25 09:00 to 03-09 08:00: 11 days 23 hours
		rows = self.repeats(7)  # T12 is 12 days before T5: no longer a repeat
		self.assertEqual(set(rows), {"T1", "T4"})
		self.assertEqual(rows["T1"][3], 1)
		with self.assertRaisesRegex(frappe.ValidationError, "Within Days"):
			self.repeats(0)

	def test_tickets_by_issue_type(self):
		_columns, data, *_rest = by_product.execute(
			{**PERIOD, "customer": CUSTOMER, "group_by": "Issue Type"}
		)
		rows = {row["group"]: row for row in data}
		self.assertEqual((rows[TYPE]["tickets"], rows[TYPE]["still_open"], rows[TYPE]["resolved"]), (2, 2, 0))
		# The others opened in the period: T2 T3 T4 T6 T7 T8 T9 T10 S; still open T2 T3 T4 S.
		unset = rows["Not Set"]
		self.assertEqual((unset["tickets"], unset["still_open"], unset["resolved"]), (9, 4, 4))
		self.assertEqual(unset["resolution_avg"], 17.75)  # T6 4 h, T7 24 h, T8 24 h, T9 19 h
		with self.assertRaisesRegex(frappe.ValidationError, "Group By"):
			by_product.execute({**PERIOD, "group_by": "Colour"})

	def test_utilisation_in_the_scorecard(self):
		tech = make_technician("ana")  # Monday to Friday 09:00-18:00
		frappe.db.set_value(
			"Issue", self.names["T4"], "_assign", json.dumps([tech.user]), update_modified=False
		)
		for start, end, status in (
			("2026-03-03 10:00:00", "2026-03-03 13:00:00", "Completed"),
			("2026-03-04 09:00:00", "2026-03-04 12:00:00", "Scheduled"),
			("2026-03-05 09:00:00", "2026-03-05 17:00:00", "Cancelled"),  # freed: not counted
			("2026-03-11 17:00:00", "2026-03-12 11:00:00", "Scheduled"),  # 7 h inside the period
		):
			frappe.get_doc(
				{
					"doctype": "Service Appointment",
					"technician": tech.name,
					"technician_user": tech.user,
					"scheduled_start": start,
					"scheduled_end": end,
					"status": status,
				}
			).db_insert()
		frappe.set_user(MANAGER)
		_columns, data, *_rest = technician_scorecard.execute({**PERIOD, "customer": CUSTOMER})
		rows = {row["user"]: row for row in data}
		# Working: 8 weekdays x 9 h = 72 h; booked 3 + 3 + 7 = 13 h.
		self.assertEqual(rows[tech.user]["utilisation_percent"], round(100 * 13 / 72, 1))
		self.assertIsNone(rows[AGENT]["utilisation_percent"])  # no technician profile


class TestFasterFormsAgree(AnalyticsDataCase):
	"""The speed-ups give the numbers the plain SQL gives: one rule in two forms."""

	def test_percentiles_from_the_histogram_equal_percentile_cont(self):
		from support_plus.analytics import kpis

		scope = kpis.report_scope({**PERIOD, "customer": CUSTOMER})
		for measure, column in ((kpis.FIRST_RESPONSE_S, "creation"), (kpis.RESOLUTION_S, "resolved_on")):
			for group_by in ("Agent", "Week", "Priority"):
				group = kpis.group_sql(group_by, column)
				plain = kpis.distribution_by_percentile_cont(scope, measure, column, group)
				# The values as lists, and (what MariaDB leaves out of the lists) numbered by MariaDB.
				for lists in (True, False):
					fast = kpis.distribution(scope, measure, column, group, lists=lists)
					self.assertEqual(set(fast), set(plain), group_by)
					for key in plain:
						for field in ("n", "average", "median", "p90"):
							self.assertAlmostEqual(
								float(fast[key][field]),
								float(plain[key][field]),
								places=6,
								msg=(group_by, key, field, lists),
							)

	def test_first_assignee_column_follows_frappe_assignments(self):
		from frappe.desk.form.assign_to import add, remove

		name = self.names["T5"]
		add({"assign_to": [AGENT], "doctype": "Issue", "name": name})
		add({"assign_to": [MANAGER], "doctype": "Issue", "name": name})
		rows = frappe.db.sql(
			"""select sp_first_assignee, json_unquote(json_extract(_assign, '$[0]')) from `tabIssue`
			where customer = %s""",
			CUSTOMER,
		)
		self.assertTrue(all(column == extracted for column, extracted in rows))
		self.assertEqual(frappe.db.get_value("Issue", name, "sp_first_assignee"), AGENT)
		remove("Issue", name, AGENT)
		self.assertEqual(frappe.db.get_value("Issue", name, "sp_first_assignee"), MANAGER)
		# Not JSON (an empty string): no first assignee, and the row still saves.
		frappe.db.set_value("Issue", name, "_assign", "", update_modified=False)
		self.assertIsNone(frappe.db.get_value("Issue", name, "sp_first_assignee"))
