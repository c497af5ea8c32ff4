"""The hand-computed data set of the analytics tests: twelve tickets of one customer with fixed times and ratings, and one ticket whose first
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

import json

import frappe

from support_plus.analytics import kpis, rollup
from support_plus.tests.dispatch_fixtures import make_team
from support_plus.tests.sla_fixtures import SlaTestCase, make_sla
from support_plus.tests.test_ticket_permissions import make_project
from support_plus.tests.utils import AGENT, MANAGER, SALES, make_customer

CUSTOMER = "SP Analytics Customer"
TEAM = "SP Analytics Team"
NOW = "2026-03-11 15:00:00"
PERIOD = {"from_date": "2026-03-01", "to_date": "2026-03-11"}
# The analytics reports with the standard filters (period, customer, ...): run on this data set.
REPORTS = (
	"First Response and Resolution Time",
	"Ticket Volume",
	"Backlog and Age",
	"Customer Satisfaction",
	"Technician Scorecard",
	"SLA Breach Analysis",
)

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
ASSIGNED = {"T3": AGENT, "T6": AGENT, "T7": MANAGER}


def at(value):
	return f"2026-{value}:00" if value else None


class AnalyticsDataCase(SlaTestCase):
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
		for name in frappe.get_all("Issue", {"customer": CUSTOMER}, pluck="name"):  # an interrupted run's
			frappe.delete_doc("Issue", name, force=True, ignore_permissions=True)
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
					"_assign": json.dumps([ASSIGNED[key]]) if key in ASSIGNED else None,
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
		# Written with SQL, as a script would: such a writer refreshes the per-day totals of support_kpis.
		rollup.refresh(list(self.names.values()))
		self.at(NOW)

	def kpis(self, **extra):
		return kpis.support_kpis(**{**PERIOD, "customer": CUSTOMER, **extra})

	def report(self, module, **filters):
		"""A report's rows by group label, as the data set's customer over the period."""
		_columns, rows, *rest = module.execute({**PERIOD, "customer": CUSTOMER, **filters})
		return {row["group"]: row for row in rows}, rest
