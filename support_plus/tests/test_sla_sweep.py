"""The SLA sweep and escalation: breaches and warnings found without saves, rules fired exactly once,
manual escalation, and resets. Site: New York; the SLA's desk: Berlin (see sla_fixtures)."""

import threading
import time
from datetime import date, datetime, timezone
from unittest.mock import patch

from rq import Worker

import frappe
from frappe.utils import get_datetime

from support_plus.api import escalate, sla_sweep
from support_plus.api.sla import reset_service_level_agreement
from support_plus.sla import sweep
from support_plus.sla.escalation import fire_rule
from support_plus.tests.processes import BenchWorkers, own_job_queue, run_in_processes
from support_plus.tests.sla_fixtures import SlaTestCase, make_sla
from support_plus.tests.utils import AGENT, MANAGER, VIEWER, make_customer, make_user

SUPERVISOR = "sp-supervisor@example.com"


def health(name):
	return frappe.db.get_value("Issue", name, ["sla_health", "agreement_status"])


def make_rule(name, clock, threshold, **values):
	if frappe.db.exists("Support Escalation Rule", name):
		frappe.delete_doc("Support Escalation Rule", name, force=True)
	return frappe.get_doc(
		{
			"doctype": "Support Escalation Rule",
			"rule_name": name,
			"clock": clock,
			"threshold_percent": threshold,
			**values,
		}
	).insert()


def escalations(issue):
	return frappe.get_all(
		"Issue Escalation",
		filters={"issue": issue},
		fields=["rule", "clock", "actions_taken", "to_user"],
		order_by="creation",
	)


