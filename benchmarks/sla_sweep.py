"""The SLA sweep on many open tickets, against a per-document baseline, in the same run.

    ./scripts/benchmark.sh sla_sweep [--n N] [--saves S]

Makes N open tickets (default 50,000) under three SLAs in three timezones (bulk inserted, with the SLA
fields the engine would store), and two escalation rules; runs support_plus's sweep; then, from the same
state, a baseline that loads every open Issue as a document and checks its deadlines the way ERPNext and
Helpdesk do (db.set_value on a breach). Both must find the same breaches. It also times S ticket saves
with SLA tracking on and off (default 200). Everything is rolled back.
Targets on the 2-core machine at N=50,000: seconds <= 5, speedup >= 20, save_ms_added <= 15.
It also times the SLA Compliance report over all of them (mean of three groupings).
Last line: sla_sweep open=<n> seconds=<s> baseline_seconds=<s> speedup=<x> save_ms_added=<ms> report_seconds=<s>
"""

import argparse
import random
import time
from datetime import timedelta

import click

import frappe
from frappe.utils import get_datetime, get_system_timezone

from support_plus.sla import due
from support_plus.sla.business_time import from_timestamp, to_timestamp
from support_plus.sla.config import clear_config_cache, get_config
from support_plus.sla.health import warning_fraction
from support_plus.sla.sweep import sla_sweep
from support_plus.support_plus.report.sla_compliance.sla_compliance import execute
from support_plus.tests.sla_fixtures import make_sla

NOW = get_datetime("2026-03-20 12:00:00")
SLAS = (
	("Bench Berlin", "Europe/Berlin"),
	("Bench New York", "America/New_York"),
	("Bench Kolkata", "Asia/Kolkata"),
)


def run(args: list[str]) -> dict:
	parser = argparse.ArgumentParser(prog="sla_sweep")
	parser.add_argument("--n", type=int, default=50_000)
	parser.add_argument("--saves", type=int, default=200)
	opts = parser.parse_args(args)
	frappe.flags.in_test = True  # rules notify: queue nothing for real
	try:
		setup()
		names = make_tickets(opts.n)
		frappe.db.savepoint("before_sweep")
		start = time.perf_counter()
		counts = sla_sweep(NOW)
		seconds = time.perf_counter() - start
		swept = breached_names(names)
		frappe.db.rollback(save_point="before_sweep")
		start = time.perf_counter()
		baseline(names)
		baseline_seconds = time.perf_counter() - start
		found = breached_names(names)
		if found != swept:  # show what differs before failing
			for name in sorted(found ^ swept)[:5]:
				click.echo(
					f"{name} sweep={name in swept} baseline={name in found} {frappe.db.get_value('Issue', name, ['sla_clock_origin', 'sla_response_seconds', 'sla_resolution_seconds', 'response_by', 'resolution_by', 'first_responded_on', 'service_level_agreement'], as_dict=True)}",
					err=True,
				)
		assert found == swept, f"the sweep and the baseline disagree on {len(found ^ swept)} tickets"
		assert counts["breached"] == len(swept), counts
		start = time.perf_counter()
		for group_by in ("Priority", "Assignee", "Week"):
			execute({"from_date": "2026-03-01", "to_date": "2026-03-31", "group_by": group_by})
		report_seconds = (time.perf_counter() - start) / 3
		save_ms = save_cost(opts.saves)
	finally:
		frappe.db.rollback()
		clear_config_cache()
		frappe.cache.hdel("service_level_agreement", "active")
	click.echo(f"{counts} ({len(swept)} breached)", err=True)
	return {
		"open": opts.n,
		"seconds": round(seconds, 3),
		"baseline_seconds": round(baseline_seconds, 3),
		"speedup": round(baseline_seconds / seconds, 1),
		"save_ms_added": round(save_ms, 2),
		"report_seconds": round(report_seconds, 3),
	}


def setup() -> None:
	frappe.db.set_single_value("Support Settings", "track_service_level_agreement", 1)
	frappe.db.set_value("Service Level Agreement", {"enabled": 1}, "enabled", 0)
	for name, tz in SLAS:
		existing = frappe.db.get_value("Service Level Agreement", {"service_level": name})
		if existing:
			frappe.delete_doc("Service Level Agreement", existing, force=True)
		default = name == SLAS[0][0]
		# Distinct conditions: two catch-all SLAs would tie (tickets here get their SLA directly).
		make_sla(
			name, default=default, timezone=tz, condition=None if default else f"doc.subject == {name!r}"
		)
	clear_config_cache()
	for rule, clock, threshold in (("Bench Warn", "Response", 80), ("Bench Breach", "Resolution", 100)):
		if frappe.db.exists("Support Escalation Rule", rule):
			frappe.delete_doc("Support Escalation Rule", rule, force=True)
		frappe.get_doc(
			{
				"doctype": "Support Escalation Rule",
				"rule_name": rule,
				"clock": clock,
				"threshold_percent": threshold,
				"notify": [{"recipient_type": "Role", "role": "Support Manager"}],
			}
		).insert()


