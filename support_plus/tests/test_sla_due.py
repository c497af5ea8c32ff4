"""The sweep's due-time index (support_plus.sla.due): the old full scan and the due-time sweep find the same
tickets at every step of random ticket lives, and every ticket's stored next event is what the one
definition computes after each save and sweep. Site: New York; SLAs in Berlin and Kolkata."""

import random
from datetime import timedelta
from unittest.mock import patch

import frappe
from frappe.utils import get_datetime

from support_plus.sla import due, sweep
from support_plus.tests.replica import forget_replica
from support_plus.tests.sla_fixtures import SlaTestCase, make_sla
from support_plus.tests.utils import make_customer

SUPERVISOR = "sp-due-supervisor@example.com"


def make_rule(name, clock, threshold, **values):
	if frappe.db.exists("Support Escalation Rule", name):
		frappe.delete_doc("Support Escalation Rule", name, force=True)
	return frappe.get_doc(
		{
			"doctype": "Support Escalation Rule",
			"rule_name": name,
			"clock": clock,
			"threshold_percent": threshold,
			"notify": [{"recipient_type": "Role", "role": "Support Manager"}],
			**values,
		}
	).insert()


class TestDueTimeSweep(SlaTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.berlin = make_sla("SP Due Berlin", default=True)
		cls.kolkata = make_sla(
			"SP Due Kolkata", timezone="Asia/Kolkata", condition="'IN ' in (doc.subject or '')"
		)
		cls.customers = [make_customer("SP Due Customer A"), make_customer("SP Due Customer B")]
		cls.group = frappe.db.get_value("Customer", cls.customers[0], "customer_group")
		make_rule("SP Due High Half", "Response", 50, priority="High")
		make_rule("SP Due Warn", "Response", 80)
		make_rule("SP Due Breach Raise", "Resolution", 100, raise_priority_to="High")
		make_rule("SP Due Late", "Resolution", 150, service_level_agreement=cls.kolkata)
		make_rule("SP Due Customer", "Resolution", 40, customer=cls.customers[1])
		make_rule("SP Due Group", "Resolution", 70, customer_group=cls.group)

	def stored(self, name):
		return frappe.db.get_value("Issue", name, due.FIELD)

	def test_next_event_follows_the_clock(self):
		doc = self.ticket("2026-03-02 10:00:00")  # Medium: response 4h, by Tuesday 05:00 New York
		# First the warning (and the 80% rule): 3h12m of business time, Tuesday 10:12 Berlin, a second early.
		self.assertEqual(self.stored(doc.name), get_datetime("2026-03-03 04:11:59"))
		self.assertEqual(sweep.due_tickets(get_datetime("2026-03-03 04:11:58")), [])
		sweep.sla_sweep("2026-03-03 04:15:00")  # At Risk, "SP Due Warn" fired
		self.assertEqual(frappe.db.get_value("Issue", doc.name, "sla_health"), "At Risk")
		self.assertEqual(self.stored(doc.name), get_datetime("2026-03-03 05:00:00"), "the deadline next")
		self.move(doc, "2026-03-03 04:30:00", "On Hold")
		self.assertIsNone(self.stored(doc.name), "a paused clock has nothing to come")
		self.move(doc, "2026-03-03 06:00:00", "Open")
		self.assertEqual(self.stored(doc.name), get_datetime(doc.response_by), "resumed: the deadline")

	def test_idle_sweep_looks_at_nothing(self):
		doc = self.ticket("2026-03-02 10:00:00")
		modified = frappe.db.get_value("Issue", doc.name, ["modified", due.FIELD])
		with patch.object(sweep, "mark", side_effect=AssertionError("nothing is due")):
			self.assertEqual(sweep.sla_sweep("2026-03-02 11:00:00")["at_risk"], 0)
		self.assertEqual(frappe.db.get_value("Issue", doc.name, ["modified", due.FIELD]), modified)

	def test_changes_move_the_next_event(self):
		self.addCleanup(frappe.db.value_cache.pop, "Support Plus Settings", None)
		doc = self.ticket("2026-03-02 10:00:00")  # Monday 16:00 Berlin
		self.assertEqual(self.stored(doc.name), get_datetime("2026-03-03 04:11:59"), "80% of 4h")
		settings = frappe.get_doc("Support Plus Settings")
		settings.sla_warning_percent = 50
		settings.save()
		self.assertEqual(self.stored(doc.name), get_datetime("2026-03-02 11:59:59"), "50% of 4h")
		early = make_rule("SP Due Early", "Response", 25)
		self.assertEqual(self.stored(doc.name), get_datetime("2026-03-02 10:59:59"), "a new rule at 25%")
		early.enabled = 0
		early.save()
		self.assertEqual(self.stored(doc.name), get_datetime("2026-03-02 11:59:59"), "disabled again")
		frappe.db.set_value("Issue", doc.name, due.FIELD, None)
		holiday_list = frappe.db.get_value("Service Level Agreement", self.berlin, "holiday_list")
		frappe.get_doc("Holiday List", holiday_list).save()
		self.assertEqual(self.stored(doc.name), get_datetime("2026-03-02 11:59:59"), "a calendar change")

	def test_a_ticket_saved_since_it_was_read_keeps_its_next_event(self):
		kept, saved = (self.ticket("2026-03-02 10:00:00").name for _ in range(2))
		read = {row.name: row.modified for row in due.rows_of([kept, saved])}  # as the sweep reads them
		frappe.db.sql("update `tabIssue` set modified = modified + interval 1 second where name = %s", saved)
		event = get_datetime("2026-03-04 09:00:00")
		due.write({kept: (event, read[kept]), saved: (event, read[saved])})
		self.assertEqual(self.stored(kept), event)
		self.assertEqual(self.stored(saved), get_datetime("2026-03-03 04:11:59"), "its save computed it")
		due.write({kept: (None, read[kept])})
		self.assertIsNone(self.stored(kept), "nothing to come")

	def test_a_burst_of_due_tickets_is_refreshed_by_chunk_jobs(self):
		frappe.db.set_value("Support Escalation Rule", {"enabled": 1}, "enabled", 0)  # (no hook: rolled back)
		names = [self.ticket("2026-03-02 10:00:00").name for _ in range(3)]
		early = self.stored(names[0])
		with (
			patch.object(due, "INLINE_LIMIT", 2),
			patch.object(due, "REFRESH_CHUNK", 2),
			patch.object(frappe, "enqueue") as enqueue,
		):
			self.assertEqual(sweep.sla_sweep("2026-03-03 04:15:00")["at_risk"], 3)
		self.assertEqual(
			[call.kwargs["names"] for call in enqueue.call_args_list], [sorted(names)[:2], sorted(names)[2:]]
		)
		self.assertEqual([self.stored(n) for n in names], [early] * 3, "early until the jobs run: safe")
		for call in enqueue.call_args_list:
			due.refresh(call.kwargs["names"])  # what the job runs, before its commit
		self.assertEqual({self.stored(n) for n in names}, {get_datetime("2026-03-03 05:00:00")})

	@patch.object(due, "SYNC_LIMIT", 10**9)
	def test_full_scan_and_due_time_sweep_find_the_same_tickets(self):
		"""Random tickets: replies, pauses, resolutions, reopenings, cancellations, priority changes, resets
		and a rule added midway; at every step both sweeps run from the same state and must change the
		same tickets in the same way, and every stored next event must be the one computed afresh."""
		rng = random.Random(16)
		t0 = get_datetime("2026-03-02 02:00:00")
		tickets, actions = {}, []
		for i in range(28):
			start = t0 + timedelta(minutes=rng.randrange(0, 5 * 24 * 60))
			values = {"priority": rng.choice(["Medium", "High"])}
			if rng.random() < 0.5:
				values["customer"] = rng.choice(self.customers)
			if rng.random() < 0.3:
				values["subject"] = f"IN ticket {i}"
			actions.append((start, i, "create", values))
			moment = start
			for _step in range(rng.randrange(0, 4)):
				moment += timedelta(minutes=rng.randrange(20, 2 * 24 * 60))
				kind = rng.choice(
					["Replied", "On Hold", "Open", "Resolved", "Cancelled", "priority", "reset"]
				)
				actions.append((moment, i, kind, {}))
		actions.sort(key=lambda a: (a[0], a[1]))
		steps, now, end = 0, t0, t0 + timedelta(days=14)
		added_rule = False
		while now < end:
			now += timedelta(minutes=rng.choice([7, 30, 95, 240, 600]))
			while actions and actions[0][0] <= now:
				when, i, kind, values = actions.pop(0)
				self.act(tickets, when, i, kind, values)
			if not added_rule and now > t0 + timedelta(days=5):
				make_rule("SP Due Midway", "Resolution", 60, issue_type=None)
				added_rule = True
			self.at(str(now))
			names = [doc.name for doc in tickets.values()]
			frappe.db.savepoint("sp_due_step")
			full = sweep.sla_sweep(now, full_scan=True)
			old = self.effects(names)
			frappe.db.rollback(save_point="sp_due_step")
			new_counts = sweep.sla_sweep(now)
			new = self.effects(names)
			self.assertEqual(new, old, f"step {steps} at {now}: {full} {new_counts}")
			for name in names:
				expected = self.stored(name)
				frappe.db.set_value("Issue", name, due.FIELD, None)
				due.refresh([name])
				self.assertEqual(self.stored(name), expected, f"{name}'s next event at {now}")
			steps += 1
		fired = frappe.db.count("Issue Escalation", {"issue": ("in", [d.name for d in tickets.values()])})
		self.assertGreater(fired, 10, "the scenario fires rules")
		breached = frappe.db.count(
			"Issue", {"name": ("in", [d.name for d in tickets.values()]), "sla_health": "Breached"}
		)
		self.assertGreater(breached, 3, "and breaches")

	def act(self, tickets, when, i, kind, values):
		if kind == "create":
			tickets[i] = self.ticket(str(when), **values)
			return
		doc = tickets[i]
		self.at(str(when))
		doc.reload()
		if kind == "priority":
			doc.priority = "High" if doc.priority == "Medium" else "Medium"
		elif kind == "reset":
			doc.update(
				{
					"service_level_agreement_creation": when,
					"sla_pauses": None,
					"on_hold_since": None,
					"first_responded_on": None,
					"sla_health": None,
					"sla_round": (doc.sla_round or 0) + 1,
				}
			)
			doc.flags.support_plus_sla_reset = True
		elif doc.status == kind:
			return
		else:
			doc.status = kind
			doc.cancel_reason = "Duplicate" if kind == "Cancelled" else doc.cancel_reason
		frappe.db.savepoint("sp_due_act")
		try:
			doc.save()
		except frappe.ValidationError:  # a move the ticket's lifecycle refuses (Resolved to Cancelled...)
			frappe.db.rollback(save_point="sp_due_act")
			doc.reload()

	def effects(self, names):
		rows = frappe.get_all(
			"Issue",
			filters={"name": ("in", names)},
			fields=["name", "sla_health", "agreement_status", "priority", "escalation_count"],
			order_by="name",
			as_list=True,
		)
		fired = frappe.get_all(
			"Issue Escalation", filters={"issue": ("in", names)}, pluck="name", order_by="name"
		)
		return rows, fired


class TestReadReplicaPath(SlaTestCase):
	"""The sweep's candidate selection, the workspace numbers and the portal's lists go through Frappe's
	read-only path. Here the "replica" is a second connection to the same server: it cannot see this
	test's uncommitted ticket, which shows the selection ran there, and writes stay on the primary."""

	def test_candidate_selection_runs_on_the_replica_connection(self):
		make_sla("SP Replica Standard", default=True)
		doc = self.ticket("2026-03-02 10:00:00")
		self.assertIn(doc.name, due.due_names(get_datetime("2026-03-03 05:01:00")), "no replica: primary")
		replica = {
			"read_from_replica": 1,
			"replica_host": frappe.conf.db_host or "127.0.0.1",
			"replica_db_port": frappe.conf.db_port or 3306,
		}
		primary = frappe.local.db
		try:
			with patch.dict(frappe.local.conf, replica):
				names = due.due_names(get_datetime("2026-03-03 05:01:00"))
				self.assertIs(frappe.local.db, primary, "back on the primary after the read")
				self.assertNotIn(doc.name, names, "read on another connection: the ticket is not committed")
				forget_replica()  # (Frappe connects a replica once per request or job)
				self.assertEqual(sweep.sla_sweep("2026-03-03 05:01:00")["breached"], 0)
				self.assertIs(frappe.local.db, primary)
		finally:
			forget_replica()
			frappe.local.db = primary
		self.assertEqual(sweep.sla_sweep("2026-03-03 05:01:00")["breached"], 1, "the primary's own")

	def test_heavy_reads_take_the_read_only_path(self):
		from support_plus.analytics import cards, charts, kpis
		from support_plus.portal import pages

		for fn in (kpis.support_kpis, cards.card, charts.chart, pages.list_tickets, due.due_names):
			wrappers = []
			while fn:
				wrappers.append(fn.__code__.co_qualname)
				fn = getattr(fn, "__wrapped__", None)
			self.assertIn("read_only.<locals>.innfn.<locals>.wrapper_fn", wrappers)
