"""The SLA sweep on a million open tickets: its cost follows the work due, not the backlog.

    ./scripts/benchmark.sh sla_scale [--n N] [--states K] [--keep]

Bulk-loads N open tickets (default 1,000,000) under five SLAs in five timezones, started over the ten days
before a fixed NOW, with one INSERT ... SELECT per chunk from MariaDB's sequence engine (no documents).
Their SLA state is that of K (default 100,000) distinct tickets computed by the engine's own code (origin,
deadlines, health at NOW, and the next event by support_plus.sla.due.next_event), held in a temporary
table; ticket i takes state i mod K. Some are paused, some answered; many are already breached, as in any
large backlog. Then it times:

- idle_s: the sweep at NOW, when nothing is due (median of three);
- due_1k_s, due_10k_s: the sweep at the moment when 1,000 then 10,000 more tickets have passed a threshold
  (a warning or a deadline);
- full_scan_s: the sweep as it was before the due-time index (every running clock tested), at the same
  moment as the last; it must find nothing left to mark, which checks the due-time sweep missed nothing.

The sweeps' changes are rolled back, then the tickets and SLAs are deleted (unless --keep).
Targets on the 2-core machine at N=1,000,000: idle_s <= 0.1, due_10k_s <= 3, full_scan_s / idle_s >= 100.
Last line: sla_scale open=<n> idle_s=<s> due_1k_s=<s> due_10k_s=<s> full_scan_s=<s>
"""

import argparse
import random
import statistics
import sys
import time
from datetime import timedelta

import click

import frappe
from frappe.utils import get_datetime, get_system_timezone

from benchmarks._mariadb import delete_in_batches, require_sequence, settle
from support_plus.sla import due, health
from support_plus.sla.business_time import from_timestamp, to_timestamp
from support_plus.sla.config import clear_config_cache, get_config
from support_plus.sla.sweep import sla_sweep
from support_plus.tests.sla_fixtures import make_sla

PREFIX = "BENCHSCALE"
NOW = get_datetime("2026-03-20 12:07:13")  # not on a working-hours boundary: no deadline falls on it
CHUNK = 50_000
SLAS = (
	("Scale Berlin", "Europe/Berlin"),
	("Scale New York", "America/New_York"),
	("Scale Kolkata", "Asia/Kolkata"),
	("Scale Sydney", "Australia/Sydney"),
	("Scale Sao Paulo", "America/Sao_Paulo"),
)
PRIORITIES = {"Medium": (8, 40), "High": (2, 16)}  # response, resolution hours
STATE_COLUMNS = (
	"service_level_agreement",
	"priority",
	"status",
	"service_level_agreement_creation",
	"sla_clock_origin",
	"sla_response_seconds",
	"sla_resolution_seconds",
	"response_by",
	"resolution_by",
	"first_responded_on",
	"on_hold_since",
	"agreement_status",
	"sla_health",
	due.FIELD,
)


def run(args: list[str]) -> dict:
	parser = argparse.ArgumentParser(prog="sla_scale")
	parser.add_argument("--n", type=int, default=1_000_000)
	parser.add_argument("--states", type=int, default=100_000)
	parser.add_argument("--keep", action="store_true")
	opts = parser.parse_args(args)
	frappe.flags.in_test = True
	restore = setup()
	try:
		load(opts.n, min(opts.states, opts.n))
		result = measure()
	finally:
		frappe.db.rollback()
		if not opts.keep:
			delete()
			teardown(restore)
	return {"open": opts.n, **result}


def setup() -> dict:
	"""Five SLAs of our own (committed: the load commits per chunk), the others disabled meanwhile."""
	restore = {
		"tracking": frappe.db.get_single_value("Support Settings", "track_service_level_agreement"),
		"enabled": frappe.get_all("Service Level Agreement", filters={"enabled": 1}, pluck="name"),
	}
	frappe.db.set_single_value("Support Settings", "track_service_level_agreement", 1)
	frappe.db.set_value("Service Level Agreement", {"enabled": 1}, "enabled", 0)
	remove_slas()
	for name, tz in SLAS:
		default = name == SLAS[0][0]
		make_sla(
			name,
			default=default,
			timezone=tz,
			priorities=PRIORITIES,
			condition=None if default else f"doc.subject == {name!r}",
		)
	frappe.db.commit()  # nosemgrep: the load commits per chunk; teardown undoes this
	clear_config_cache()
	return restore