class TestSweep(SlaTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_sla("SP Sweep Standard", default=True)
		make_user(SUPERVISOR, ["Support Agent"])

	def test_breach_is_found_without_saving_the_ticket(self):
		doc = self.ticket("2026-03-02 10:00:00")  # response by Tuesday 05:00 New York
		modified = frappe.db.get_value("Issue", doc.name, "modified")

		self.assertEqual(sla_sweep("2026-03-03 04:00:00")["at_risk"], 0)  # 75% of the response time
		self.assertEqual(sla_sweep("2026-03-03 04:15:00")["at_risk"], 1)  # 81%
		self.assertEqual(health(doc.name), ("At Risk", "First Response Due"))
		result = sla_sweep("2026-03-03 05:01:00")
		self.assertEqual((result["breached"], result["at_risk"]), (1, 0))
		self.assertEqual(health(doc.name), ("Breached", "Failed"))
		self.assertEqual(sla_sweep("2026-03-03 06:00:00")["breached"], 0, "a rerun changes nothing")
		self.assertEqual(frappe.db.get_value("Issue", doc.name, "modified"), modified, "nobody saved it")

	def test_python_dates_and_datetimes(self):
		"""Frappe checks a whitelisted function's argument types for Python callers too."""
		doc = self.ticket("2026-03-02 10:00:00")  # response by Tuesday 05:00 New York
		frappe.flags.current_time = None
		frappe.set_user(MANAGER)
		self.assertEqual(sla_sweep(now=date(2026, 3, 3))["breached"], 0)  # Tuesday 00:00
		self.assertEqual(sla_sweep(now=datetime(2026, 3, 3, 4, 15))["at_risk"], 1)
		# An aware datetime is the same instant on the site's clock: 10:01 UTC is 05:01 in New York.
		self.assertEqual(sla_sweep(now=datetime(2026, 3, 3, 10, 1, tzinfo=timezone.utc))["breached"], 1)
		self.assertEqual(health(doc.name), ("Breached", "Failed"))
		self.assertRaises(frappe.ValidationError, sla_sweep, now="sometime soon")
		frappe.set_user(AGENT)
		self.assertRaises(frappe.PermissionError, sla_sweep, now=datetime(2026, 3, 3, 4, 15))

	def test_paused_and_answered_clocks(self):
		paused = self.ticket("2026-03-02 10:00:00")
		self.move(paused, "2026-03-02 10:30:00", "On Hold")
		answered = self.ticket("2026-03-02 10:00:00")
		self.move(answered, "2026-03-02 10:30:00", "Replied")
		sla_sweep("2026-03-03 06:00:00")  # past the response deadline, before the resolution one
		self.assertEqual(health(paused.name), ("On Track", "First Response Due"))
		self.assertEqual(health(answered.name), ("On Track", "Resolution Due"))
		sla_sweep("2026-03-05 09:00:00")  # past Thursday 14:00 Berlin
		self.assertEqual(health(answered.name), ("Breached", "Failed"))
		self.assertEqual(health(paused.name)[0], "On Track", "a paused clock never breaches")

	def test_the_sweep_runs_every_five_minutes(self):
		self.assertIn(
			"support_plus.sla.sweep.scheduled_sweep",
			frappe.get_hooks("scheduler_events")["cron"]["*/5 * * * *"],
		)
		self.assertTrue(
			frappe.db.exists(
				"Scheduled Job Type", {"method": "support_plus.sla.sweep.scheduled_sweep", "stopped": 0}
			)
		)

	def test_first_answer_by_email_after_the_deadline_fails(self):
		doc = self.ticket("2026-03-02 10:00:00")
		# Frappe's communication code stores the first reply with db_set, not a save.
		frappe.db.set_value(
			"Issue", doc.name, "first_responded_on", "2026-03-03 09:00:00", update_modified=False
		)
		self.assertEqual(sla_sweep("2026-03-03 09:05:00")["breached"], 1)
		self.assertEqual(health(doc.name), ("Breached", "Failed"))


class TestEscalationRules(SlaTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_sla("SP Escalation Standard", default=True)
		make_user(SUPERVISOR, ["Support Agent"])
		cls.warn = make_rule(
			"SP Warn Supervisor", "Response", 80, notify=[{"recipient_type": "User", "user": SUPERVISOR}]
		).name
		cls.breach = make_rule(
			"SP Breach Reassign",
			"Resolution",
			100,
			reassign_to_user=SUPERVISOR,
			notify=[{"recipient_type": "Role", "role": "Support Manager"}],
			create_todo=1,
		).name
		cls.late = make_rule("SP Late Raise Priority", "Resolution", 150, raise_priority_to="High").name
		cls.high_only = make_rule(
			"SP High Only",
			"Response",
			50,
			priority="High",
			notify=[{"recipient_type": "User", "user": SUPERVISOR}],
		).name

	def test_multi_level_escalation_fires_each_level_once(self):
		doc = self.ticket("2026-03-02 10:00:00", raised_by="customer@escalation.example")
		self.move(doc, "2026-03-02 10:30:00", "Replied")  # response met; resolution due Thu 14:00 Berlin

		self.assertEqual(sla_sweep("2026-03-03 04:15:00")["escalations"], 0, "the response was answered")
		self.assertEqual(sla_sweep("2026-03-05 08:01:00")["escalations"], 1)  # 100% of resolution
		fired = escalations(doc.name)
		self.assertEqual(
			[(e.rule, e.clock, e.to_user) for e in fired], [(self.breach, "Resolution", SUPERVISOR)]
		)
		self.assertIn(SUPERVISOR, frappe.get_doc("Issue", doc.name).get_assigned_users())
		self.assertTrue(
			frappe.db.exists("Notification Log", {"for_user": MANAGER, "document_name": doc.name})
		)
		self.assertTrue(
			frappe.db.exists(
				"ToDo", {"allocated_to": SUPERVISOR, "reference_name": doc.name, "status": "Open"}
			)
		)
		self.assertTrue(frappe.db.exists("Email Queue", {"reference_name": doc.name}))
		self.assertEqual(sla_sweep("2026-03-05 09:00:00")["escalations"], 0, "fired once")

		# 150%: 16h + 8h business time = Tuesday 10 March 09:00 Berlin (New York is on summer time).
		self.assertEqual(sla_sweep("2026-03-10 04:30:00")["escalations"], 1)
		self.assertEqual(frappe.db.get_value("Issue", doc.name, "priority"), "High")
		notes = frappe.get_all(
			"Comment", filters={"reference_name": doc.name, "comment_type": "Info"}, pluck="content"
		)
		self.assertEqual(sum("Escalated by rule" in n for n in notes), 2)

	def test_warning_rule_and_filters(self):
		medium = self.ticket("2026-03-02 10:00:00")
		high = self.ticket("2026-03-02 10:00:00", priority="High")  # 1h response: Monday 17:00 Berlin
		sla_sweep("2026-03-02 10:45:00")  # 75% of High's response time; 19% of Medium's
		self.assertEqual([e.rule for e in escalations(high.name)], [self.high_only])
		self.assertEqual(escalations(medium.name), [])
		sla_sweep("2026-03-03 04:15:00")  # 81% of Medium's response time
		self.assertEqual([e.rule for e in escalations(medium.name)], [self.warn])

	def test_exactly_once_after_a_crash_and_for_a_second_worker(self):
		doc = self.ticket("2026-03-02 10:00:00")
		frappe.db.savepoint("before_sweep")
		sla_sweep("2026-03-03 04:15:00")
		frappe.db.rollback(save_point="before_sweep")  # killed before its commit: nothing happened
		self.assertEqual(escalations(doc.name), [])
		sla_sweep("2026-03-03 04:15:00")
		self.assertEqual(len(escalations(doc.name)), 1)
		rule = frappe.get_doc("Support Escalation Rule", self.warn)
		self.assertFalse(fire_rule(doc.name, rule, "2026-03-03 04:16:00"), "a second worker finds it fired")
		self.assertEqual(len(escalations(doc.name)), 1)

	def test_large_sweeps_are_split_into_chunk_jobs(self):
		names = [self.ticket("2026-03-02 10:00:00").name for _ in range(3)]
		with patch.object(sweep, "CHUNK_SIZE", 2):
			result = sla_sweep("2026-03-03 04:15:00")
		self.assertEqual((result["queued_chunks"], result["escalations"]), (2, 0))
		self.assertEqual(sweep.fire_chunk(self.warn, names, "2026-03-03 04:15:00"), 3)  # what the jobs run
		self.assertEqual(sweep.fire_chunk(self.warn, names, "2026-03-03 04:15:00"), 0)


class TestManualEscalationAndReset(SlaTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_sla("SP Manual Standard", default=True)
		make_user(SUPERVISOR, ["Support Agent"])

	def test_manual_escalation_is_logged_and_the_clock_runs_on(self):
		doc = self.ticket("2026-03-02 10:00:00")
		before = frappe.db.get_value("Issue", doc.name, ["response_by", "resolution_by"])
		frappe.set_user(AGENT)
		self.at("2026-03-02 11:00:00")
		escalate(doc.name, "Customer's production line is down", to_user=SUPERVISOR)
		fired = escalations(doc.name)
		self.assertEqual([(e.clock, e.to_user) for e in fired], [("Manual", SUPERVISOR)])
		self.assertIn(SUPERVISOR, frappe.get_doc("Issue", doc.name).get_assigned_users())
		self.assertEqual(frappe.db.get_value("Issue", doc.name, ["response_by", "resolution_by"]), before)
		self.assertRaises(frappe.ValidationError, escalate, doc.name, "  ")
		frappe.set_user(VIEWER)
		self.assertRaises(frappe.PermissionError, escalate, doc.name, "Viewer escalates")

	def test_reset_is_guarded_and_logged(self):
		doc = self.ticket("2026-03-02 10:00:00")
		frappe.db.set_single_value("Support Settings", "allow_resetting_service_level_agreement", 1)
		frappe.set_user(AGENT)
		self.assertRaises(
			frappe.PermissionError, reset_service_level_agreement, "Issue", doc.name, "why", AGENT
		)
		frappe.set_user(MANAGER)
		self.at("2026-03-04 12:00:00")  # Wednesday is a holiday in the Berlin calendar
		reset_service_level_agreement("Issue", doc.name, "Scope changed", "someone-else@example.com")
		state = frappe.db.get_value(
			"Issue", doc.name, ["service_level_agreement_creation", "response_by", "sla_round"], as_dict=True
		)
		self.assertEqual(str(state.service_level_agreement_creation), "2026-03-04 12:00:00")
		self.assertEqual(str(state.response_by), "2026-03-05 07:00:00")  # Thursday 13:00 Berlin
		self.assertEqual(state.sla_round, 1)
		note = frappe.get_all(
			"Comment", filters={"reference_name": doc.name, "comment_type": "Info"}, pluck="content"
		)
		self.assertTrue(any(MANAGER in n and "Scope changed" in n for n in note), note)


class TestConcurrentSweeps(SlaTestCase):
	"""Two processes sweeping the same committed tickets at once fire each rule once per ticket."""

	isolate_tests = False

	WORKER = """
import os, sys
import frappe
site, sites_path, now = sys.argv[1], sys.argv[2], sys.argv[3]
os.chdir(sites_path)
frappe.init(site=site, sites_path=sites_path)
frappe.connect()
frappe.set_user("Administrator")
from support_plus.sla.sweep import sla_sweep
print(sla_sweep(now)["escalations"])
frappe.db.commit()
frappe.destroy()
"""

	def test_two_workers(self):
		sla = make_sla(
			"SP Concurrent Standard",
			default=True,
			entity_type="Customer",
			entity=make_customer("SLA Concurrency Customer"),
		)
		rule = make_rule(
			"SP Concurrent Warn",
			"Response",
			80,
			service_level_agreement=sla,
			notify=[{"recipient_type": "User", "user": MANAGER}],
		)
		names = [
			self.ticket("2026-03-02 10:00:00", customer="SLA Concurrency Customer").name for _ in range(30)
		]
		frappe.db.commit()  # nosemgrep: the workers are other processes
		try:
			outputs = run_in_processes(self.WORKER, "2026-03-03 04:15:00", count=2, timeout=300)
			fired = [int(out.strip().splitlines()[-1]) for out in outputs]
			self.assertEqual(sum(fired), 30, fired)
			counts = frappe.get_all(
				"Issue Escalation",
				filters={"rule": rule.name},
				fields=["issue", "count(name) as n"],
				group_by="issue",
			)
			self.assertEqual(sorted(c.issue for c in counts), sorted(names))
			self.assertTrue(all(c.n == 1 for c in counts))
		finally:
			for doctype, filters in (
				("Issue Escalation", {"rule": rule.name}),
				("Notification Log", {"document_name": ("in", names)}),
				("Comment", {"reference_name": ("in", names)}),
				("Email Queue", {"reference_name": ("in", names)}),
				("Issue", {"name": ("in", names)}),
			):
				frappe.db.delete(doctype, filters)
			frappe.delete_doc("Support Escalation Rule", rule.name, force=True)
			frappe.delete_doc("Service Level Agreement", sla, force=True)
			frappe.delete_doc("Customer", "SLA Concurrency Customer", force=True)
			frappe.db.commit()  # nosemgrep


def once_per_ticket(doctype: str, field: str, names: list[str], **filters) -> set[int]:
	"""How many `doctype` records each of `names` has, as a set; {1} when each has exactly one."""
	counts = frappe.get_all(
		doctype,
		filters={field: ("in", names), **filters},
		fields=[field, "count(name) as n"],
		group_by=field,
	)
	return {c.n for c in counts} | ({0} if len(counts) < len(names) else set())


class TestSweepOnTwoWorkers(SlaTestCase):
	"""A sweep too large to fire inline, finished by two `bench worker --queue long` processes of this
	bench: every ticket fired exactly once, both workers doing part of it; a second sweep, and the same
	chunk jobs run again, fire nothing more.

	The chunk jobs go through the sweep's own enqueue (deduplicated job ids, after its commit) to a Redis
	server of the test's own, which this process and the workers are configured to use (Frappe's
	`redis_queue`; FRAPPE_REDIS_QUEUE for the workers), as every machine of a site shares one. Not the
	bench's queue server: its `long` queue is shared by every site of the bench (the demo site's jobs, and
	jobs earlier tests enqueued that no worker was ever meant to run), so workers started on it would run
	other sites' jobs or wait behind them, and those are not the test's to remove. Putting the SLA chunks
	at the front of `long` would not help (an idle worker goes on to the next site's job) and would only
	reorder production's queue for a test.

	The chunk size is 20 instead of 500 (patched in this process, the one that enqueues; the workers run
	whatever chunk they are given): 120 tickets make six jobs in about 15 s on a 2-core machine, where
	1,100 tickets in chunks of 500 took 80 s.

	Both workers work, and not by chance: the sweep runs only once both wait on the queue (blocked in
	Redis); Redis hands the first job to the worker waiting longest, which is then busy with it when the
	second job is pushed a moment later, so the second goes to the other worker."""

	isolate_tests = False

	TICKETS = 120
	CHUNK = 20
	OPENED = "2026-03-02 10:00:00"  # response due Tuesday 05:00 New York
	SWEEP_AT = "2026-03-03 04:15:00"  # 81% of the response time: past the rule's 80%

	def test_two_bench_workers_fire_each_ticket_once(self):
		customer = make_customer("SLA Workers Customer")
		sla = make_sla("SP Workers Standard", default=True, entity_type="Customer", entity=customer)
		rule = make_rule(
			"SP Workers Warn",
			"Response",
			80,
			service_level_agreement=sla,
			notify=[{"recipient_type": "User", "user": MANAGER}],
		)
		names = [self.ticket(self.OPENED, customer=customer).name for _ in range(self.TICKETS)]
		frappe.flags.current_time = None  # the sweep's `now` alone tells the jobs the time
		frappe.db.commit()  # nosemgrep: the workers are other processes
		chunks = -(-self.TICKETS // self.CHUNK)
		try:
			with own_job_queue() as url, BenchWorkers(2, "long", url) as workers:
				workers.wait_listening()
				with patch.object(sweep, "CHUNK_SIZE", self.CHUNK):
					result = sweep.sla_sweep(get_datetime(self.SWEEP_AT), commit=True)
				self.assertEqual((result["queued_chunks"], result["escalations"]), (chunks, 0))
				prefix = f"{frappe.local.site}::support_plus:escalate:{rule.name}:"
				job_ids = [
					key.decode()[len("rq:job:") :]
					for key in workers.connection.scan_iter(match=f"rq:job:{prefix}*")
					if len(key.decode()) == len(f"rq:job:{prefix}") + 16  # the chunk's digest
				]
				self.assertEqual(len(job_ids), chunks, "one job per chunk")
				jobs = workers.wait_done(job_ids)
				worker_pids = {
					worker.name: worker.pid for worker in Worker.all(connection=workers.connection)
				}
				fired_by = {}
				for job in jobs:
					pid = worker_pids[job.worker_name]
					fired_by[pid] = fired_by.get(pid, 0) + job.return_value()
				self.assertEqual(set(fired_by), workers.pids, f"both worker processes ran chunks: {fired_by}")
				self.assertTrue(all(fired_by.values()), fired_by)
				self.assertEqual(sum(fired_by.values()), self.TICKETS, fired_by)

				# Once fired, nothing more: a second sweep finds nothing to enqueue, and the same chunk jobs
				# enqueued again (the finished job is replaced, as Frappe's deduplication does) fire nothing.
				with patch.object(sweep, "CHUNK_SIZE", self.CHUNK):
					again = sweep.sla_sweep(get_datetime(self.SWEEP_AT), commit=True)
				self.assertEqual((again["queued_chunks"], again["escalations"]), (0, 0))
				rerun = [
					frappe.enqueue(
						"support_plus.sla.sweep.fire_chunk",
						queue="long",
						job_id=job.id.split("::", 1)[1],
						deduplicate=True,
						**job.kwargs["kwargs"],
					).id
					for job in jobs
				]
				self.assertEqual(sorted(rerun), sorted(job_ids))
				self.assertEqual([job.return_value() for job in workers.wait_done(rerun)], [0] * chunks)
			self.assertEqual(sweep.fire_chunk(rule.name, names, self.SWEEP_AT, commit=True), 0)

			# Each ticket's effects, once: the firing's record, its count, its note, the notification.
			self.assertEqual(
				frappe.get_all(
					"Issue Escalation", filters={"rule": rule.name}, pluck="issue", order_by="issue"
				),
				sorted(names),
			)
			counts = frappe.get_all("Issue", filters={"name": ("in", names)}, pluck="escalation_count")
			self.assertEqual(set(counts), {1})
			notes = once_per_ticket(
				"Comment",
				"reference_name",
				names,
				comment_type="Info",
				content=("like", f"Escalated by rule {rule.name}%"),
			)
			self.assertEqual(notes, {1})
			self.assertEqual(
				once_per_ticket("Notification Log", "document_name", names, for_user=MANAGER), {1}
			)
		finally:
			frappe.db.rollback()
			mails = frappe.get_all("Email Queue", filters={"reference_name": ("in", names)}, pluck="name")
			if mails:
				frappe.db.delete("Email Queue Recipient", {"parent": ("in", mails)})
			for doctype, filters in (
				("Issue Escalation", {"rule": rule.name}),
				("Notification Log", {"document_name": ("in", names)}),
				("Comment", {"reference_name": ("in", names)}),
				("Email Queue", {"reference_name": ("in", names)}),
				("Version", {"docname": ("in", names)}),
				("Issue", {"name": ("in", names)}),
			):
				frappe.db.delete(doctype, filters)
			frappe.delete_doc("Support Escalation Rule", rule.name, force=True)
			frappe.delete_doc("Service Level Agreement", sla, force=True)
			frappe.delete_doc("Customer", customer, force=True)
			frappe.db.commit()  # nosemgrep


class TestBackfill(SlaTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.sla = make_sla("SP Backfill Standard", default=True)

	def test_tickets_from_before_the_engine_get_their_clock(self):
		from support_plus.sla.backfill import backfill

		frappe.db.set_single_value("Support Settings", "track_service_level_agreement", 0)
		doc = self.ticket("2026-03-02 10:00:00")
		answered = self.move(self.ticket("2026-03-02 10:00:00"), "2026-03-02 11:00:00", "Replied")
		frappe.db.set_value(
			"Issue",
			answered.name,
			{"service_level_agreement": self.sla, "service_level_agreement_creation": "2026-03-02 10:00:00"},
		)
		frappe.db.set_value(
			"Issue",
			doc.name,
			{"service_level_agreement": self.sla, "service_level_agreement_creation": "2026-03-02 10:00:00"},
		)
		frappe.db.set_single_value("Support Settings", "track_service_level_agreement", 1)
		modified = frappe.db.get_value("Issue", doc.name, "modified")

		self.at("2026-03-02 12:00:00")
		self.assertEqual(backfill(), 2)
		self.assertEqual(
			frappe.db.get_value("Issue", answered.name, ["agreement_status", "first_responded_on"]),
			("Resolution Due", get_datetime("2026-03-02 11:00:00")),
		)
		state = frappe.db.get_value(
			"Issue", doc.name, ["response_by", "sla_health", "sla_clock_origin", "modified"], as_dict=True
		)
		self.assertEqual(str(state.response_by), "2026-03-03 05:00:00")
		self.assertEqual(state.sla_health, "On Track")
		self.assertTrue(state.sla_clock_origin)
		self.assertEqual(state.modified, modified, "not saved")
		self.assertEqual(backfill(), 0, "idempotent")
		self.assertEqual(sla_sweep("2026-03-03 05:01:00")["breached"], 1, "the sweep sees it now")


class TestSweepSurvivesFailures(SlaTestCase):
	"""One escalation that fails is undone alone and logged; marking and every other firing stand."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.default_sla = make_sla("SP Robust Standard", default=True)
		cls.customer_sla = make_sla(
			"SP Robust Customer",
			entity_type="Customer",
			entity=make_customer("SLA Robust Customer"),
			priorities={"Medium": (4, 16), "High": (1, 8)},
		)
		make_user(SUPERVISOR, ["Support Agent"])

	def test_a_failing_action_skips_one_ticket_only(self):
		raise_rule = make_rule("SP Robust Raise", "Response", 100, raise_priority_to="High", create_todo=0)
		todo_rule = make_rule(
			"SP Robust ToDo",
			"Response",
			100,
			notify=[{"recipient_type": "User", "user": SUPERVISOR}],
			create_todo=1,
		)
		good = [self.ticket("2026-03-02 10:00:00", customer="SLA Robust Customer").name for _ in range(2)]
		bad = self.ticket("2026-03-02 10:00:00").name
		self.assertEqual(frappe.db.get_value("Issue", bad, "service_level_agreement"), self.default_sla)
		# The default SLA loses its High targets after the rule was saved: no SLA can take that ticket
		# to High any more, so raising its priority fails (the customer's SLA still has High).
		sla = frappe.get_doc("Service Level Agreement", self.default_sla)
		sla.priorities = [row for row in sla.priorities if row.priority != "High"]
		sla.save(ignore_permissions=True)
		errors_before = frappe.db.count("Error Log", {"reference_name": bad})
		frappe.flags.current_time = None  # the sweep's `now` alone tells the actions the time

		result = sla_sweep("2026-03-03 05:01:00")  # past every response deadline

		self.assertEqual((result["breached"], result["escalations"], result["failed"]), (3, 5, 1))
		for name in (*good, bad):
			self.assertEqual(health(name), ("Breached", "Failed"), "breach marking is never rolled back")
		for name in good:
			self.assertEqual(frappe.db.get_value("Issue", name, "priority"), "High")
			self.assertEqual(sorted(e.rule for e in escalations(name)), [raise_rule.name, todo_rule.name])
		self.assertEqual([e.rule for e in escalations(bad)], [todo_rule.name], "the other rule fired")
		self.assertEqual(frappe.db.get_value("Issue", bad, "priority"), "Medium", "nothing half done")
		self.assertEqual(frappe.db.count("Error Log", {"reference_name": bad}), errors_before + 1)
		log = frappe.get_last_doc("Error Log", filters={"reference_name": bad})
		self.assertIn(raise_rule.name, log.method)
		self.assertIn("no targets for priority", log.error)
		# The actions ran at the sweep's time, not the wall clock's.
		todo_dates = frappe.get_all(
			"ToDo", filters={"reference_name": ("in", [*good, bad]), "allocated_to": SUPERVISOR}, pluck="date"
		)
		self.assertEqual([str(d) for d in todo_dates], ["2026-03-03"] * 3)

		# The next sweeps try the failed one again (and only it); it still fails, and the Error Log has it
		# once, not once per sweep.
		for at in ("2026-03-03 05:10:00", "2026-03-03 05:15:00"):
			again = sla_sweep(at)
			self.assertEqual((again["escalations"], again["failed"]), (0, 1))
		self.assertEqual(frappe.db.count("Error Log", {"reference_name": bad}), errors_before + 1)
		# A new SLA round (a reset) that fails again is a new failure: logged again, once.
		frappe.db.set_value("Issue", bad, "sla_round", 1, update_modified=False)
		for at in ("2026-03-03 05:20:00", "2026-03-03 05:25:00"):
			self.assertEqual(sla_sweep(at)["failed"], 1)
		self.assertEqual(frappe.db.count("Error Log", {"reference_name": bad}), errors_before + 2)

	def test_the_rule_must_fit_its_sla(self):
		self.assertRaisesRegex(
			frappe.ValidationError,
			"no targets",
			make_rule,
			"SP Robust Critical",
			"Resolution",
			150,
			service_level_agreement=self.customer_sla,
			raise_priority_to="Critical",
		)
		self.assertRaisesRegex(  # no SLA filter: every enabled SLA must have the priority
			frappe.ValidationError,
			"no targets",
			make_rule,
			"SP Robust Critical",
			"Resolution",
			150,
			raise_priority_to="Critical",
		)
		self.assertRaisesRegex(
			frappe.ValidationError,
			"would match no ticket",
			make_rule,
			"SP Robust Critical",
			"Resolution",
			150,
			service_level_agreement=self.customer_sla,
			priority="Critical",
			create_todo=1,
		)
		make_rule(
			"SP Robust High",
			"Resolution",
			150,
			service_level_agreement=self.customer_sla,
			raise_priority_to="High",
		)


class TestDeadlockInAFiring(SlaTestCase):
	"""A firing that deadlocks: MariaDB undoes the whole transaction (savepoints too). The scheduled sweep
	commits the marking and each firing on its own, so only that firing is lost; it is tried again.

	The deadlock is a real one, between the sweep and a second connection (a thread): the thread holds
	the ticket's row and, once the sweep's firing waits for it, inserts the escalation record the firing
	has just inserted. InnoDB undoes the lighter transaction: the thread has written ballast rows first,
	so the sweep's firing is the victim."""

	isolate_tests = False

	@staticmethod
	def collide(site, sites_path, ticket, record, ready, log):
		frappe.init(site=site, sites_path=sites_path)
		frappe.connect()
		try:
			frappe.db.bulk_insert(
				"ToDo",
				fields=["name", "description", "status", "creation", "modified"],
				values=[
					(f"sp-deadlock-ballast-{i}", "ballast", "Cancelled", "2026-03-02", "2026-03-02")
					for i in range(300)
				],
			)
			frappe.db.sql("select name from `tabIssue` where name = %s for update", ticket)
			ready.set()
			# Wait until the sweep's firing waits for this ticket's row (Frappe's save locks it first).
			for _ in range(600):
				waiting = frappe.db.sql(
					"""select count(*) from information_schema.processlist where id != connection_id()
					and command = 'Query' and info like %s and time_ms > 300""",
					f"%{ticket}%",
				)[0][0]
				if waiting:
					break
				time.sleep(0.05)
			else:
				log.append("the sweep never waited for the ticket")
				return
			try:
				frappe.db.sql(
					"insert into `tabIssue Escalation` (name, issue, creation, modified) values (%s, %s, now(), now())",
					(record, ticket),
				)
				log.append("thread went on")
			except frappe.QueryDeadlockError:
				log.append("thread was the victim")
		finally:
			frappe.db.rollback()
			frappe.destroy()

	def test_a_deadlocked_firing_is_retried_and_loses_nothing_else(self):
		sla = make_sla("SP Deadlock Standard", default=True)
		rule = make_rule("SP Deadlock Raise", "Response", 100, raise_priority_to="High", create_todo=0)
		first, second = sorted(self.ticket("2026-03-02 10:00:00").name for _ in range(2))
		# Marked already: the marking leaves its row alone, the firing is the first to want it.
		frappe.db.set_value("Issue", second, {"sla_health": "Breached", "agreement_status": "Failed"})
		frappe.flags.current_time = None
		frappe.db.commit()  # nosemgrep: the other connection must see them
		ready, log = threading.Event(), []
		thread = threading.Thread(
			target=self.collide,
			args=(frappe.local.site, frappe.local.sites_path, second, f"{second}:{rule.name}:0", ready, log),
		)
		thread.start()
		try:
			self.assertTrue(ready.wait(30))
			result = sweep.sla_sweep(get_datetime("2026-03-03 05:01:00"), commit=True)
			thread.join(60)
			self.assertEqual(log, ["thread went on"], "a real deadlock, the sweep's firing its victim")
			self.assertEqual((result["breached"], result["escalations"], result["failed"]), (1, 2, 0))
			for name in (first, second):
				self.assertEqual(health(name), ("Breached", "Failed"), "the marking was committed first")
				self.assertEqual(frappe.db.get_value("Issue", name, "priority"), "High")
				self.assertEqual([e.rule for e in escalations(name)], [rule.name], "fired once")
		finally:
			thread.join(60)
			names = [first, second]
			for doctype, filters in (
				("Issue Escalation", {"rule": rule.name}),
				("Comment", {"reference_name": ("in", names)}),
				("Version", {"docname": ("in", names)}),
				("Email Queue", {"reference_name": ("in", names)}),
				("Issue", {"name": ("in", names)}),
			):
				frappe.db.delete(doctype, filters)
			frappe.delete_doc("Support Escalation Rule", rule.name, force=True)
			frappe.delete_doc("Service Level Agreement", sla, force=True)
			frappe.db.commit()  # nosemgrep
