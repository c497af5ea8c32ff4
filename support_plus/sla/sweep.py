"""The SLA sweep: breaches, warnings and escalations found with set-based SQL, without anyone saving.

For each SLA with running tickets, B(now) in its calendar is computed once; a clock at p% of its time is
then `sla_clock_origin + p * duration <= B(now)` on stored columns (support_plus.sla.engine). A breach is
the stored deadline (`response_by`, `resolution_by`) before now, as ERPNext counts it.
Health and agreement status are set with one UPDATE per SLA and state; escalation rules fire once per
(ticket, rule, SLA round), inline for small batches and as deduplicated chunk jobs on the long queue for
large ones. Each (ticket, rule) firing has its own savepoint: one that fails is undone alone, written to
the Error Log and tried again by the next sweep, while the breach marking and every other firing stand.
Safe to rerun and to run twice at once; the caller (scheduler or job) commits.
"""

import hashlib

import frappe
from frappe import _
from frappe.query_builder import Criterion
from frappe.utils import get_system_timezone

from support_plus.sla.business_time import to_timestamp
from support_plus.sla.config import get_config, tracking_enabled
from support_plus.sla.engine import AT_RISK, BREACHED, ON_TRACK, warning_fraction
from support_plus.sla.escalation import fire_rule
from support_plus.tickets.lifecycle import CANCELLED
from support_plus.utils import clock

CHUNK_SIZE = 500


def sla_sweep(now=None) -> dict:
	now = clock.now(now)
	counts = {"at_risk": 0, "breached": 0, "escalations": 0, "failed": 0, "queued_chunks": 0}
	if not tracking_enabled():
		return counts
	issue = frappe.qb.DocType("Issue")
	# Every SLA with a running clock: a breached ticket still has levels to reach (150%, ...).
	slas = (
		frappe.qb.from_(issue).select(issue.service_level_agreement).distinct().where(running(issue))
	).run(pluck=True)
	b_now = {
		sla: get_config(sla).calendar.business_seconds(to_timestamp(now, get_system_timezone()))
		for sla in slas
	}
	warn = warning_fraction()
	for sla, b in b_now.items():
		counts["breached"] += mark(
			sla, past_deadline(issue, now) | answered_late(issue), BREACHED, agreement="Failed"
		)
		counts["at_risk"] += mark(sla, crossed(issue, b, warn), AT_RISK, only_from=ON_TRACK)
	for rule in frappe.get_all("Support Escalation Rule", filters={"enabled": 1}, pluck="name"):
		fired, failed, queued = escalate_rule(
			frappe.get_cached_doc("Support Escalation Rule", rule), b_now, now
		)
		counts["escalations"] += fired
		counts["failed"] += failed
		counts["queued_chunks"] += queued
	return counts


def scheduled_sweep() -> None:
	"""Scheduler (every five minutes)."""
	sla_sweep()


def running(issue):
	"""Clock running: an SLA, a computed clock, no stop (pause or fulfilment) in progress, not cancelled
	(the engine stops a cancelled ticket's clock; tickets cancelled before it did are excluded too).
	(Numeric columns are NOT NULL in Frappe: no clock is origin 0, no resolution clock is 0 seconds.)"""
	return (
		issue.service_level_agreement.isnotnull()
		& issue.on_hold_since.isnull()
		& (issue.sla_clock_origin > 0)
		& (issue.status != CANCELLED)
	)


def crossed(issue, b_now: float, fraction: float):
	"""A running clock past `fraction` of its time: response until answered, resolution until resolved."""
	response = issue.first_responded_on.isnull() & (
		issue.sla_clock_origin + issue.sla_response_seconds * fraction <= b_now
	)
	resolution = (
		issue.resolution_date.isnull()
		& (issue.sla_resolution_seconds > 0)
		& (issue.sla_clock_origin + issue.sla_resolution_seconds * fraction <= b_now)
	)
	return running(issue) & (response | resolution)


def past_deadline(issue, now):
	"""A running clock past its stored deadline (exact also after hours, where B(now) stands still)."""
	response = issue.first_responded_on.isnull() & (issue.response_by < now)
	resolution = issue.resolution_date.isnull() & (issue.resolution_by < now)
	return running(issue) & (response | resolution)


def answered_late(issue):
	"""First answered by email after the deadline (Frappe stores that without a save); never on a
	cancelled ticket."""
	return (
		(issue.status != CANCELLED)
		& issue.first_responded_on.isnotnull()
		& issue.response_by.isnotnull()
		& (issue.first_responded_on > issue.response_by)
	)


