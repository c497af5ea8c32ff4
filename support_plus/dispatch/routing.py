"""The routing engine: which technicians may take a ticket now, best first, and why. One function, `rank`.

Eligible, in this order:
1. a technician of the ticket's Support Team (every technician when it has none),
2. whose status is Active,
3. who has the required skill at or above the required level (when the ticket names a skill),
4. who has fewer open tickets than their capacity,
5. who is working now; when none of them is, the ones on call now (On-call Shift of the ticket's team, or
   of no team).

Ranked by: the customer's preferred technician first; then speaking the customer's language; then the
skill level; then the lowest load ratio (open tickets ÷ capacity); ties go to the longest since last assigned.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property, partial

import frappe
from frappe import _
from frappe.utils import get_system_timezone, pretty_date

from support_plus.dispatch import technicians
from support_plus.sla.business_time import from_timestamp, to_timestamp
from support_plus.utils import clock


@dataclass
class Candidate:
	technician: str
	user: str
	full_name: str
	open_tickets: int
	capacity: int
	score: float
	sort_key: tuple = field(repr=False)
	# The reasons in words, made when first asked for: a ranking reads those of the few it returns, and
	# translating six sentences for every eligible technician was a tenth of the decision's time.
	explain: Callable[[], list[str]] = field(repr=False, compare=False, default=list)

	@cached_property
	def reasons(self) -> list[str]:
		return self.explain()

	def as_dict(self) -> dict:
		return {
			"technician": self.technician,
			"user": self.user,
			"full_name": self.full_name,
			"score": self.score,
			"open_tickets": self.open_tickets,
			"capacity": self.capacity,
			"reasons": self.reasons,
		}


@dataclass
class Ranking:
	candidates: list[Candidate]  # best first
	excluded: dict[str, int]  # why the others are out: step -> how many
	on_call: bool = False  # nobody eligible was working: these are the on-call technicians

	def explanation(self) -> str:
		"""Why nobody (or only the on-call technician) was chosen, for the ticket's timeline."""
		messages = {
			"team": _("no technician in the ticket's team"),
			"inactive": _("{0} not Active"),
			"skill": _("{0} without the required skill level"),
			"capacity": _("{0} at capacity"),
			"off_duty": _("{0} outside working hours with no one on call"),
		}
		parts = [
			messages[step].format(count)
			for step, count in self.excluded.items()
			if count and step in messages
		]
		if not parts:
			parts = [_("no technician profiles")]
		return _("No technician could be assigned: {0}.").format(", ".join(parts))


def _format_until(ts: float, now_ts: float, tz: str) -> str:
	if ts == float("inf"):
		return ""
	at = from_timestamp(ts, tz)
	return at.strftime("%H:%M") if ts - now_ts < 24 * 3600 else at.strftime("%Y-%m-%d %H:%M")


def _pool(team: str | None, users, exclude, skill: str | None) -> list:
	"""The technicians of `team` (or these `users`, or all), less `exclude`, with their levels in `skill`
	(newline-separated) and their Holiday List's `modified` (the calendar cache's version): one query."""
	conditions, values = [], {"skill": skill or ""}
	if team:
		conditions.append(
			"""t.name in (select m.technician from `tabSupport Team Member` m
			where m.parenttype = 'Support Team' and m.parent = %(team)s)"""
		)
		values["team"] = team
	if users is not None:
		conditions.append("t.user in %(users)s")
		values["users"] = tuple(users)
	if exclude:
		conditions.append("t.user not in %(exclude)s")
		values["exclude"] = tuple(exclude)
	return frappe.db.sql(
		f"""select t.name, t.user, t.full_name, t.status, t.capacity, t.open_tickets, t.last_assigned_on,
			t.holiday_list, t.modified, h.modified as holiday_modified,
			(select group_concat(s.level separator '\\n') from `tabService Technician Skill` s
				where s.parent = t.name and s.parenttype = 'Service Technician' and s.skill = %(skill)s)
				as skill_levels
		from `tabService Technician` t
		left join `tabHoliday List` h on h.name = t.holiday_list
		{"where " + " and ".join(conditions) if conditions else ""}""",
		values,
		as_dict=True,
	)


