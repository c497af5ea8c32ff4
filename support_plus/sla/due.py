"""When a ticket's SLA next needs the sweep: `sla_next_event`, an indexed absolute time, kept exact.

The sweep (support_plus.sla.sweep) used to test the one health rule (support_plus.sla.health) and every
escalation rule on every running clock, every five minutes: its cost grew with the backlog, not with the
work due. Each of its conditions becomes true at a moment that follows from the ticket's stored columns:

- Breached: a clock's deadline (`deadline < now`), or at once for a stopped clock that missed it;
- At Risk (only from On Track): when B(now) reaches origin + warn * duration, i.e. at B⁻¹ of that;
- an escalation rule not yet fired this SLA round, matching the ticket: B⁻¹(origin + threshold * duration).

`sla_next_event` is the earliest of those moments that is still pending, taken one second early so that
float rounding can only make it early, never late (the sweep applies the rule itself to what it selects:
a row selected early is left as it is, and stays due). The sweep selects `sla_next_event <= now` (an index
range scan), applies the same SQL conditions to those rows only, and moves their next event forward.

It is computed here from the same definitions (support_plus.sla.health's clocks and `running`), and
kept exact: on every save of a ticket (pause, resume, priority or SLA change, reset: the engine),
after each firing and each sweep, and for all running tickets of an SLA when what it depends on
changes (an SLA's calendar, a Holiday List, an escalation rule, the warning percentage, a customer's
group). tests/test_sla_due.py runs the old full scan and the due-time sweep on the same random tickets
and times and checks they find the same tickets at every step.
"""

import hashlib
import math
from datetime import datetime

import frappe
from frappe.utils import get_datetime, get_system_timezone

from support_plus.sla.business_time import NoBusinessTime, from_timestamp
from support_plus.sla.config import get_config
from support_plus.sla.health import BREACHED, CLOCKS, FIELDS, ON_TRACK, running, warning_fraction
from support_plus.tickets.lifecycle import CANCELLED

FIELD = "sla_next_event"
INDEX = f"{FIELD}_index"  # Frappe's name for a field's search_index
# The columns next_event reads: the health rule's, and these.
TICKET_FIELDS = (
	"name",
	"service_level_agreement",
	*FIELDS,
	"sla_round",
	"priority",
	"issue_type",
	"customer",
)
BATCH = 1000
SYNC_LIMIT = 2000  # more tickets to refresh than this: a background job on the long queue
INLINE_LIMIT = 20_000  # due tickets whose next event a sweep computes itself; more: chunk jobs
REFRESH_CHUNK = 5000


def enabled_rules() -> list[dict]:
	"""The enabled escalation rules, with what decides which tickets they reach."""
	return frappe.get_all(
		"Support Escalation Rule",
		filters={"enabled": 1},
		fields=[
			"name",
			"clock",
			"threshold_percent",
			"service_level_agreement",
			"priority",
			"issue_type",
			"customer",
			"customer_group",
		],
	)


def rule_reaches(rule, t, customer_group: str | None) -> bool:
	"""The rule's filters (the SQL form is support_plus.sla.sweep.rule_candidates)."""
	if rule.service_level_agreement and rule.service_level_agreement != t.get("service_level_agreement"):
		return False
	for field in ("priority", "issue_type", "customer"):
		if rule.get(field) and rule.get(field) != t.get(field):
			return False
	return not (rule.customer_group and rule.customer_group != customer_group)


