"""The SLA health rule has one definition in two forms (support_plus.sla.health): the Python form the engine
applies on save and the SQL form the sweep and the SLA Compliance report use. This runs both on the same
tickets, stored by the engine at fixed times, at each boundary: exactly at the warning threshold and the
deadlines and a second after, on a holiday, paused, paused while At Risk, resumed, cancelled after its
deadline, answered exactly on time and late, resolved on time, exactly at the deadline and late, opened on
a weekend. Site: New York; the SLA's desk: Berlin, Monday to Friday 09:00-18:00, 4 March a holiday."""

from datetime import timedelta

import frappe
from frappe.query_builder import Case
from frappe.utils import get_datetime, get_system_timezone

from support_plus.api import sla_sweep
from support_plus.sla import health
from support_plus.sla.business_time import to_timestamp
from support_plus.sla.config import get_config
from support_plus.support_plus.report.sla_compliance.sla_compliance import execute
from support_plus.tests.sla_fixtures import SlaTestCase, make_sla

SECOND = timedelta(seconds=1)
START = (
	"2026-03-02 10:00:00"  # Monday 16:00 in Berlin: response by Tuesday 05:00, resolution by Thursday 08:00
)
TIMES = (
	"2026-03-02 10:30:00",
	"2026-03-03 04:00:00",  # 75% of the response time
	"2026-03-03 04:12:00",  # exactly 80%: At Risk
	"2026-03-03 05:00:00",  # exactly the response deadline: still in time
	"2026-03-03 05:00:01",
	"2026-03-04 12:00:00",  # a holiday: business time stands still
	"2026-03-05 08:00:00",  # exactly the resolution deadline
	"2026-03-05 08:00:01",
	"2026-03-20 12:00:00",
)