def rank(
	issue: str | dict,
	now: datetime | str | None = None,
	lock: bool = False,
	users: list[str] | None = None,
	exclude: list[str] | tuple = (),
) -> Ranking:
	"""The technicians who may take `issue` now, best first. With `lock`, the capacity check reads (and
	locks until commit, in name order) the eligible technicians' rows: two processes assigning at once
	then never both take a technician's last free place. `users` (a Skill Based Assignment Rule's users)
	replaces the ticket's team as the pool; `exclude` leaves out these users (who declined the ticket).
	`issue` may also be the job itself, a dict of those four fields (a scheduled maintenance visit)."""
	ticket = (
		frappe._dict(issue)
		if isinstance(issue, dict)
		else frappe.db.get_value(
			"Issue",
			issue,
			("support_team", "required_skill", "required_skill_level", "customer"),
			as_dict=True,
		)
	)
	excluded: dict[str, int] = {}
	site_tz = get_system_timezone()
	now_dt = clock.now(now)
	now_ts = to_timestamp(now_dt, site_tz)

	# 1. team (or the given users); 3. their levels in the required skill, read with them
	if users is not None and not users:
		return Ranking([], {"team": 1})
	rows = _pool(
		team=ticket.support_team if users is None else None,
		users=users,
		exclude=exclude,
		skill=ticket.required_skill,
	)
	if not rows:
		return Ranking([], {"team": 1})

	# 2. Active
	active = [r for r in rows if r.status == technicians.ACTIVE]
	excluded["inactive"] = len(rows) - len(active)

	# 3. skill at or above the level
	required = technicians.level_rank(ticket.required_skill_level)
	levels: dict[str, int] = {
		r.name: max(
			(technicians.level_rank(level) for level in (r.skill_levels or "").split("\n")), default=0
		)
		for r in active
	}
	if ticket.required_skill:
		skilled = [r for r in active if levels[r.name] >= max(required, 1)]
	else:
		skilled = active
	excluded["skill"] = len(active) - len(skilled)

	# 4. below capacity (read again, locked, when assigning)
	if lock and skilled:
		fresh = {
			name: (status, capacity or 0, open_tickets or 0)
			for name, status, capacity, open_tickets in frappe.db.sql(
				"""select name, status, capacity, open_tickets from `tabService Technician`
				where name in %(names)s order by name for update""",
				{"names": tuple(r.name for r in skilled)},
			)
		}
		for r in skilled:
			r.status, r.capacity, r.open_tickets = fresh[r.name]
		skilled = [r for r in skilled if r.status == technicians.ACTIVE]
	free = [r for r in skilled if (r.open_tickets or 0) < (r.capacity or 0)]
	excluded["capacity"] = len(skilled) - len(free)

	# 5. working now, else on call now
	until: dict[str, float] = {}
	for r in free:
		cal = technicians.calendar(r.name, technicians.calendar_version(r, r.holiday_modified))
		end = technicians.working_until(cal, now_ts)
		if end is not None:
			until[r.name] = end
	on_call = False
	available = [r for r in free if r.name in until]
	if free and not available:
		on_call = True
		shifts = frappe.get_all(
			"On-call Shift",
			filters={
				"technician": ("in", [r.name for r in free]),
				"from_time": ("<=", now_dt),
				"to_time": (">", now_dt),
			},
			fields=["technician", "support_team", "to_time"],
		)
		for shift in shifts:
			if not shift.support_team or shift.support_team == ticket.support_team:
				until[shift.technician] = max(
					until.get(shift.technician, 0), to_timestamp(shift.to_time, site_tz)
				)
		available = [r for r in free if r.name in until]
		excluded["off_duty"] = len(free) - len(available)
	if not available:
		return Ranking([], excluded, on_call)

	# Ranking
	customer = (
		frappe.db.get_value("Customer", ticket.customer, ("preferred_technician", "language"), as_dict=True)
		if ticket.customer
		else None
	) or frappe._dict()
	speakers = set()
	if customer.language:
		speakers = set(
			frappe.get_all(
				"Service Technician Language",
				filters={
					"parenttype": "Service Technician",
					"language": customer.language,
					"parent": ("in", [r.name for r in available]),
				},
				pluck="parent",
			)
		)
		language_name = (
			frappe.db.get_value("Language", customer.language, "language_name") or customer.language
		)
	else:
		language_name = None

	candidates = []
	for r in available:
		preferred = r.name == customer.preferred_technician
		speaks = r.name in speakers
		level = levels.get(r.name, 0)
		ratio = (r.open_tickets or 0) / r.capacity
		last = to_timestamp(r.last_assigned_on, site_tz) if r.last_assigned_on else 0.0
		score = 1000 * preferred + 100 * speaks + 10 * level + round(9 * (1 - ratio), 2)
		sort_key = (-int(preferred), -int(speaks), -level, ratio, last, r.name)
		why = frappe._dict(
			preferred=preferred,
			customer=ticket.customer,
			language=language_name if speaks else None,
			skill=ticket.required_skill,
			level=level,
			open_tickets=r.open_tickets or 0,
			capacity=r.capacity,
			until=until[r.name],
			now_ts=now_ts,
			tz=site_tz,
			on_call=on_call,
			last_assigned_on=r.last_assigned_on,
		)
		candidates.append(
			Candidate(
				r.name,
				r.user,
				r.full_name or r.user,
				r.open_tickets or 0,
				r.capacity,
				score,
				sort_key,
				partial(_reasons, why),
			)
		)
	candidates.sort(key=lambda c: c.sort_key)
	return Ranking(candidates, excluded, on_call)


def _reasons(why: frappe._dict) -> list[str]:
	"""A candidate's place in the ranking in words, in the ranking's order."""
	reasons = []
	if why.preferred:
		reasons.append(_("preferred technician of {0}").format(why.customer))
	if why.language:
		reasons.append(_("speaks {0}").format(why.language))
	if why.skill:
		reasons.append(_("{0} in {1}").format(_(technicians.LEVELS[why.level - 1]), why.skill))
	reasons.append(_("{0} of {1} open").format(why.open_tickets, why.capacity))
	until = _format_until(why.until, why.now_ts, why.tz)
	if why.on_call:
		reasons.append(_("on call until {0}").format(until))
	elif until:
		reasons.append(_("working until {0}").format(until))
	else:
		reasons.append(_("available at any hour"))
	reasons.append(
		_("last assigned {0}").format(pretty_date(why.last_assigned_on))
		if why.last_assigned_on
		else _("never assigned")
	)
	return reasons
