"""A ticket's SLA health (On Track, At Risk, Breached): the one rule, in a Python and a SQL form.

The engine (support_plus.sla.engine) asks the Python form when a ticket is saved; the sweep
(support_plus.sla.sweep) marks thousands of tickets with one UPDATE per state, and the SLA Compliance
report counts met and missed clocks in one aggregate query, both with the SQL form. Both forms read the
same stored columns of Issue (the engine's clock state) and are written side by side below;
tests/test_sla_health.py checks that they agree on a grid of tickets and times, boundaries included.

The rule, at time `now` (B(now): the business seconds of the ticket's SLA calendar at `now`):
- A cancelled ticket owes nothing: no health, never breached.
- A clock (response, resolution) is *missed* when it stopped (answered, resolved) after its deadline, or
  still runs past its deadline. Exactly at the deadline is in time. A clock that stands still (pause,
  fulfilment) is not missed by the time that passes meanwhile.
- Breached: either clock missed. Otherwise a resolved ticket is On Track; a paused one keeps the health
  it had (On Track if none): its clock stands still, so does its health.
- At Risk: a running clock has used `warn` of its time: origin + warn * duration <= B(now), where
  `sla_clock_origin` = B(start) + the business time of the closed pauses (see support_plus.sla.engine).
- Otherwise On Track.
"""

import frappe
from frappe.utils import get_datetime

from support_plus.tickets.lifecycle import CANCELLED

ON_TRACK, AT_RISK, BREACHED = "On Track", "At Risk", "Breached"
RESPONSE, RESOLUTION = "Response", "Resolution"

# The stored columns the rule reads.
FIELDS = (
	"status",
	"on_hold_since",
	"sla_clock_origin",
	"first_responded_on",
	"response_by",
	"sla_response_seconds",
	"resolution_date",
	"resolution_by",
	"sla_resolution_seconds",
	"sla_health",
)
# Per clock: (when it stopped, its deadline, its duration).
CLOCKS = {
	RESPONSE: ("first_responded_on", "response_by", "sla_response_seconds"),
	RESOLUTION: ("resolution_date", "resolution_by", "sla_resolution_seconds"),
}


def warning_fraction() -> float:
	"""Support Plus Settings: at which share of a clock's time a ticket is At Risk (80% by default)."""
	percent = frappe.db.get_single_value("Support Plus Settings", "sla_warning_percent", cache=True) or 80
	return float(percent) / 100


# Python: one ticket (a document or a dict of FIELDS).


def running(t) -> bool:
	"""Its clock runs: a computed clock, no stop (pause, fulfilment) in progress, not cancelled."""
	return (
		t.get("status") != CANCELLED and not t.get("on_hold_since") and (t.get("sla_clock_origin") or 0) > 0
	)


def missed(t, clock: str, now) -> bool:
	stopped, deadline, _seconds = (t.get(field) for field in CLOCKS[clock])
	if not deadline:
		return False
	if stopped:
		return get_datetime(stopped) > get_datetime(deadline)
	return running(t) and get_datetime(now) > get_datetime(deadline)


def met(t, clock: str) -> bool:
	stopped, deadline, _seconds = (t.get(field) for field in CLOCKS[clock])
	return bool(stopped and deadline and get_datetime(stopped) <= get_datetime(deadline))


def breached(t, now) -> bool:
	return t.get("status") != CANCELLED and (missed(t, RESPONSE, now) or missed(t, RESOLUTION, now))


def crossed(t, clock: str, b_now: float, fraction: float) -> bool:
	"""The clock runs and has used `fraction` of its time."""
	stopped, _deadline, seconds = (t.get(field) for field in CLOCKS[clock])
	return (
		running(t)
		and not stopped
		and (seconds or 0) > 0
		and t.get("sla_clock_origin") + seconds * fraction <= b_now
	)


def at_risk(t, b_now: float, fraction: float) -> bool:
	return crossed(t, RESPONSE, b_now, fraction) or crossed(t, RESOLUTION, b_now, fraction)


def health(t, now, b_now: float, warn: float, held: str | None = None) -> str | None:
	"""The ticket's health at `now`; `held`: what it was, kept while it is paused."""
	if t.get("status") == CANCELLED:
		return None
	if breached(t, now):
		return BREACHED
	if t.get("resolution_date"):
		return ON_TRACK
	if t.get("on_hold_since"):
		return held or ON_TRACK
	return AT_RISK if at_risk(t, b_now, warn) else ON_TRACK


# SQL: the same conditions on the Issue table (`issue` = frappe.qb.DocType("Issue")).


def running_sql(issue):
	"""(Numeric columns are NOT NULL in Frappe: no clock is origin 0, no resolution clock 0 seconds.)"""
	return (issue.status != CANCELLED) & issue.on_hold_since.isnull() & (issue.sla_clock_origin > 0)


def missed_sql(issue, clock: str, now):
	stopped, deadline, _seconds = (issue[field] for field in CLOCKS[clock])
	return deadline.isnotnull() & (
		(stopped.isnotnull() & (stopped > deadline))
		| (stopped.isnull() & running_sql(issue) & (deadline < now))
	)


def met_sql(issue, clock: str):
	stopped, deadline, _seconds = (issue[field] for field in CLOCKS[clock])
	return stopped.isnotnull() & deadline.isnotnull() & (stopped <= deadline)


def breached_sql(issue, now):
	return (issue.status != CANCELLED) & (
		missed_sql(issue, RESPONSE, now) | missed_sql(issue, RESOLUTION, now)
	)


def crossed_sql(issue, clock: str, b_now: float, fraction: float):
	stopped, _deadline, seconds = (issue[field] for field in CLOCKS[clock])
	return (
		running_sql(issue)
		& stopped.isnull()
		& (seconds > 0)
		& (issue.sla_clock_origin + seconds * fraction <= b_now)
	)


def at_risk_sql(issue, b_now: float, fraction: float):
	return crossed_sql(issue, RESPONSE, b_now, fraction) | crossed_sql(issue, RESOLUTION, b_now, fraction)
