"""The SLA engine of a ticket: deadlines, pauses, agreement status and health, in business time.

ERPNext's own SLA code runs in `validate` (its "*" hook, after support_plus's Issue hooks) and counts hold
time on the wall clock; support_plus has the last word in `before_save` and recomputes every SLA field from
the ticket's stored state, so desk saves, scripts, REST and background jobs all get the same numbers.

The state of a ticket's clock:
- `service_level_agreement_creation`: when its SLA started;
- `sla_pauses`: the closed intervals in which the clock stood still (a pause status, or a fulfilment
  status before a reopening: a ticket reopened after being closed goes on from where it stopped and is
  never failed for the time it was closed);
- `on_hold_since`: the start of the stop it is in now, if any;
- `sla_clock_origin`: B(start) + the business time of the closed pauses, in the calendar of its SLA.
A threshold p of a clock is reached when B(now) >= origin + p * duration; the ticket's health follows
from that and its deadlines by one rule, in Python and SQL forms (support_plus.sla.health).

It also fills ERPNext's response and resolution metrics of the ticket (support_plus.sla.metrics).
"""

import json

import frappe
from frappe import _
from frappe.utils import get_datetime, get_fullname, get_system_timezone

from support_plus.sla import due, health, metrics
from support_plus.sla.business_time import from_timestamp, to_timestamp
from support_plus.sla.config import SlaConfig, get_config, tracking_enabled
from support_plus.sla.selection import select_sla
from support_plus.tickets.lifecycle import CANCELLED, CLOSED, PENDING_CUSTOMER, REPLIED, RESOLVED
from support_plus.utils import clock

# Statuses that answer the customer: reaching one is the first response.
RESPONSE_STATUSES = frozenset((REPLIED, PENDING_CUSTOMER, RESOLVED, CLOSED))


def remember_requested_sla(doc, method=None) -> None:
	"""Issue `validate` (before ERPNext's): keep what the caller gave, and keep ERPNext's SLA code away."""
	doc.flags.support_plus_requested_sla = doc.get("service_level_agreement")
	doc.flags.support_plus_requested_start = doc.get("service_level_agreement_creation")
	keep_erpnext_sla_off_issues()


def keep_erpnext_sla_off_issues() -> None:
	"""ERPNext's SLA `apply` (a "*" validate hook) recomputes every Issue's SLA on the wall clock, which
	this engine then overwrites: about 10 ms a save for nothing. It only runs for the doctypes in its
	cached list of SLA doctypes, so Issue is kept out of that list (ERPNext rebuilds it when an SLA is
	saved or the cache is cleared; this runs before ERPNext's hook on every Issue save)."""
	from erpnext.support.doctype.service_level_agreement.service_level_agreement import (
		get_documents_with_active_service_level_agreement,
	)

	active = get_documents_with_active_service_level_agreement()
	if "Issue" in active:
		frappe.cache.hset("service_level_agreement", "active", [d for d in active if d != "Issue"])


def apply_sla(doc, method=None) -> None:
	"""Issue `before_save`."""
	if frappe.flags.in_install or frappe.flags.in_migrate or frappe.flags.in_patch or not tracking_enabled():
		return
	before = doc.get_doc_before_save()
	name = choose_sla(doc, before)
	if not name:
		for field in ("service_level_agreement", "response_by", "resolution_by", "sla_health", due.FIELD):
			doc.set(field, None)
		return
	cfg = get_config(name)
	doc.service_level_agreement = name
	doc.priority = doc.priority or cfg.default_priority
	if doc.priority not in cfg.priorities:
		frappe.throw(
			_("Service Level Agreement {0} has no targets for priority {1}.").format(
				frappe.bold(name), frappe.bold(doc.priority)
			)
		)
	compute(doc, before, cfg, clock.now())


def choose_sla(doc, before) -> str | None:
	requested = doc.flags.get("support_plus_requested_sla")
	if requested and (not before or requested != before.get("service_level_agreement")):
		return requested  # chosen by hand
	kept = before.get("service_level_agreement") if before else None
	if (
		kept
		and before.customer == doc.customer
		and before.priority == doc.priority
		and before.get("service_contract") == doc.get("service_contract")
	):
		return kept
	return select_sla(doc) or kept


