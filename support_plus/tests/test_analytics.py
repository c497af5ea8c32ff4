"""Support analytics (support_plus.analytics.kpis, the cards, the charts, support_kpis) on a hand-computed
data set: twelve tickets of one customer with fixed times and ratings, and one ticket whose first
response the SLA engine measured in business time. The site's clock is pinned to Wednesday 2026-03-11
15:00 (New York); the period is 2026-03-01 .. 2026-03-11.

| ticket | status           | opened      | first response (s)      | resolved (s after opening) | rating | other                      |
| T1     | Open             | 03-10 09:00 | -                       | -                          | -      | team, project              |
| T2     | Open             | 03-02 10:00 | - (due 03-02 14:00)     | -                          | -      | overdue, Breached, project |
| T3     | In Progress      | 03-05 09:00 | 3600 (in time)          | -                          | -      | team, At Risk              |
| T4     | Pending Customer | 03-06 09:00 | 7200 (late)             | -                          | -      |                            |
| T5     | Pending Parts    | 03-09 08:00 | no SLA: calendar 3600   | -                          | -      |                            |
| T6     | Resolved         | 03-11 08:00 | 1800 (in time)          | 03-11 12:00: 14400 (in time)| 5     | team, project              |
| T7     | Closed           | 03-09 10:00 | 1800                    | 03-10 10:00: 86400         | 4      | closed 03-10               |
| T8     | Closed           | 03-03 09:00 | 14400                   | 03-04 09:00: 86400 (late)  | 2      | closed 03-05, Breached     |
| T9     | Resolved         | 03-10 14:00 | 1800                    | 03-11 09:00: 68400         | -      |                            |
| T10    | Cancelled        | 03-04 09:00 | -                       | -                          | -      | overdue flag (ignored)     |
| T11    | Closed           | 02-20 09:00 | 3600                    | 03-02 09:00: 864000        | 3      | closed 03-02               |
| T12    | Replied          | 02-25 09:00 | 10800                   | -                          | -      | overdue                    |
| S      | Replied          | Fri 03-06 17:00 Berlin | Mon 10:00 Berlin: 2 business hours (7200), 65 calendar hours | - | - | SLA 09-18 Berlin |
"""

from datetime import date

import frappe

from support_plus.analytics import cards, charts, kpis
from support_plus.api import support_kpis
from support_plus.setup.analytics import CHARTS
from support_plus.tests.dispatch_fixtures import make_team
from support_plus.tests.sla_fixtures import SlaTestCase, make_sla
from support_plus.tests.test_ticket_permissions import make_project
from support_plus.tests.utils import AGENT, MANAGER, SALES, SupportTestCase, make_customer

CUSTOMER = "SP Analytics Customer"
TEAM = "SP Analytics Team"
NOW = "2026-03-11 15:00:00"
PERIOD = {"from_date": "2026-03-01", "to_date": "2026-03-11"}

# name: (status, creation, first_responded_on, first_response_time, response_by, resolved_on,
#        resolution_by, closed_on, rating, sla_health, is_overdue, team, in the sales user's project)
TICKETS = {
	"T1": ("Open", "03-10 09:00", None, None, None, None, None, None, 0, "On Track", 0, 1, 1),
	"T2": ("Open", "03-02 10:00", None, None, "03-02 14:00", None, None, None, 0, "Breached", 1, 0, 1),
	"T3": ("In Progress", "03-05 09:00", "03-05 10:00", 3600, "03-05 13:00", None, None, None, 0, "At Risk", 0, 1, 0),
	"T4": ("Pending Customer", "03-06 09:00", "03-06 11:00", 7200, "03-06 10:00", None, None, None, 0, "", 0, 0, 0),
	"T5": ("Pending Parts", "03-09 08:00", "03-09 09:00", None, None, None, None, None, 0, "", 0, 0, 0),
	"T6": ("Resolved", "03-11 08:00", "03-11 09:00", 1800, "03-11 10:00", "03-11 12:00", "03-11 16:00", None, 5, "On Track", 0, 1, 1),
	"T7": ("Closed", "03-09 10:00", "03-09 10:30", 1800, None, "03-10 10:00", None, "03-10 12:00", 4, "", 0, 0, 0),
	"T8": ("Closed", "03-03 09:00", "03-03 13:00", 14400, None, "03-04 09:00", "03-03 18:00", "03-05 09:00", 2, "Breached", 0, 0, 0),
	"T9": ("Resolved", "03-10 14:00", "03-10 14:30", 1800, None, "03-11 09:00", None, None, 0, "", 0, 0, 0),
	"T10": ("Cancelled", "03-04 09:00", None, None, None, None, None, None, 0, "", 1, 0, 0),
	"T11": ("Closed", "02-20 09:00", "02-20 10:00", 3600, None, "03-02 09:00", None, "03-02 09:00", 3, "", 0, 0, 0),
	"T12": ("Replied", "02-25 09:00", "02-25 12:00", 10800, None, None, None, None, 0, "", 1, 0, 0),
}  # fmt: skip