class TestOneHealthRule(SlaTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.sla = make_sla("SP Health Rule", default=True)

	def grid(self) -> dict[str, str]:
		"""Tickets in every state the rule distinguishes, stored by the engine; name -> what it is."""
		tickets = {}

		def add(label, doc):
			tickets[doc.name] = label
			return doc

		add("open", self.ticket(START))
		add("answered in time", self.move(self.ticket(START), "2026-03-03 04:00:00", "Replied"))
		add(
			"answered exactly at the deadline",
			self.move(self.ticket(START), "2026-03-03 05:00:00", "Replied"),
		)
		add("answered late", self.move(self.ticket(START), "2026-03-03 06:00:00", "Replied"))
		add("paused in time", self.move(self.ticket(START), "2026-03-02 11:00:00", "On Hold"))
		at_risk = self.ticket(START)
		self.at("2026-03-03 04:15:00")
		at_risk.reload()
		at_risk.save()  # the engine finds it At Risk
		self.assertEqual(at_risk.sla_health, health.AT_RISK)
		add("paused while At Risk", self.move(at_risk, "2026-03-03 04:20:00", "On Hold"))
		resumed = self.move(self.ticket(START), "2026-03-02 11:00:00", "On Hold")
		add("paused and resumed", self.move(resumed, "2026-03-03 03:00:00", "Open"))
		add(
			"cancelled after its deadline",
			self.move(self.ticket(START), "2026-03-03 07:00:00", "Cancelled", cancel_reason="Withdrawn"),
		)
		add("resolved in time", self.move(self.ticket(START), "2026-03-03 04:00:00", "Resolved"))
		exact = self.move(self.ticket(START), "2026-03-03 04:00:00", "Replied")
		add("resolved exactly at the deadline", self.move(exact, str(exact.resolution_by), "Resolved"))
		late = self.move(self.ticket(START), "2026-03-03 04:00:00", "Replied")
		add("resolved late", self.move(late, "2026-03-05 09:00:00", "Resolved"))
		add("high priority, opened on a Saturday", self.ticket("2026-03-07 10:00:00", priority="High"))
		return tickets

	def stored(self, names) -> dict:
		rows = frappe.get_all("Issue", filters={"name": ("in", list(names))}, fields=["name", *health.FIELDS])
		return {row.name: row for row in rows}

	def python_form(self, row, now, b_now, warn) -> dict:
		return {
			"breached": health.breached(row, now),
			"at_risk": health.at_risk(row, b_now, warn),
			"response_missed": health.missed(row, health.RESPONSE, now),
			"resolution_missed": health.missed(row, health.RESOLUTION, now),
			"response_met": health.met(row, health.RESPONSE),
			"resolution_met": health.met(row, health.RESOLUTION),
		}

	def sql_form(self, names, now, b_now, warn) -> dict:
		issue = frappe.qb.DocType("Issue")
		flag = lambda condition: Case().when(condition, 1).else_(0)  # noqa: E731
		rows = (
			frappe.qb.from_(issue)
			.select(
				issue.name,
				flag(health.breached_sql(issue, now)).as_("breached"),
				flag(health.at_risk_sql(issue, b_now, warn)).as_("at_risk"),
				flag(health.missed_sql(issue, health.RESPONSE, now)).as_("response_missed"),
				flag(health.missed_sql(issue, health.RESOLUTION, now)).as_("resolution_missed"),
				flag(health.met_sql(issue, health.RESPONSE)).as_("response_met"),
				flag(health.met_sql(issue, health.RESOLUTION)).as_("resolution_met"),
			)
			.where(issue.name.isin(list(names)))
		).run(as_dict=True)
		return {row.pop("name"): {key: bool(value) for key, value in row.items()} for row in rows}

	def test_python_and_sql_forms_agree(self):
		tickets = self.grid()
		stored = self.stored(tickets)
		warn = health.warning_fraction()
		calendar = get_config(self.sla).calendar
		times = {get_datetime(t) for t in TIMES}
		for row in stored.values():  # each ticket's own deadlines, and a second either side
			for deadline in (row.response_by, row.resolution_by):
				if deadline:
					times |= {deadline - SECOND, deadline, deadline + SECOND}
		seen, missed = set(), set()
		for now in sorted(times):
			b_now = calendar.business_seconds(to_timestamp(now, get_system_timezone()))
			sql = self.sql_form(tickets, now, b_now, warn)
			for name, label in tickets.items():
				python = self.python_form(stored[name], now, b_now, warn)
				self.assertEqual(python, sql[name], f"{label} at {now}")
				seen.add((label, health.health(stored[name], now, b_now, warn, stored[name].sla_health)))
				missed |= {(label, key) for key in ("response_missed", "resolution_missed") if python[key]}
		# The grid reaches every state, so the agreement above is not vacuous.
		states = {state for _label, state in seen}
		self.assertEqual(states, {health.ON_TRACK, health.AT_RISK, health.BREACHED, None})
		self.assertIn(("answered late", "response_missed"), missed)
		self.assertNotIn(("answered exactly at the deadline", "response_missed"), missed)
		self.assertIn(("resolved late", "resolution_missed"), missed)
		self.assertEqual(
			{s for label, s in seen if label == "resolved exactly at the deadline"}, {health.ON_TRACK}
		)
		self.assertIn(("open", health.AT_RISK), seen)
		self.assertNotIn(("paused in time", health.BREACHED), seen)
		self.assertIn(("paused while At Risk", health.AT_RISK), seen)
		self.assertNotIn(("paused while At Risk", health.ON_TRACK), seen)
		self.assertEqual({s for label, s in seen if label == "cancelled after its deadline"}, {None})
		self.assertEqual({s for label, s in seen if label == "resolved late"}, {health.BREACHED})

	def test_the_sweep_and_the_report_decide_as_the_rule(self):
		tickets = self.grid()
		warn = health.warning_fraction()
		calendar = get_config(self.sla).calendar
		frappe.flags.current_time = None
		for now in map(get_datetime, TIMES):
			expected = {}
			b_now = calendar.business_seconds(to_timestamp(now, get_system_timezone()))
			for name, row in self.stored(tickets).items():
				expected[name] = health.health(row, now, b_now, warn, row.sla_health)
			sla_sweep(now)
			after = {name: row.sla_health for name, row in self.stored(tickets).items()}
			for name, label in tickets.items():
				self.assertEqual(after[name], expected[name], f"sweep: {label} at {now}")

			# The SLA Compliance report counts the clocks the rule calls met and missed.
			frappe.flags.current_time = now
			_columns, rows, *_ = execute(
				{
					"from_date": "2026-03-01",
					"to_date": "2026-03-31",
					"group_by": "Priority",
					"service_level_agreement": self.sla,
				}
			)
			frappe.flags.current_time = None
			total = rows[-1]
			counted = [row for name, row in self.stored(tickets).items() if row.status != "Cancelled"]
			self.assertEqual(total["tickets"], len(counted))
			for clock in (health.RESPONSE, health.RESOLUTION):
				key = clock.lower()
				self.assertEqual(
					total[f"{key}_met"], sum(health.met(row, clock) for row in counted), f"{key} at {now}"
				)
				self.assertEqual(
					total[f"{key}_missed"],
					sum(health.missed(row, clock, now) for row in counted),
					f"{key} at {now}",
				)