def make_tickets(n: int) -> list[str]:
	"""Open tickets started over the ten days before NOW, as the engine would have stored them."""
	rng = random.Random(20261122)
	tz = get_system_timezone()
	slas = [frappe.db.get_value("Service Level Agreement", {"service_level": name}) for name, _tz in SLAS]
	configs = {sla: get_config(sla) for sla in slas}
	fields = [
		"name", "subject", "status", "priority", "raised_by", "opening_date", "creation", "modified", "owner",
		"modified_by", "service_level_agreement", "service_level_agreement_creation", "sla_clock_origin",
		"sla_response_seconds", "sla_resolution_seconds", "response_by", "resolution_by", "first_responded_on",
		"agreement_status", "sla_health", "sla_round", "reopen_count", "is_overdue", due.FIELD,
	]  # fmt: skip
	warn, rules = warning_fraction(), due.enabled_rules()
	rows, names = [], []
	with click.progressbar(
		range(n), label="Making open tickets", file=click.get_text_stream("stderr")
	) as bar:
		for i in bar:
			sla = slas[i % len(slas)]
			cfg = configs[sla]
			priority = "High" if i % 3 == 0 else "Medium"
			response_s, resolution_s = cfg.priorities[priority]
			start = NOW - timedelta(minutes=rng.randrange(0, 10 * 24 * 60))
			origin = cfg.calendar.business_seconds(to_timestamp(start, tz))
			answered = (
				start + timedelta(minutes=30) if i % 4 == 0 and start + timedelta(minutes=30) < NOW else None
			)
			name = f"BENCH{i:07d}"
			names.append(name)
			rows.append(
				(
					name, f"Benchmark ticket {i}", "Replied" if answered else "Open", priority, "bench@example.com",
					start.date(), start, start, "Administrator", "Administrator", sla, start, origin, response_s,
					resolution_s, from_timestamp(cfg.calendar.instant_at(origin + response_s), tz),
					from_timestamp(cfg.calendar.instant_at(origin + resolution_s), tz), answered,
					"Resolution Due" if answered else "First Response Due", "On Track", 0, 0, 0,
				)
			)  # fmt: skip
			# The sweep looks at the tickets whose next event has come (support_plus.sla.due).
			state = frappe._dict(zip(fields[:-1], rows[-1], strict=True))
			rows[-1] += (due.next_event(state, cfg.calendar, warn, rules, set()),)
			if len(rows) == 5000:
				frappe.db.bulk_insert("Issue", fields, rows)
				rows = []
	if rows:
		frappe.db.bulk_insert("Issue", fields, rows)
	return names


def baseline(names: list[str]) -> None:
	"""How ERPNext/Helpdesk would find breaches: every open ticket loaded and checked in Python."""
	open_names = frappe.get_all(
		"Issue", filters={"status": ("in", ["Open", "Replied"]), "name": ("like", "BENCH%")}, pluck="name"
	)
	with click.progressbar(
		open_names, label="Baseline: loading each ticket", file=click.get_text_stream("stderr")
	) as bar:
		for name in bar:
			doc = frappe.get_doc("Issue", name)
			late_response = (
				not doc.first_responded_on and doc.response_by and NOW > get_datetime(doc.response_by)
			)
			late_resolution = doc.resolution_by and NOW > get_datetime(doc.resolution_by)
			if (late_response or late_resolution) and doc.sla_health != "Breached":
				frappe.db.set_value(
					"Issue",
					name,
					{"agreement_status": "Failed", "sla_health": "Breached"},
					update_modified=False,
				)


def breached_names(names: list[str]) -> set[str]:
	return set(
		frappe.get_all("Issue", filters={"sla_health": "Breached", "name": ("like", "BENCH%")}, pluck="name")
	)


def save_cost(saves: int) -> float:
	"""Milliseconds a ticket save takes more with SLA tracking on than off."""
	docs = [
		frappe.get_doc({"doctype": "Issue", "subject": f"Save cost {i}", "priority": "Medium"}).insert()
		for i in range(saves)
	]

	def timed(tracking: int) -> float:
		frappe.db.set_single_value("Support Settings", "track_service_level_agreement", tracking)
		total = 0.0
		for doc in docs:
			doc.reload()
			doc.status = "In Progress" if doc.status == "Open" else "Open"
			start = time.perf_counter()
			doc.save()
			total += time.perf_counter() - start
		return total / len(docs) * 1000

	timed(1)  # warm
	on, off = [], []
	for _ in range(3):
		on.append(timed(1))
		off.append(timed(0))
	return min(on) - min(off)