def next_event(
	t, calendar, warn: float, rules: list, fired: set, customer_group: str | None = None
) -> datetime | None:
	"""The earliest moment at which the sweep may have something to do for ticket `t` (a document or a
	dict of TICKET_FIELDS): None when nothing is pending. `fired`: the rules fired this SLA round."""
	if not t.get("service_level_agreement") or t.get("status") == CANCELLED:
		return None
	tz = get_system_timezone()
	moments = []
	if t.get("sla_health") != BREACHED:
		for stopped_field, deadline_field, _seconds in CLOCKS.values():
			deadline, stopped = t.get(deadline_field), t.get(stopped_field)
			if not deadline:
				continue
			if stopped:
				if get_datetime(stopped) > get_datetime(deadline):
					moments.append(get_datetime(deadline))  # missed while nobody swept: at once
			elif running(t):
				moments.append(get_datetime(deadline))
	if not running(t):
		return min(moments, default=None)

	def crossing(clock: str, fraction: float) -> datetime | None:
		stopped_field, _deadline, seconds_field = CLOCKS[clock]
		seconds = t.get(seconds_field) or 0
		if t.get(stopped_field) or seconds <= 0:
			return None
		try:
			instant = calendar.instant_at(t.get("sla_clock_origin") + seconds * fraction)
		except NoBusinessTime:
			return None
		return from_timestamp(math.floor(instant) - 1, tz)

	if t.get("sla_health") == ON_TRACK:
		moments += [crossing(clock, warn) for clock in CLOCKS]
	for rule in rules:
		if rule.name not in fired and rule_reaches(rule, t, customer_group):
			moments.append(crossing(rule.clock, (rule.threshold_percent or 0) / 100))
	return min((m for m in moments if m), default=None)


def set_on_document(doc, cfg) -> None:
	"""The engine (before_save): the ticket's next event from the state it is about to store."""
	fired = set()
	if not doc.is_new():
		fired = fired_rules([doc.name], {doc.name: doc.get("sla_round") or 0}).get(doc.name, set())
	group = customer_groups([doc.customer]).get(doc.customer) if doc.get("customer") else None
	doc.set(FIELD, next_event(doc, cfg.calendar, warning_fraction(), enabled_rules(), fired, group))


def fired_rules(names: list[str], rounds: dict) -> dict[str, set]:
	if not names:
		return {}
	escalation = frappe.qb.DocType("Issue Escalation")
	rows = (
		frappe.qb.from_(escalation)
		.select(escalation.issue, escalation.rule, escalation.sla_round)
		.where(escalation.issue.isin(names) & escalation.rule.isnotnull())
	).run()
	out: dict[str, set] = {}
	for issue, rule, sla_round in rows:
		if (sla_round or 0) == rounds.get(issue, 0):
			out.setdefault(issue, set()).add(rule)
	return out


def customer_groups(customers) -> dict:
	customers = sorted({c for c in customers if c})
	if not customers:
		return {}
	return dict(
		frappe.get_all(
			"Customer", filters={"name": ("in", customers)}, fields=["name", "customer_group"], as_list=True
		)
	)


# Dates are read as text and parsed only when next_event needs them (most due tickets are breached and
# need none): Frappe's conversion of every datetime column was most of the cost of a large sweep.
DATETIME_FIELDS = frozenset(
	("on_hold_since", "first_responded_on", "response_by", "resolution_date", "resolution_by")
)
SELECT = ", ".join(
	f"cast(`{f}` as char) as `{f}`" if f in DATETIME_FIELDS | {FIELD, "modified"} else f"`{f}`"
	for f in (*TICKET_FIELDS, FIELD, "modified")
)
STORED = "%Y-%m-%d %H:%M:%S.%f"  # how MariaDB writes a datetime(6) as text


def refresh(names: list[str]) -> int:
	"""Recompute and store the next event of these tickets (after a firing, after changes). Returns how
	many changed."""
	changed = 0
	for start in range(0, len(names), BATCH):
		batch = names[start : start + BATCH]
		rows = frappe.db.sql(
			f"select {SELECT} from `tabIssue` where name in ({', '.join(['%s'] * len(batch))})",
			batch,
			as_dict=True,
		)
		changed += refresh_rows(rows)
	return changed