def at(value):
	return f"2026-{value}:00" if value else None


class TestAnalytics(SlaTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		# Rows of an SLA of this name left committed by an interrupted run would double its working hours.
		for child in (
			"Service Level Priority",
			"Service Day",
			"SLA Fulfilled On Status",
			"Pause SLA On Status",
		):
			frappe.db.delete(child, {"parent": "SLA-Issue-SP Analytics Berlin"})
		make_sla("SP Analytics Berlin", default=True)
		make_customer(CUSTOMER)
		make_team(TEAM, [])
		cls.project = make_project("SP Analytics Sales Project", CUSTOMER, [SALES])

	def setUp(self):
		super().setUp()
		frappe.db.delete("Issue", {"customer": CUSTOMER})
		self.names = {}
		for key, row in TICKETS.items():
			(status, opened, responded, frt, response_by, resolved, resolution_by, closed, rating, health,
			 overdue, in_team, in_project) = row  # fmt: skip
			name = frappe.get_doc({"doctype": "Issue", "subject": key, "customer": CUSTOMER}).insert().name
			frappe.db.set_value(
				"Issue",
				name,
				{
					"status": status,
					"creation": at(opened),
					"first_responded_on": at(responded),
					"first_response_time": frt,
					"response_by": at(response_by),
					"resolved_on": at(resolved),
					"resolution_date": at(resolved) if resolution_by else None,
					"resolution_by": at(resolution_by),
					"closed_on": at(closed),
					"customer_rating": rating,
					"sla_health": health,
					"is_overdue": overdue,
					"support_team": TEAM if in_team else None,
					"project": self.project if in_project else None,
					"service_level_agreement": None,
				},
				update_modified=False,
			)
			self.names[key] = name
		# S: the SLA engine measures its first response in the SLA's business time (09-18 Berlin).
		self.at("2026-03-06 11:00:00")  # Friday 17:00 in Berlin: one working hour left
		s = frappe.get_doc(
			{"doctype": "Issue", "subject": "S", "customer": CUSTOMER, "priority": "Medium"}
		).insert()
		self.move(s, "2026-03-09 05:00:00", "Replied")  # Monday 10:00 in Berlin
		frappe.db.set_value(
			"Issue",
			s.name,
			{"creation": "2026-03-06 11:00:00", "sla_health": "On Track"},
			update_modified=False,
		)
		self.names["S"] = s.name
		self.at(NOW)

	def kpis(self, **extra):
		return kpis.support_kpis(**{**PERIOD, "customer": CUSTOMER, **extra})

	def test_business_time_first_response(self):
		s = frappe.db.get_value(
			"Issue", self.names["S"], ["first_response_time", "response_by", "resolution_by"], as_dict=True
		)
		self.assertEqual(s.first_response_time, 7200)  # 1 h on Friday + 1 h on Monday, not 66 h
		self.assertEqual(str(s.response_by), "2026-03-09 07:00:00")  # Monday 12:00 in Berlin

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
		self.assertIn("Your Shortcuts", ws.content)  # ERPNext's blocks kept