def compute(doc, before, cfg: SlaConfig, now) -> None:
	tz = get_system_timezone()
	cal = cfg.calendar
	ts = lambda value: to_timestamp(get_datetime(value), tz)  # noqa: E731
	dt = lambda value: from_timestamp(value, tz)  # noqa: E731

	# The clock's stored state; a reset (support_plus.api.sla) starts a new one.
	stored = None if doc.flags.get("support_plus_sla_reset") else before
	if stored and stored.get("service_level_agreement_creation"):
		doc.service_level_agreement_creation = stored.service_level_agreement_creation
	else:
		doc.service_level_agreement_creation = doc.flags.get("support_plus_requested_start") or now
	start = get_datetime(doc.service_level_agreement_creation)
	previous = before.status if before else None
	stop_before, stop_now = stop_kind(previous, cfg), stop_kind(doc.status, cfg)

	# ERPNext's validate changed these on the wall clock: start again from what was stored.
	pauses = json.loads(stored.get("sla_pauses") or "[]") if stored else []
	on_hold_since = stored.get("on_hold_since") if stored else None
	first_response = (
		stored.get("first_responded_on") if stored else (None if before else doc.get("first_responded_on"))
	)
	resolved_on = stored.get("resolution_date") if stored else None

	if stop_before and stop_before != stop_now and on_hold_since:
		# A stop ends, also when a paused ticket is resolved: the pause counts up to the resolution.
		pauses.append([str(get_datetime(on_hold_since)), str(now)])
		on_hold_since = None
	if stop_now and not on_hold_since:
		on_hold_since = now
	answered = doc.status in RESPONSE_STATUSES and previous != doc.status
	answered_now = False  # the first response is this save's (a late one is noted on the timeline)
	if doc.flags.pop("on_first_reply", None):
		# ERPNext's flag for a first reply sent by email, set in the Communication hook (ERPNext's, replaced
		# in support_plus.overrides.erpnext_sla) after Frappe stored the time the message's row was
		# written: the reply counts at its own date (or the pinned clock).
		first_response, answered_now = metrics.first_reply_time(doc.name), True
	elif answered and not first_response:
		first_response, answered_now = now, True
	if doc.status in cfg.fulfilled_statuses:
		resolved_on = resolved_on if previous in cfg.fulfilled_statuses else now
	else:
		resolved_on = None

	pause_intervals = [(ts(a), ts(b)) for a, b in pauses]
	b_start = cal.business_seconds(ts(start))
	held_total = sum(cal.between(a, b) for a, b in pause_intervals)
	origin = b_start + held_total
	response_s, resolution_s = cfg.priorities[doc.priority]
	if first_response:
		# Only the pauses before the first response moved its deadline.
		until = ts(first_response)
		held = sum(cal.between(a, min(b, until)) for a, b in pause_intervals if a < until)
		response_by = dt(cal.instant_at(b_start + held + response_s))
	else:
		response_by = None if on_hold_since else dt(cal.instant_at(origin + response_s))
	paused = stop_now in ("pause", "cancelled")
	resolution_by = None
	if cfg.apply_sla_for_resolution and not paused:
		resolution_by = dt(cal.instant_at(origin + resolution_s))

	resolution = {"resolution_time": None, "user_resolution_time": None}
	if resolved_on:
		if stored and stored.get("resolution_date") and stored.get("user_resolution_time") is not None:
			resolution = {field: stored.get(field) for field in resolution}  # resolved before: kept
		else:
			resolution = metrics.resolution_metrics(doc.name, start, resolved_on)

	doc.update(
		{
			**resolution,
			"first_response_time": (
				metrics.first_response_seconds(cfg, start, first_response) if first_response else None
			),
			"sla_pauses": json.dumps(pauses) if pauses else None,
			"on_hold_since": on_hold_since,
			"total_hold_time": round(held_total),
			"first_responded_on": first_response,
			"resolution_date": resolved_on,
			"sla_clock_origin": origin,
			"sla_response_seconds": response_s,
			"sla_resolution_seconds": resolution_s if cfg.apply_sla_for_resolution else 0,
			"response_by": response_by,
			"resolution_by": resolution_by,
		}
	)
	doc.agreement_status, doc.sla_health = status_and_health(doc, before, cfg, now)
	due.set_on_document(doc, cfg)
	if answered_now and response_by and get_datetime(first_response) > get_datetime(response_by):
		note_late_first_response(doc)


def note_late_first_response(doc) -> None:
	"""On the timeline, who held the ticket when its first response came late (as ERPNext does)."""
	if doc.is_new():
		return
	if users := doc.get_assigned_users():
		names = ", ".join(get_fullname(user) for user in sorted(users))
		doc.add_comment(comment_type="Assigned", text=_("First Response SLA Failed by {}").format(names))


def status_and_health(doc, before, cfg: SlaConfig, now) -> tuple[str, str | None]:
	"""ERPNext's agreement status, and the ticket's health by the one rule (support_plus.sla.health)."""
	b_now = cfg.calendar.business_seconds(to_timestamp(now, get_system_timezone()))
	held = before.get("sla_health") if before else None
	sla_health = health.health(doc, now, b_now, health.warning_fraction(), held)
	if sla_health == health.BREACHED:
		return "Failed", sla_health
	if doc.status != CANCELLED and doc.resolution_date:
		return "Fulfilled", sla_health
	return ("Resolution Due" if doc.first_responded_on else "First Response Due"), sla_health


def stop_kind(status: str | None, cfg: SlaConfig) -> str | None:
	"""Why the clock stands still in a status: "cancelled", "fulfilled", "pause", or None (it runs).
	A cancelled ticket's clock stops like a pause: a reopened ticket goes on with the time it had left."""
	if status == CANCELLED:
		return "cancelled"
	if status in cfg.fulfilled_statuses:
		return "fulfilled"
	if status in cfg.pause_statuses:
		return "pause"
	return None


def ensure_indexes() -> None:
	"""Install/migrate: the columns the sweep filters on."""
	for columns in (
		["service_level_agreement", "sla_health"],
		["response_by"],
		["resolution_by"],
		[due.FIELD],
	):
		frappe.db.add_index("Issue", columns)