def mark(sla: str, condition, health: str, agreement: str | None = None, only_from: str | None = None) -> int:
	issue = frappe.qb.DocType("Issue")
	where = (issue.service_level_agreement == sla) & condition
	where &= (
		(issue.sla_health == only_from)
		if only_from
		else (issue.sla_health != health) | issue.sla_health.isnull()
	)
	names = frappe.qb.from_(issue).select(issue.name).where(where).run(pluck=True)
	for start in range(0, len(names), CHUNK_SIZE):
		query = frappe.qb.update(issue).set(issue.sla_health, health)
		if agreement:
			query = query.set(issue.agreement_status, agreement)
		query.where(issue.name.isin(names[start : start + CHUNK_SIZE])).run()
	return len(names)


def escalate_rule(rule, b_now: dict, now) -> tuple[int, int, int]:
	"""Fire `rule` on the tickets past its threshold; returns (fired now, failed, chunks queued)."""
	names = rule_candidates(rule, b_now)
	if len(names) <= CHUNK_SIZE:
		return *fire_each(rule, names, now), 0
	for start in range(0, len(names), CHUNK_SIZE):
		chunk = names[start : start + CHUNK_SIZE]
		digest = hashlib.sha1("\n".join(chunk).encode()).hexdigest()[:16]
		frappe.enqueue(
			"support_plus.sla.sweep.fire_chunk",
			queue="long",
			job_id=f"support_plus:escalate:{rule.name}:{digest}",
			deduplicate=True,
			enqueue_after_commit=True,
			rule=rule.name,
			names=chunk,
			at=str(now),  # not `now`: that is enqueue's own "run it right here" switch
		)
	return 0, 0, (len(names) + CHUNK_SIZE - 1) // CHUNK_SIZE


def fire_chunk(rule: str, names: list[str], at=None) -> int:
	"""Job: fire a rule on some tickets at time `at`; each fires at most once whoever runs it. Returns
	how many fired."""
	return fire_each(frappe.get_cached_doc("Support Escalation Rule", rule), names, at)[0]


def fire_each(rule, names: list[str], now) -> tuple[int, int]:
	"""Fire `rule` on each ticket in its own savepoint; a failure is undone, logged and skipped (the next
	sweep tries again). Returns (fired, failed)."""
	fired = failed = 0
	for name in names:
		frappe.db.savepoint("support_plus_sla_fire")
		try:
			fired += fire_rule(name, rule, now)
		except Exception:
			frappe.db.rollback(save_point="support_plus_sla_fire")
			frappe.log_error(
				title=_("Escalation rule {0} failed on ticket {1}").format(rule.name, name)[:140],
				reference_doctype="Issue",
				reference_name=name,
			)
			failed += 1
	return fired, failed


def rule_candidates(rule, b_now: dict) -> list[str]:
	issue = frappe.qb.DocType("Issue")
	escalation = frappe.qb.DocType("Issue Escalation")
	fraction = (rule.threshold_percent or 0) / 100
	per_sla = []
	for sla, b in b_now.items():
		if rule.service_level_agreement and rule.service_level_agreement != sla:
			continue
		seconds = issue.sla_response_seconds if rule.clock == "Response" else issue.sla_resolution_seconds
		clock_running = (
			issue.first_responded_on.isnull() if rule.clock == "Response" else issue.resolution_date.isnull()
		)
		per_sla.append(
			(issue.service_level_agreement == sla)
			& clock_running
			& (seconds > 0)
			& (issue.sla_clock_origin + seconds * fraction <= b)
		)
	if not per_sla:
		return []
	query = (
		frappe.qb.from_(issue)
		.left_join(escalation)
		.on(
			(escalation.issue == issue.name)
			& (escalation.rule == rule.name)
			& (escalation.sla_round == issue.sla_round)
		)
		.select(issue.name)
		.where(running(issue) & Criterion.any(per_sla) & escalation.name.isnull())
		.orderby(issue.name)
	)
	for field in ("priority", "issue_type", "customer"):
		if rule.get(field):
			query = query.where(issue[field] == rule.get(field))
	if rule.customer_group:
		customer = frappe.qb.DocType("Customer")
		query = (
			query.join(customer)
			.on(customer.name == issue.customer)
			.where(customer.customer_group == rule.customer_group)
		)
	return query.run(pluck=True)