def rows_of(names: list[str]) -> list[dict]:
	"""What the sweep and next_event read of these tickets, from the primary."""
	rows = []
	for start in range(0, len(names), BATCH):
		batch = names[start : start + BATCH]
		rows += frappe.db.sql(
			f"select {SELECT} from `tabIssue` where name in ({', '.join(['%s'] * len(batch))})",
			batch,
			as_dict=True,
		)
	return rows


@frappe.read_only()
def due_names(now) -> list[str]:
	"""The sweep's candidate selection: the tickets whose next event has come, by an index range scan (the
	index alone), on the replica when the site has one (site config `read_from_replica`); the sweep
	then reads those rows from the primary by name and decides on the primary's state."""
	return frappe.db.sql_list(
		f"select name from `tabIssue` force index (`{INDEX}`) where `{FIELD}` <= %s", now
	)


def refresh_rows(rows: list[dict], marked: dict | None = None) -> int:
	"""Store the next event of these rows (read by `refresh` or `due_rows`); `marked`: the health the
	sweep has given some of them since. A row saved meanwhile (its `modified` moved) is left alone: its
	save computed its next event. Returns how many changed."""
	if not rows:
		return 0
	marked = marked or {}
	rules = enabled_rules()
	warn = warning_fraction()
	slas = set(frappe.get_all("Service Level Agreement", pluck="name"))
	calendars = {}
	values = {}
	for start in range(0, len(rows), BATCH):
		batch = rows[start : start + BATCH]
		fired = (
			fired_rules([r.name for r in batch], {r.name: r.sla_round or 0 for r in batch}) if rules else {}
		)
		groups = customer_groups(r.customer for r in batch) if any(r.customer_group for r in rules) else {}
		for row in batch:
			if row.name in marked:
				row.sla_health = marked[row.name]
			sla = row.service_level_agreement
			event = None
			if sla in slas:
				if sla not in calendars:
					calendars[sla] = get_config(sla).calendar
				event = next_event(
					row, calendars[sla], warn, rules, fired.get(row.name, set()), groups.get(row.customer)
				)
			if row.get(FIELD) != (event.strftime(STORED) if event else None):
				values[row.name] = (event, row.modified)  # (most due tickets keep a pending firing's moment)
	write(values)
	return len(values)


def refresh_later(names: list[str]) -> None:
	"""A burst of due tickets (the first sweep after an outage) gets its next events from deduplicated chunk
	jobs on the long queue: until then their stored next event is early, never late (marking and firing
	only take pending events away), so nothing is missed; they are only looked at again."""
	names = sorted(names)
	for start in range(0, len(names), REFRESH_CHUNK):
		chunk = names[start : start + REFRESH_CHUNK]
		digest = hashlib.sha1("\n".join(chunk).encode()).hexdigest()[:16]
		frappe.enqueue(
			"support_plus.sla.due.refresh_chunk",
			queue="long",
			job_id=f"support_plus:sla_due_chunk:{digest}",
			deduplicate=True,
			enqueue_after_commit=True,
			names=chunk,
		)


def refresh_chunk(names: list[str]) -> None:
	"""Job: the next events of some tickets after a large sweep."""
	refresh(names)
	frappe.db.commit()  # nosemgrep: a job


def write(values: dict) -> None:
	"""name -> (next event, `modified` when read): one UPDATE per batch, joined to the batch's values (a
	UNION of one-row selects: half the time of a CASE on the name with a branch per ticket), not touching
	`modified`, and only where `modified` has not moved since."""
	items = list(values.items())
	for start in range(0, len(items), BATCH):
		part = items[start : start + BATCH]
		given = " union all ".join(["select %s as name, %s as next_event, %s as modified"] * len(part))
		frappe.db.sql(
			f"update `tabIssue` i join ({given}) v on i.name = v.name and i.modified = v.modified "
			f"set i.`{FIELD}` = v.next_event",
			[x for name, (event, modified) in part for x in (name, event, modified)],
		)


