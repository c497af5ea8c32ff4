"""The SLA sweep: breaches, warnings and escalations found with set-based SQL, without anyone saving.

For each SLA with running tickets, B(now) in its calendar is computed once; which tickets are Breached
or At Risk is then decided on stored columns by the SQL form of the one health rule
(support_plus.sla.health), the rule the engine applies on save. Health and agreement status are set
with one UPDATE per SLA and state; escalation rules fire once per (ticket, rule, SLA round), inline
for small batches and as deduplicated chunk jobs on the long queue for large ones.

Each (ticket, rule) firing has its own savepoint: one that fails is undone alone, written to the Error
Log (once per ticket, rule and SLA round, however many sweeps it keeps failing in) and tried again by
the next sweep, while the breach marking and every other firing stand. The scheduled sweep and the
chunk jobs commit the marking, then each firing on its own, so a firing that deadlocks (MariaDB then
undoes the whole transaction) is tried once more and loses nothing else. Safe to rerun and to run twice
at once; called with `commit=False` (the API, tests), the caller commits.
"""

import hashlib

import frappe
from frappe import _
from frappe.query_builder import Criterion
from frappe.utils import get_system_timezone

from support_plus.sla import due
from support_plus.sla import health as health_rule
from support_plus.sla.business_time import to_timestamp
from support_plus.sla.config import get_config, tracking_enabled
from support_plus.sla.escalation import fire_rule
from support_plus.sla.health import (
	AT_RISK,
	BREACHED,
	ON_TRACK,
	at_risk_sql,
	breached_sql,
	crossed_sql,
	running_sql,
	warning_fraction,
)
from support_plus.utils import clock

CHUNK_SIZE = 500
UPDATE_CHUNK = 500
DEADLOCK_ATTEMPTS = 2


def sla_sweep(now=None, commit: bool = False, full_scan: bool = False) -> dict:
	"""Mark breaches and warnings, fire escalation rules. With `commit` (the scheduled sweep), the marking
	and then each firing are committed on their own, so a firing that deadlocks loses nothing else.

	Only tickets whose next SLA event has come (`sla_next_event <= now`, support_plus.sla.due) are looked
	at, and their next event moves forward afterwards; `full_scan` tests every running clock as the sweep
	did before that index (the benchmark and the test comparing the two)."""
	now = clock.now(now)
	counts = {"at_risk": 0, "breached": 0, "escalations": 0, "failed": 0, "queued_chunks": 0}
	if not tracking_enabled():
		return counts
	issue = frappe.qb.DocType("Issue")
	due_now = None if full_scan else issue[due.FIELD] <= now
	# Every SLA with a running clock (the full scan) or a ticket due (read with what the rule and its next
	# event need): a breached ticket still has levels to reach (150%, ...). A ticket whose SLA was deleted
	# (by force: Frappe's link check refuses otherwise) has nothing to be measured by.
	# A burst (more tickets due than a sweep refreshes itself: the first sweep after an outage) is marked
	# by the SQL form on the due rows, as the full scan does; their next events come from chunk jobs.
	names = [] if full_scan else due.due_names(now)
	burst = len(names) > due.INLINE_LIMIT
	if full_scan or burst:
		agreement = frappe.qb.DocType("Service Level Agreement")
		slas = (
			frappe.qb.from_(issue)
			.join(agreement)
			.on(agreement.name == issue.service_level_agreement)
			.select(issue.service_level_agreement)
			.distinct()
			.where(due_now if burst else running_sql(issue))
		).run(pluck=True)
	else:
		rows = due.rows_of(names)
		existing = set(frappe.get_all("Service Level Agreement", pluck="name")) if rows else set()
		slas = sorted({row.service_level_agreement for row in rows} & existing)
	b_now = {
		sla: get_config(sla).calendar.business_seconds(to_timestamp(now, get_system_timezone()))
		for sla in slas
	}
	warn = warning_fraction()
	marked = {}
	if full_scan or burst:
		for sla, b in b_now.items():
			for name in mark(sla, breached_sql(issue, now), BREACHED, agreement="Failed", due_now=due_now):
				marked[name] = BREACHED
			for name in mark(sla, at_risk_sql(issue, b, warn), AT_RISK, only_from=ON_TRACK, due_now=due_now):
				marked[name] = AT_RISK
	else:
		# The due tickets are in hand: the Python form of the same rule (tests/test_sla_health.py checks
		# the two forms agree; tests/test_sla_due.py that both sweeps mark the same tickets).
		for row in rows:
			if row.service_level_agreement not in b_now:
				continue
			if row.sla_health != BREACHED and health_rule.breached(row, now):
				marked[row.name] = BREACHED
			elif row.sla_health == ON_TRACK and health_rule.at_risk(
				row, b_now[row.service_level_agreement], warn
			):
				marked[row.name] = AT_RISK
		for state, agreement in ((BREACHED, "Failed"), (AT_RISK, None)):
			set_health([name for name, health in marked.items() if health == state], state, agreement)
	counts["breached"] = sum(health == BREACHED for health in marked.values())
	counts["at_risk"] = len(marked) - counts["breached"]
	if commit:
		frappe.db.commit()  # nosemgrep: the scheduled job; the firings follow, each on its own
	rules = frappe.get_all("Support Escalation Rule", filters={"enabled": 1}, pluck="name") if slas else []
	for rule in rules:
		fired, failed, queued = escalate_rule(
			frappe.get_cached_doc("Support Escalation Rule", rule), b_now, now, commit, due_now
		)
		counts["escalations"] += fired
		counts["failed"] += failed
		counts["queued_chunks"] += queued
	if burst:
		due.refresh_later(names)  # until then their next event is early, never late: nothing is missed
	elif not full_scan:
		due.refresh_rows(rows, marked)  # their next event moves forward (a queued firing keeps it due)
		if commit:
			frappe.db.commit()  # nosemgrep: the scheduled job
	return counts