def remove_slas() -> None:
	for name, _tz in SLAS:
		for sla in frappe.get_all("Service Level Agreement", filters={"service_level": name}, pluck="name"):
			frappe.delete_doc("Service Level Agreement", sla, force=True)


def teardown(restore: dict) -> None:
	remove_slas()
	for sla in restore["enabled"]:
		frappe.db.set_value("Service Level Agreement", sla, "enabled", 1)
	frappe.db.set_single_value("Support Settings", "track_service_level_agreement", restore["tracking"])
	frappe.db.commit()  # nosemgrep
	clear_config_cache()
	frappe.cache.hdel("service_level_agreement", "active")


def states(k: int) -> list[tuple]:
	"""K tickets' SLA state as the engine stores it, their health at NOW and their next event."""
	rng = random.Random(20261130)
	tz = get_system_timezone()
	slas = [frappe.db.get_value("Service Level Agreement", {"service_level": name}) for name, _tz in SLAS]
	configs = {sla: get_config(sla) for sla in slas}
	warn = health.warning_fraction()
	rules = due.enabled_rules()
	out = []
	for i in range(k):
		sla = slas[i % len(slas)]
		cfg = configs[sla]
		priority = "High" if i % 3 == 0 else "Medium"
		response_s, resolution_s = cfg.priorities[priority]
		start = NOW - timedelta(seconds=rng.randrange(0, 10 * 86400))
		origin = cfg.calendar.business_seconds(to_timestamp(start, tz))
		answered = start + timedelta(minutes=45) if i % 4 == 0 else None
		answered = answered if answered and answered < NOW else None
		paused = start + timedelta(hours=2) if i % 5 == 1 and start + timedelta(hours=2) < NOW else None
		t = frappe._dict(
			service_level_agreement=sla,
			priority=priority,
			status="On Hold" if paused else ("Replied" if answered else "Open"),
			service_level_agreement_creation=start,
			sla_clock_origin=origin,
			sla_response_seconds=response_s,
			sla_resolution_seconds=resolution_s,
			response_by=(
				None
				if paused and not answered
				else from_timestamp(cfg.calendar.instant_at(origin + response_s), tz)
			),
			resolution_by=None
			if paused
			else from_timestamp(cfg.calendar.instant_at(origin + resolution_s), tz),
			first_responded_on=answered,
			on_hold_since=paused,
			sla_round=0,
		)
		b_now = cfg.calendar.business_seconds(to_timestamp(NOW, tz))
		t.sla_health = health.health(t, NOW, b_now, warn)
		t.agreement_status = (
			"Failed"
			if t.sla_health == health.BREACHED
			else ("Resolution Due" if answered else "First Response Due")
		)
		t[due.FIELD] = due.next_event(t, cfg.calendar, warn, rules, set())
		out.append((i, *(t.get(c) for c in STATE_COLUMNS)))
	return out


