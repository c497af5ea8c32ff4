"""A cancelled ticket owes nothing: its SLA clock stops, it is never swept, marked or escalated, and a
reopened one goes on with the time it had left. Site: New York; the SLA's desk: Berlin (sla_fixtures)."""

import frappe
from frappe.utils import get_datetime

from support_plus.api import sla_sweep
from support_plus.patches.v0_1 import stop_cancelled_sla_clocks
from support_plus.tests.sla_fixtures import SlaTestCase, make_sla
from support_plus.tests.test_sla_sweep import SUPERVISOR, make_rule
from support_plus.tests.utils import make_user
from support_plus.tickets.reopen import reopen

SLA_FIELDS = ["sla_health", "response_by", "resolution_by", "on_hold_since"]


class TestCancelledTickets(SlaTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_sla("SP Cancel Standard", default=True)
		make_user(SUPERVISOR, ["Support Agent"])
		make_rule("SP Cancel Warn", "Response", 80, notify=[{"recipient_type": "User", "user": SUPERVISOR}])
		make_rule("SP Cancel Breach", "Resolution", 100, reassign_to_user=SUPERVISOR, create_todo=1)

	def sla(self, name):
		return frappe.db.get_value("Issue", name, SLA_FIELDS, as_dict=True)

	def test_cancelling_stops_the_clock_and_reopening_goes_on(self):
		doc = self.ticket("2026-03-02 10:00:00")  # 16:00 Berlin; respond by Tuesday 05:00 New York
		self.move(doc, "2026-03-02 11:00:00", "Cancelled", cancel_reason="Customer withdrew the request")
		state = self.sla(doc.name)
		self.assertIsNone(state.sla_health)
		self.assertIsNone(state.response_by)
		self.assertIsNone(state.resolution_by)
		self.assertEqual(get_datetime(state.on_hold_since), get_datetime("2026-03-02 11:00:00"))

		# Days later, far past both deadlines the ticket had: nothing is marked or fired.
		result = sla_sweep("2026-03-06 12:00:00")
		self.assertEqual((result["breached"], result["at_risk"], result["escalations"]), (0, 0, 0))
		self.assertIsNone(self.sla(doc.name).sla_health)
		self.assertFalse(frappe.db.exists("Issue Escalation", {"issue": doc.name}))

		# Reopened Tuesday 04:00 New York (10:00 Berlin): the clock stood still for 2 business hours
		# (Monday 17-18, Tuesday 9-10 Berlin), so the response is now due 2 hours later.
		self.at("2026-03-03 04:00:00")
		reopen(doc.name, "Customer called back")
		state = self.sla(doc.name)
		self.assertEqual(get_datetime(state.response_by), get_datetime("2026-03-03 07:00:00"))
		self.assertIsNone(state.on_hold_since)
		self.assertEqual(state.sla_health, "On Track")
		self.assertEqual(sla_sweep("2026-03-03 07:01:00")["breached"], 1, "the reopened clock runs")

	def test_tickets_cancelled_before_clocks_stopped_are_left_alone_and_stopped(self):
		running = self.ticket("2026-03-02 10:00:00")
		answered_late = self.ticket("2026-03-02 10:00:00")
		for doc, values in (
			(running, {}),
			(answered_late, {"first_responded_on": "2026-03-03 09:00:00"}),
		):  # cancelled by an older build: the status set, the clock still running
			frappe.db.set_value("Issue", doc.name, {"status": "Cancelled", **values}, update_modified=False)
		result = sla_sweep("2026-03-06 12:00:00")
		self.assertEqual((result["breached"], result["escalations"]), (0, 0))
		for doc in (running, answered_late):
			self.assertEqual(self.sla(doc.name).sla_health, "On Track", doc.name)
			self.assertFalse(frappe.db.exists("Issue Escalation", {"issue": doc.name}))

		stop_cancelled_sla_clocks.execute()
		state = self.sla(running.name)
		self.assertEqual((state.sla_health, state.response_by, state.resolution_by), (None, None, None))
		self.assertIsNotNone(state.on_hold_since)
		self.assertIsNotNone(self.sla(answered_late.name).response_by, "an answered clock keeps its deadline")