def due_tickets(now) -> list[str]:
	"""The tickets whose next SLA event has come: an index range scan."""
	issue = frappe.qb.DocType("Issue")
	return (
		frappe.qb.from_(issue).force_index(due.INDEX).select(issue.name).where(issue[due.FIELD] <= now)
	).run(pluck=True)


def scheduled_sweep() -> None:
	"""Scheduler (every five minutes)."""
	sla_sweep(commit=True)


def mark(
	sla: str, condition, health: str, agreement: str | None = None, only_from: str | None = None, due_now=None
) -> list[str]:
	"""Every ticket of `sla` meeting the SQL form of the rule (among those due, with `due_now`)."""
	issue = frappe.qb.DocType("Issue")
	where = (issue.service_level_agreement == sla) & condition
	if due_now is not None:
		where &= due_now
	where &= (
		(issue.sla_health == only_from)
		if only_from
		else (issue.sla_health != health) | issue.sla_health.isnull()
	)
	# A plain SELECT, then UPDATEs by name: an UPDATE ... WHERE would lock every row it looks at, and wait
	# for tickets being saved that it does not change.
	names = frappe.qb.from_(issue).select(issue.name).where(where).run(pluck=True)
	set_health(names, health, agreement)
	return names


def set_health(names: list[str], health: str, agreement: str | None = None) -> None:
	issue = frappe.qb.DocType("Issue")
	for start in range(0, len(names), UPDATE_CHUNK):
		query = frappe.qb.update(issue).set(issue.sla_health, health)
		if agreement:
			query = query.set(issue.agreement_status, agreement)
		query.where(issue.name.isin(names[start : start + UPDATE_CHUNK])).run()


def escalate_rule(rule, b_now: dict, now, commit: bool = False, due_now=None) -> tuple[int, int, int]:
	"""Fire `rule` on the tickets past its threshold (among those due, when `due_now` is a condition);
	returns (fired now, failed, chunks queued)."""
	names = rule_candidates(rule, b_now, due_now)
	if len(names) <= CHUNK_SIZE:
		return *fire_each(rule, names, now, commit), 0
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
			commit=True,
		)
	return 0, 0, (len(names) + CHUNK_SIZE - 1) // CHUNK_SIZE


def fire_chunk(rule: str, names: list[str], at=None, commit: bool = False) -> int:
	"""Job: fire a rule on some tickets at time `at`; each fires at most once whoever runs it. Returns
	how many fired."""
	rule = frappe.get_cached_doc("Support Escalation Rule", rule)
	return fire_each(rule, names, at, commit=commit)[0]


def fire_each(rule, names: list[str], now, commit: bool = False) -> tuple[int, int]:
	"""Fire `rule` on each ticket in its own savepoint; a failure is undone, logged once and skipped (the
	next sweep tries again). With `commit`, each firing is committed on its own. Returns (fired, failed).

	A deadlock is different: MariaDB undoes the whole transaction, savepoints included. Committing, only
	this firing was in it: it is tried once more, then logged and skipped like any failure. Otherwise the
	caller's transaction is gone and the error goes up to it (the scheduled sweep commits)."""
	fired = failed = 0
	for name in names:
		for attempt in range(1, DEADLOCK_ATTEMPTS + 1):
			frappe.db.savepoint("support_plus_sla_fire")
			try:
				fired += fire_rule(name, rule, now)
				due.refresh([name])  # the rule is no longer pending on it
			except frappe.QueryDeadlockError:
				frappe.db.rollback()
				if not commit:
					raise
				if attempt < DEADLOCK_ATTEMPTS:
					continue
				log_failure(rule, name)
				failed += 1
			except Exception:
				frappe.db.rollback(save_point="support_plus_sla_fire")
				log_failure(rule, name)
				failed += 1
			if commit:
				frappe.db.commit()  # nosemgrep: a job, one firing per transaction
			break
	return fired, failed


def log_failure(rule, name: str) -> None:
	"""One Error Log per ticket, rule and SLA round, however many sweeps the firing keeps failing in: a
	new round (a reset) that fails again is logged again."""
	sla_round = frappe.db.get_value("Issue", name, "sla_round") or 0
	title = _("Escalation rule {0} failed on ticket {1} (SLA round {2})").format(rule.name, name, sla_round)
	title = title[:140]
	if not frappe.db.exists(
		"Error Log", {"reference_doctype": "Issue", "reference_name": name, "method": title}
	):
		frappe.log_error(title=title, reference_doctype="Issue", reference_name=name)


def rule_candidates(rule, b_now: dict, due_now=None) -> list[str]:
	"""The tickets `rule` fires on now: the SQL form of support_plus.sla.due.rule_reaches and the
	health rule's `crossed`, without a firing this SLA round."""
	issue = frappe.qb.DocType("Issue")
	escalation = frappe.qb.DocType("Issue Escalation")
	fraction = (rule.threshold_percent or 0) / 100
	per_sla = []
	for sla, b in b_now.items():
		if rule.service_level_agreement and rule.service_level_agreement != sla:
			continue
		per_sla.append((issue.service_level_agreement == sla) & crossed_sql(issue, rule.clock, b, fraction))
	if not per_sla:
		return []
	where = Criterion.any(per_sla) & escalation.name.isnull()
	if due_now is not None:
		where &= due_now
	query = (
		frappe.qb.from_(issue)
		.left_join(escalation)
		.on(
			(escalation.issue == issue.name)
			& (escalation.rule == rule.name)
			& (escalation.sla_round == issue.sla_round)
		)
		.select(issue.name)
		.where(where)
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
