"""The per-day totals of support_kpis (support_plus.analytics.rollup) against the live queries over the
tickets: one set of numbers in two forms, on the hand-computed data set of the analytics tests and after
the ways tickets change (documents, db_set twice, deletion, a savepoint rolled back, SQL past the hooks)."""

import frappe

from support_plus.analytics import kpis, rollup
from support_plus.tests.analytics_fixtures import CUSTOMER, PERIOD, TEAM, AnalyticsDataCase
from support_plus.tests.utils import MANAGER, SALES

SCOPES = (
	{},
	{"team": TEAM},
	{"priority": "Medium"},
	{"from_date": "2026-03-10", "to_date": "2026-03-10"},
	{"from_date": "2026-02-01", "to_date": "2026-03-11", "team": TEAM},
)


class TestTicketTotals(AnalyticsDataCase):
	def setUp(self):
		super().setUp()
		# What other tests left committed with SQL would differ from the live numbers until the daily job.
		rollup.reconcile(commit=False)

	def numbers(self, live: bool, **filters) -> dict:
		scope = kpis.make_scope(**{**PERIOD, **filters})
		return {
			**kpis.opened_in_period(scope, live=live),
			**kpis.resolved_in_period(scope, live=live),
		}

	def assertTotalsAgree(self, msg=None):
		self.assertTrue(rollup.agrees(), msg)
		for filters in SCOPES:
			self.assertEqual(self.numbers(False, **filters), self.numbers(True, **filters), (msg, filters))
		# The percentiles' histograms (whole site, by period): kept and scanned give the same numbers.
		for filters in ({}, {"from_date": "2026-03-10", "to_date": "2026-03-10"}):
			scope = kpis.make_scope(**{**PERIOD, **filters})
			for measure, column in ((kpis.FIRST_RESPONSE_S, "creation"), (kpis.RESOLUTION_S, "resolved_on")):
				for period in kpis.PERIODS:
					group = kpis.group_sql(period, column)
					self.assertIsNotNone(kpis._kept_histogram(scope, measure, column, group))
					self.assertEqual(
						kpis.distribution(scope, measure, column, group),
						kpis.distribution(scope, measure, column, group, live=True),
						(msg, filters, measure, period),
					)

	def test_the_totals_give_the_hand_computed_numbers(self):
		frappe.set_user(MANAGER)
		numbers = self.numbers(False, team=TEAM)
		# T1, T3, T6 are the team's and opened in the period; T6 the only one resolved (rated 5).
		self.assertEqual(numbers["created"], 3)
		self.assertEqual(numbers["avg_first_response_s"], round((3600 + 1800) / 2))
		self.assertEqual(numbers["resolved"], 1)
		self.assertEqual(numbers["avg_resolution_s"], 14400)
		self.assertEqual(numbers["csat_average"], 5)
		self.assertEqual(numbers["sla_response_met_percent"], 100.0)
		self.assertEqual(numbers["sla_resolution_met_percent"], 100.0)
		self.assertTotalsAgree()

	def test_a_deadline_passing_counts_without_any_write(self):
		"""T2's response is due 03-02 14:00, unanswered: missed once the clock passes it, read live."""
		day = {"from_date": "2026-03-02", "to_date": "2026-03-02"}
		after = self.numbers(False, **day)
		self.assertEqual(after, self.numbers(True, **day))
		self.at("2026-03-02 13:00:00")
		before = self.numbers(False, **day)
		self.assertEqual(before, self.numbers(True, **day))
		self.assertNotEqual(before["sla_response_met_percent"], after["sla_response_met_percent"])
		self.assertEqual(
			self.kpis(from_date="2026-03-02", to_date="2026-03-02")["sla_response_met_percent"], None
		)

	def test_documents_keep_the_totals(self):
		t1 = frappe.get_doc("Issue", self.names["T1"])
		t1.priority = "High"
		t1.save(ignore_permissions=True)
		self.assertTotalsAgree("a saved priority")

		t3 = frappe.get_doc("Issue", self.names["T3"])
		t3.db_set("resolved_on", "2026-03-10 10:00:00", update_modified=False)
		t3.db_set("customer_rating", 4, update_modified=False)  # Frappe keeps the first db_set's "before"
		self.assertTotalsAgree("two db_sets of one document")

		frappe.delete_doc("Issue", self.names["T6"], force=True, ignore_permissions=True)
		self.assertTotalsAgree("a deleted ticket")

		frappe.db.savepoint("rollup_test")
		frappe.get_doc(
			{"doctype": "Issue", "subject": "Taken back", "customer": CUSTOMER, "support_team": TEAM}
		).insert()
		frappe.db.rollback(save_point="rollup_test")
		self.assertTotalsAgree("a savepoint rolled back")

		frappe.get_doc(
			{"doctype": "Issue", "subject": "New", "customer": CUSTOMER, "support_team": TEAM}
		).insert()
		self.assertTotalsAgree("a new ticket")

	def test_the_daily_job_finds_what_sql_wrote(self):
		t7, t8 = self.names["T7"], self.names["T8"]
		frappe.db.set_value("Issue", t7, {"support_team": TEAM, "customer_rating": 1}, update_modified=False)
		frappe.db.sql("delete from `tabIssue` where name = %s", t8)  # past Frappe: no hook runs
		self.assertNotEqual(self.numbers(False, team=TEAM), self.numbers(True, team=TEAM))
		self.assertFalse(rollup.agrees())

		self.assertEqual(rollup.reconcile(commit=False), {"refreshed": 1, "rebuilt": True})
		self.assertTotalsAgree("after the job")
		self.assertEqual(rollup.reconcile(commit=False), {"refreshed": 0, "rebuilt": False})

	def test_a_restricted_viewer_gets_the_live_numbers(self):
		"""A Sales User's match conditions are not a dimension of the totals: their numbers come from their
		tickets (T1, T2, T6 are in their project)."""
		frappe.set_user(SALES)
		scope = kpis.make_scope(**PERIOD)
		self.assertFalse(kpis._totals_answer(scope, SALES))
		self.assertEqual(kpis.opened_in_period(scope)["created"], 3)
		frappe.set_user(MANAGER)
		self.assertTrue(kpis._totals_answer(scope, MANAGER))
		self.assertFalse(kpis._totals_answer(kpis.make_scope(**PERIOD, customer=CUSTOMER), MANAGER))
		# Nor are the histograms kept for the percentiles: theirs come from their tickets too, and so do
		# anyone's with a filter (the histograms have no dimensions) or grouped by something else.
		week = kpis.group_sql("Week", "creation")
		self.assertIsNotNone(kpis._kept_histogram(scope, kpis.FIRST_RESPONSE_S, "creation", week))
		frappe.set_user(SALES)
		self.assertIsNone(kpis._kept_histogram(scope, kpis.FIRST_RESPONSE_S, "creation", week))
		frappe.set_user(MANAGER)
		teams = kpis.make_scope(**PERIOD, team=TEAM)
		self.assertIsNone(kpis._kept_histogram(teams, kpis.FIRST_RESPONSE_S, "creation", week))
		by_team = kpis.group_sql("Team", "creation")
		self.assertIsNone(kpis._kept_histogram(scope, kpis.FIRST_RESPONSE_S, "creation", by_team))

	def test_the_table_is_made_on_install_and_named_in_its_comment(self):
		self.assertTrue(rollup.installed())
		for table in (rollup.TABLE, rollup.BUCKETS):
			comment = frappe.db.sql(
				"""select table_comment from information_schema.tables
				where table_schema = database() and table_name = %s""",
				table,
			)[0][0]
			self.assertEqual(comment, f"support_plus {rollup._definition_hash()}")