def load(n: int, k: int) -> None:
	delete()
	require_sequence()
	rows = states(k)
	frappe.db.sql("drop temporary table if exists sp_scale_states")
	frappe.db.sql(
		"""create temporary table sp_scale_states (
			k int primary key, sla varchar(140), priority varchar(140), status varchar(140),
			started datetime(6), origin decimal(21,9), response_s int, resolution_s int,
			response_by datetime(6), resolution_by datetime(6), first_responded_on datetime(6),
			on_hold_since datetime(6), agreement_status varchar(140), sla_health varchar(140),
			next_event datetime(6))"""
	)
	for start in range(0, len(rows), 2000):
		part = rows[start : start + 2000]
		frappe.db.sql(
			"insert into sp_scale_states values "
			+ ", ".join(["(" + ", ".join(["%s"] * len(part[0])) + ")"] * len(part)),
			[value for row in part for value in row],
		)
	columns = (
		"name, subject, raised_by, creation, modified, owner, modified_by, docstatus, opening_date,"
		" opening_time, sla_round, reopen_count, is_overdue, " + ", ".join(STATE_COLUMNS)
	)
	select = f"""
		select concat('{PREFIX}', lpad(q.seq, 8, '0')), 'Scale ticket', 'scale@example.com', s.started,
			s.started, 'Administrator', 'Administrator', 0, date(s.started), time(s.started), 0, 0, 0,
			s.sla, s.priority, s.status, s.started, s.origin, s.response_s, s.resolution_s, s.response_by,
			s.resolution_by, s.first_responded_on, s.on_hold_since, s.agreement_status, s.sla_health,
			s.next_event
		from seq_1_to_{n} q join sp_scale_states s on s.k = q.seq %% {k}
		where q.seq between %(first)s and %(last)s"""
	start = time.perf_counter()
	with click.progressbar(
		range(1, n + 1, CHUNK), label=f"Loading {n} open tickets", file=click.get_text_stream("stderr")
	) as bar:
		for first in bar:
			frappe.db.sql(
				f"insert into `tabIssue` ({columns}) {select}",
				{"first": first, "last": min(n, first + CHUNK - 1)},
			)
			frappe.db.commit()  # nosemgrep: a million rows in one transaction would swamp the undo log
	click.echo(f"loaded in {time.perf_counter() - start:.0f} s", err=True)
	frappe.db.sql("drop temporary table if exists sp_scale_states")
	frappe.db.sql("analyze table `tabIssue`")
	settle()


def nth_event_after(moment, count: int):
	"""The moment by which `count` more bench tickets have an event (warning or deadline) due."""
	issue = frappe.qb.DocType("Issue")
	rows = (
		frappe.qb.from_(issue)
		.select(issue[due.FIELD])
		.where(issue[due.FIELD] > moment)
		.orderby(issue[due.FIELD])
		.limit(count)
	).run(pluck=True)
	# (Fewer when a small --n has fewer left.) Next events are a second early (support_plus.sla.due): one
	# more second, and every ticket due has passed its threshold.
	return rows[-1] + timedelta(seconds=1)


def due_count(after, until) -> int:
	issue = frappe.qb.DocType("Issue")
	query = frappe.qb.from_(issue).select(frappe.query_builder.functions.Count("*"))
	return query.where((issue[due.FIELD] > after) & (issue[due.FIELD] <= until)).run()[0][0]


def health_counts() -> dict:
	return dict(
		frappe.db.sql(
			f"select concat(ifnull(sla_health, ''), '/', agreement_status), count(*) from `tabIssue` "
			f"where name like '{PREFIX}%%' group by 1"
		)
	)


def timed(fn, *args, **kwargs):
	start = time.perf_counter()
	result = fn(*args, **kwargs)
	return time.perf_counter() - start, result


def measure() -> dict:
	idle = []
	for _ in range(3):
		seconds, counts = timed(sla_sweep, NOW)
		idle.append(seconds)
	click.echo(f"idle sweeps: {[round(s, 4) for s in idle]} {counts}", err=True)
	result = {"idle_s": round(statistics.median(idle), 4)}
	moment = NOW
	for label, count in (("due_1k_s", 1000), ("due_10k_s", 10_000)):
		later = nth_event_after(moment, count)
		expected = due_count(moment, later)
		seconds, counts = timed(sla_sweep, later)
		click.echo(f"{label}: {expected} tickets due at {later}: {counts} in {seconds:.3f} s", err=True)
		if counts["at_risk"] + counts["breached"] != expected:  # each due ticket passed a threshold
			sys.exit(f"the sweep marked {counts} of {expected} tickets due: nothing was measured")
		result[label] = round(seconds, 3)
		moment = later
	before = health_counts()
	seconds, counts = timed(sla_sweep, moment, full_scan=True)
	click.echo(f"full scan at {moment}: {counts} in {seconds:.3f} s", err=True)
	after = health_counts()
	if before != after:
		sys.exit(f"the full scan found tickets the due-time sweep missed: {before} != {after}")
	result["full_scan_s"] = round(seconds, 3)
	return result


def delete() -> None:
	delete_in_batches("tabIssue", f"name like '{PREFIX}%%'")
