"""Support analytics (support_plus.analytics.kpis, the cards, the charts, support_kpis) on the hand-computed
data set of analytics_fixtures (its table says what each ticket is)."""

import json
from datetime import date

import frappe

from support_plus.analytics import cards, charts, kpis
from support_plus.api import support_kpis
from support_plus.setup.analytics import CHARTS, REPORTS
from support_plus.tests.analytics_fixtures import CUSTOMER, TEAM, AnalyticsDataCase
from support_plus.tests.utils import AGENT, MANAGER, SALES, SupportTestCase


class TestAnalytics(AnalyticsDataCase):
	def test_business_time_first_response(self):
		s = frappe.db.get_value(
			"Issue", self.names["S"], ["first_response_time", "response_by", "resolution_by"], as_dict=True
		)
		self.assertEqual(s.first_response_time, 7200)  # 1 h on Friday + 1 h on Monday, not 66 h
		self.assertEqual(str(s.response_by), "2026-03-09 07:00:00")  # Monday 12:00 in Berlin
		self.assertEqual(str(s.resolution_by), "2026-03-10 10:00:00")  # Tuesday 15:00 in Berlin

	def test_every_number_against_the_hand_computed_set(self):
		numbers = self.kpis()
		expected = {
			"from_date": "2026-03-01",
			"to_date": "2026-03-11",
			# now, whatever the period: T1 T2 | T3 | T4 T5 | T2 T12 (not cancelled T10) | T2 | T3
			"open": 2,
			"in_progress": 1,
			"pending": 2,
			"overdue_follow_ups": 2,
			"sla_breached": 1,
			"at_risk": 1,
			"resolved_today": 2,  # T6, T9
			"closed_this_week": 1,  # T7 (T8 closed last week)
			# opened in the period: T1-T10 and S (T11, T12 before it)
			"created": 11,
			# T3 3600, T4 7200, T5 3600 (calendar), T6 1800, T7 1800, T8 14400, T9 1800, S 7200 (business)
			"avg_first_response_s": 41400 // 8,
			# response: met T3 T6 S, missed T4 (late) T2 (unanswered, past due)
			"sla_response_met_percent": 60.0,
			# resolution: met T6, missed T8 (late) and S (unresolved, due Tuesday)
			"sla_resolution_met_percent": 33.3,
			# resolved in the period: T6 14400, T7 86400, T8 86400, T9 68400, T11 864000
			"resolved": 5,
			"avg_resolution_s": 1119600 // 5,
			"csat_average": 3.5,  # 5, 4, 2, 3 (T9 not rated)
			"ratings": 4,
		}
		self.assertEqual(numbers, expected)

	def test_team_and_date_objects_through_the_api(self):
		frappe.set_user(MANAGER)
		numbers = support_kpis(date(2026, 3, 1), date(2026, 3, 11), team=TEAM)
		self.assertEqual(
			(numbers["open"], numbers["in_progress"], numbers["resolved_today"], numbers["created"]),
			(1, 1, 1, 3),
		)
		self.assertEqual(numbers["avg_first_response_s"], 2700)  # T3 3600, T6 1800
		self.assertEqual(numbers["csat_average"], 5.0)

	def test_sales_user_counts_only_their_projects(self):
		frappe.set_user(SALES)
		numbers = self.kpis()
		self.assertEqual((numbers["open"], numbers["in_progress"], numbers["sla_breached"]), (2, 0, 1))
		self.assertEqual((numbers["created"], numbers["resolved"], numbers["resolved_today"]), (3, 1, 1))
		self.assertEqual(numbers["csat_average"], 5.0)
		# The card shows them the same number as their Issue list with the card's filters.
		for key in kpis.SNAPSHOT:
			value = cards.card({"kpi": key})
			listed = frappe.get_list("Issue", filters=value["route_options"], fields=["count(*) as n"])[0].n
			self.assertEqual(value["value"], listed, key)

	def test_card_filters_count_what_the_card_counts(self):
		frappe.set_user(AGENT)
		snapshot = kpis.snapshot(kpis.make_scope(customer=CUSTOMER))
		for key, (_condition, list_filters) in kpis.SNAPSHOT.items():
			listed = frappe.get_list(
				"Issue", filters={**list_filters, "customer": CUSTOMER}, fields=["count(*) as n"]
			)[0].n
			self.assertEqual(snapshot[key], listed, key)
		recent = kpis.recent(kpis.make_scope(customer=CUSTOMER))
		self.assertEqual(recent, {"resolved_today": 2, "closed_this_week": 1})

	def test_charts(self):
		frappe.set_user(AGENT)
		for key, *_rest in CHARTS:
			data = charts.chart(key)
			self.assertEqual(len(data["labels"]), len(data["datasets"][0]["values"]), key)
		age = charts.open_by_age()
		self.assertEqual(len(age["labels"]), 5)
		peak = charts.peak_hours()
		self.assertEqual(len(peak["labels"]), 24)

	def test_bad_input(self):
		frappe.set_user(MANAGER)
		with self.assertRaisesRegex(frappe.ValidationError, "ends .* before it starts"):
			support_kpis("2026-03-11", "2026-03-01")
		with self.assertRaisesRegex(frappe.ValidationError, "does not exist"):
			support_kpis(team="No Such Team")
		with self.assertRaisesRegex(frappe.ValidationError, "at most"):
			support_kpis("2006-01-01", "2026-01-01")
		with self.assertRaisesRegex(frappe.ValidationError, "not a date"):
			support_kpis("yesterday-ish")
		with self.assertRaises(frappe.ValidationError):
			cards.card({"kpi": "nonsense"})


class TestAnalyticsInstall(SupportTestCase):
	"""Apart from the data set: migrate adds indexes, and DDL commits."""

	def test_workspace_cards_and_charts_survive_migrate(self):
		from support_plus.install import after_migrate

		after_migrate()
		after_migrate()
		ws = frappe.get_doc("Workspace", "Support")
		on_workspace = [row.number_card_name for row in ws.number_cards]
		for key, *_rest in cards.CARDS:
			self.assertTrue(frappe.db.exists("Number Card", cards.card_name(key)))
			self.assertEqual(on_workspace.count(cards.card_name(key)), 1)
		on_workspace = [row.chart_name for row in ws.charts]
		for _key, name, _type, _width in CHARTS:
			self.assertTrue(frappe.db.exists("Dashboard Chart", name))
			self.assertEqual(on_workspace.count(name), 1)
		self.assertIn('"sp-analytics-header"', ws.content)
		# Frappe's workspace finds a block's widget by the row's label: every block must name one.
		blocks = json.loads(ws.content)
		labels = {row.label for row in ws.number_cards}
		for block in blocks:
			if block["type"] == "number_card" and block["id"].startswith("sp-analytics-"):
				self.assertIn(block["data"]["number_card_name"], labels)
		labels = {row.label for row in ws.charts}
		for block in blocks:
			if block["type"] == "chart" and block["id"].startswith("sp-analytics-"):
				self.assertIn(block["data"]["chart_name"], labels)
		self.assertIn("Your Shortcuts", ws.content)  # ERPNext's blocks kept
		self.assertEqual(
			[row.link_to for row in ws.links if row.link_type == "Report" and row.link_to in REPORTS],
			list(REPORTS),
		)
