"""The SLA engine on ticket saves: business-time deadlines across timezones, pauses, responses,
resolutions, reopening, priority changes and SLA ranking. Site: New York; the SLA's desk: Berlin."""

import frappe
from frappe.utils import get_datetime

from support_plus.tests.sla_fixtures import SlaTestCase, make_sla
from support_plus.tests.utils import make_customer

# Early March 2026 New York is UTC-5 and Berlin UTC+1: 10:00 in New York is 16:00 in Berlin.


def sla_state(name):
	return frappe.db.get_value(
		"Issue",
		name,
		[
			"service_level_agreement",
			"response_by",
			"resolution_by",
			"agreement_status",
			"sla_health",
			"total_hold_time",
			"first_responded_on",
		],
		as_dict=True,
	)


class TestSlaEngine(SlaTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.sla = make_sla("SP Test Standard", default=True)

	def test_deadlines_are_in_the_sla_calendar_and_stored_as_site_time(self):
		doc = self.ticket("2026-03-02 10:00:00")  # Monday 16:00 in Berlin: 2 working hours left today
		state = sla_state(doc.name)
		self.assertEqual(state.service_level_agreement, self.sla)
		# 4h response: 2h Monday + 2h Tuesday -> Tuesday 11:00 Berlin = 05:00 New York.
		self.assertEqual(state.response_by, get_datetime("2026-03-03 05:00:00"))
		# 16h resolution: 2h Mon + 9h Tue + Wednesday is a holiday + 5h Thu -> Thursday 14:00 Berlin.
		self.assertEqual(state.resolution_by, get_datetime("2026-03-05 08:00:00"))
		self.assertEqual((state.agreement_status, state.sla_health), ("First Response Due", "On Track"))
		# ERPNext's own SLA code (wall clock, overwritten here anyway) no longer runs for Issues.
		self.assertNotIn("Issue", frappe.cache.hget("service_level_agreement", "active") or [])

	def test_ticket_made_outside_hours_starts_at_the_next_working_minute(self):
		doc = self.ticket("2026-03-07 06:00:00")  # Saturday
		# Monday 09:00 Berlin + 4h = 13:00 Berlin; New York moved to summer time on Sunday the 8th (UTC-4).
		self.assertEqual(sla_state(doc.name).response_by, get_datetime("2026-03-09 08:00:00"))

	def test_pause_moves_resolution_by_exactly_the_business_time_paused(self):
		doc = self.ticket("2026-03-02 10:00:00")
		self.move(doc, "2026-03-02 11:00:00", "Pending Customer")  # 17:00 Berlin: answered, then paused
		paused = sla_state(doc.name)
		self.assertIsNone(paused.resolution_by, "no deadline while the clock stands still")
		self.assertEqual(paused.first_responded_on, get_datetime("2026-03-02 11:00:00"))
		self.move(doc, "2026-03-03 04:00:00", "Open")  # Tuesday 10:00 Berlin
		state = sla_state(doc.name)
		self.assertEqual(state.total_hold_time, 2 * 3600)  # Mon 17-18 and Tue 9-10, not the night between
		self.assertEqual(state.resolution_by, get_datetime("2026-03-05 10:00:00"))  # 2h after Thursday 14:00
		self.assertEqual(
			state.response_by, get_datetime("2026-03-03 05:00:00"), "the response was before the pause"
		)
		self.assertEqual(state.agreement_status, "Resolution Due")

	def test_resolving_straight_from_a_pause_counts_the_pause(self):
		doc = self.ticket("2026-03-02 10:00:00")
		self.move(doc, "2026-03-02 11:00:00", "Pending Customer")
		# Resolved a week later, long after the original deadline: the clock stood still all that time.
		self.move(doc, "2026-03-09 04:30:00", "Resolved")
		state = sla_state(doc.name)
		self.assertEqual((state.agreement_status, state.sla_health), ("Fulfilled", "On Track"))

	def test_replied_fulfils_only_the_response_clock(self):
		doc = self.ticket("2026-03-02 10:00:00")
		self.move(doc, "2026-03-02 12:00:00", "Replied")
		state = sla_state(doc.name)
		self.assertEqual(state.first_responded_on, get_datetime("2026-03-02 12:00:00"))
		self.assertEqual(state.agreement_status, "Resolution Due")
		self.assertEqual(state.resolution_by, get_datetime("2026-03-05 08:00:00"))

	def test_late_first_response_fails_the_agreement(self):
		doc = self.ticket("2026-03-02 10:00:00")
		self.move(doc, "2026-03-03 06:00:00", "Replied")  # an hour after response_by
		state = sla_state(doc.name)
		self.assertEqual((state.agreement_status, state.sla_health), ("Failed", "Breached"))
		self.move(doc, "2026-03-03 07:00:00", "Resolved")  # resolved in time: the late response stands
		self.assertEqual(sla_state(doc.name).agreement_status, "Failed")

	def test_at_risk_after_the_warning_share(self):
		doc = self.ticket("2026-03-02 10:00:00")
		self.move(doc, "2026-03-03 04:00:00", "In Progress")  # 3h of the 4h response clock: 75%
		self.assertEqual(sla_state(doc.name).sla_health, "On Track")
		self.move(doc, "2026-03-03 04:15:00", "Open")  # 81%
		self.assertEqual(sla_state(doc.name).sla_health, "At Risk")

	def test_priority_change_keeps_the_hold_time(self):
		doc = self.ticket("2026-03-02 10:00:00")
		self.move(doc, "2026-03-02 11:00:00", "On Hold")
		self.move(doc, "2026-03-03 04:00:00", "Open")
		self.move(doc, "2026-03-03 04:30:00", "Open", priority="High")
		state = sla_state(doc.name)
		self.assertEqual(state.total_hold_time, 2 * 3600, "Mon 17-18 and Tue 9-10 Berlin, kept")
		# High (1h/8h) from Monday 16:00 Berlin plus the 2h paused: the response was due when the pause
		# ended (Tuesday 10:00 Berlin = 04:00 New York) and is late now; resolution Tuesday 17:00 Berlin.
		self.assertEqual(state.response_by, get_datetime("2026-03-03 04:00:00"))
		self.assertEqual(state.resolution_by, get_datetime("2026-03-03 11:00:00"))
		self.assertEqual((state.agreement_status, state.sla_health), ("Failed", "Breached"))
		self.assertIsNone(state.first_responded_on, "On Hold is not an answer to the customer")

	def test_reopened_after_closing_in_time_is_not_failed_for_the_closed_days(self):
		doc = self.ticket("2026-03-02 10:00:00")
		self.move(doc, "2026-03-02 11:00:00", "Resolved")
		self.assertEqual(sla_state(doc.name).agreement_status, "Fulfilled")
		self.move(doc, "2026-03-16 04:00:00", "Open")  # two weeks later, far past the first deadline
		state = sla_state(doc.name)
		self.assertEqual((state.agreement_status, state.sla_health), ("Resolution Due", "On Track"))
		# 1h was used before resolving; 15h remain from Monday 16 March 10:00 Berlin.
		self.assertEqual(state.resolution_by, get_datetime("2026-03-17 10:00:00"))


class TestSlaRanking(SlaTestCase):
	def test_most_specific_sla_wins(self):
		customer = make_customer("SLA Ranking Customer", customer_group="Commercial")
		default = make_sla("SP Rank Default", default=True)
		group = make_sla("SP Rank Group", entity_type="Customer Group", entity="Commercial")
		territory = make_sla(
			"SP Rank Territory",
			entity_type="Territory",
			entity=frappe.db.get_value("Customer", customer, "territory"),
		)
		own = make_sla("SP Rank Customer", entity_type="Customer", entity=customer)

		def chosen(**values):
			return sla_state(self.ticket("2026-03-02 10:00:00", **values).name).service_level_agreement

		self.assertEqual(chosen(customer=customer), own)
		frappe.db.set_value("Service Level Agreement", own, "enabled", 0)
		from support_plus.sla.config import clear_config_cache

		clear_config_cache()
		self.assertEqual(chosen(customer=customer), group)
		frappe.db.set_value("Service Level Agreement", group, "enabled", 0)
		self.assertEqual(chosen(customer=customer), territory)
		self.assertEqual(chosen(), default)

	def test_condition_beats_customer_group(self):
		customer = make_customer("SLA Condition Customer", customer_group="Commercial")
		make_sla("SP Cond Group", entity_type="Customer Group", entity="Commercial")
		vip = make_sla("SP Cond Critical Type", condition="doc.issue_type == 'Technical'")
		from support_plus.tests.utils import make_issue_type

		make_issue_type("Technical")
		doc = self.ticket("2026-03-02 10:00:00", customer=customer, issue_type="Technical")
		self.assertEqual(sla_state(doc.name).service_level_agreement, vip)

	def test_condition_has_the_names_erpnext_gives_it(self):
		# ERPNext accepts this condition when the SLA is saved: choosing the SLA must evaluate it too.
		dated = make_sla("SP Cond Dated", condition="doc.priority == 'High' and nowdate() >= '2000-01-01'")
		doc = self.ticket("2026-03-02 10:00:00", priority="High")
		self.assertEqual(sla_state(doc.name).service_level_agreement, dated)
		self.assertIsNone(
			sla_state(self.ticket("2026-03-02 10:00:00").name).service_level_agreement, "Medium: no match"
		)

	def test_ties_are_refused(self):
		# ERPNext itself refuses two SLAs for one entity; these two would tie without one.
		make_sla("SP Tie One", condition="doc.priority == 'High'")
		with self.assertRaisesRegex(frappe.ValidationError, "same tickets"):
			make_sla("SP Tie Two", condition="doc.priority == 'High'")
		make_sla("SP Tie Catch-all")  # no entity, no condition, not the default
		with self.assertRaisesRegex(frappe.ValidationError, "same tickets"):
			make_sla("SP Tie Catch-all Too")
		make_sla("SP Tie Other Priority", condition="doc.priority == 'High'", priorities={"Low": (8, 40)})