def open_clock_names(sla: str | None = None) -> list[str]:
	"""Tickets that may have something pending: an SLA, not cancelled, not fulfilled long ago."""
	filters = {"service_level_agreement": sla or ("is", "set"), "status": ("!=", CANCELLED)}
	names = set(
		frappe.get_all("Issue", filters={**filters, "on_hold_since": ("is", "not set")}, pluck="name")
	)
	names |= set(frappe.get_all("Issue", filters={**filters, FIELD: ("is", "set")}, pluck="name"))
	return sorted(names)


def refresh_all(sla: str | None = None) -> int:
	"""Job: every ticket of `sla` (or of every SLA), in batches committed on their own when run as a job."""
	names = open_clock_names(sla)
	changed = 0
	for start in range(0, len(names), BATCH * 10):
		changed += refresh(names[start : start + BATCH * 10])
		if frappe.flags.get("support_plus_refresh_job"):
			frappe.db.commit()  # nosemgrep: a long job, one batch per transaction
	return changed


def run_refresh_job(sla: str | None = None) -> None:
	frappe.flags.support_plus_refresh_job = True
	try:
		refresh_all(sla)
	finally:
		frappe.flags.support_plus_refresh_job = False


def schedule_refresh(sla: str | None = None) -> None:
	"""Something the next events depend on changed: refresh now when there are few tickets, else in a
	deduplicated job on the long queue after this transaction commits."""
	if frappe.flags.in_install or frappe.flags.in_migrate or frappe.flags.in_patch:
		return
	filters = {"service_level_agreement": sla or ("is", "set"), "status": ("!=", CANCELLED)}
	if frappe.db.count("Issue", filters) <= SYNC_LIMIT:
		refresh_all(sla)
		return
	frappe.enqueue(
		"support_plus.sla.due.run_refresh_job",
		queue="long",
		timeout=3600,
		job_id=f"support_plus:sla_due:{sla or '*'}",
		deduplicate=True,
		enqueue_after_commit=True,
		sla=sla,
	)


# Hooks: what the next events depend on.


def on_sla_change(doc, method=None) -> None:
	"""Service Level Agreement on_update: its calendar or timezone may have changed."""
	schedule_refresh(doc.name)


def on_holiday_list_change(doc, method=None) -> None:
	for sla in frappe.get_all("Service Level Agreement", filters={"holiday_list": doc.name}, pluck="name"):
		schedule_refresh(sla)


def on_rule_change(doc, method=None) -> None:
	"""Support Escalation Rule on_update / on_trash: the tickets of its SLA (before and after)."""
	before = doc.get_doc_before_save() if method != "on_trash" else None
	slas = {doc.get("service_level_agreement"), before.get("service_level_agreement") if before else None}
	for sla in [None] if None in slas else sorted(slas):
		schedule_refresh(sla)


def on_settings_change(doc, method=None) -> None:
	"""Support Plus Settings on_update: a new warning percentage moves every At Risk moment."""
	before = doc.get_doc_before_save()
	if before and before.get("sla_warning_percent") != doc.get("sla_warning_percent"):
		schedule_refresh()


def on_customer_change(doc, method=None) -> None:
	"""Customer on_update: rules filtered by customer group follow a customer who changes group."""
	before = doc.get_doc_before_save()
	if not before or before.get("customer_group") == doc.get("customer_group"):
		return
	if not frappe.db.exists("Support Escalation Rule", {"enabled": 1, "customer_group": ("is", "set")}):
		return
	refresh(
		frappe.get_all(
			"Issue",
			filters={
				"customer": doc.name,
				"service_level_agreement": ("is", "set"),
				"status": ("!=", CANCELLED),
			},
			pluck="name",
		)
	)


def on_escalation_trash(doc, method=None) -> None:
	"""Issue Escalation on_trash: a rule's firing removed, the rule is pending again."""
	if doc.get("issue") and doc.get("rule") and frappe.db.exists("Issue", doc.issue):
		refresh([doc.issue])
