"""Service Technician profiles: their rules, their Sales Person, who may read them, and their working time.

Working hours are a `Calendar` of support_plus.sla.business_time (the SLA clock's calendar), built from the
profile's weekday rows, Holiday List and timezone; a profile without rows is available at any hour.
"""

from datetime import datetime, time
from zoneinfo import ZoneInfo, available_timezones

import frappe
from frappe import _
from frappe.utils import get_system_timezone, get_time, getdate

from support_plus.sla.business_time import Calendar, NoBusinessTime
from support_plus.utils.roles import SERVICE_TECHNICIAN

ACTIVE, AWAY, INACTIVE = "Active", "Away", "Inactive"
LEVELS = ("Beginner", "Intermediate", "Expert")  # in order: a higher index covers a lower one
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
# Roles that see every profile; a user holding only Service Technician sees their own.
STAFF_ROLES = frozenset(("Support Agent", "Support Manager", "Support Viewer", "System Manager"))

_calendars: dict[str, tuple[str, Calendar | None]] = {}  # technician -> (version, calendar), this process


def level_rank(level: str | None) -> int:
	"""0 for no level (any), 1 Beginner ... 3 Expert."""
	return LEVELS.index(level) + 1 if level in LEVELS else 0


def validate_level(level: str | None, where: str) -> None:
	if level and level not in LEVELS:
		frappe.throw(
			_("{0}: skill level {1} does not exist; use Beginner, Intermediate or Expert.").format(
				where, frappe.bold(level)
			),
			frappe.ValidationError,
		)


def validate(doc) -> None:
	"""Service Technician `validate`: every rule of a profile, before anything is saved."""
	if (doc.capacity or 0) < 0:
		frappe.throw(
			_("Capacity cannot be below zero: it is the most open tickets the technician takes at once."),
			frappe.ValidationError,
		)
	same_user = {"user": doc.user} if doc.is_new() else {"user": doc.user, "name": ("!=", doc.name)}
	if frappe.db.exists("Service Technician", same_user):
		frappe.throw(_("{0} already has a technician profile.").format(frappe.bold(doc.user)))
	if doc.timezone and doc.timezone not in available_timezones():
		frappe.throw(
			_("{0} is not a timezone; use a name such as Europe/Berlin.").format(frappe.bold(doc.timezone))
		)
	seen = set()
	for row in doc.skills:
		validate_level(row.level, _("Skill {0}").format(frappe.bold(row.skill)))
		if row.skill in seen:
			frappe.throw(_("Skill {0} is listed twice.").format(frappe.bold(row.skill)))
		seen.add(row.skill)
	for row in doc.working_hours:
		if row.weekday not in WEEKDAYS:
			frappe.throw(_("{0} is not a weekday.").format(frappe.bold(row.weekday)))
		if get_time(row.end_time) <= get_time(row.start_time):
			frappe.throw(
				_("Working hours on {0}: the end ({1}) must be after the start ({2}).").format(
					_(row.weekday), row.end_time, row.start_time
				)
			)
	for row in doc.certifications:
		if row.issued_on and row.expires_on and getdate(row.expires_on) < getdate(row.issued_on):
			frappe.throw(
				_("Certification {0} expires before it was issued.").format(frappe.bold(row.certification))
			)
	if not doc.is_new():
		# The load counter belongs to the assignment hooks (support_plus.dispatch.load), never to the form.
		doc.open_tickets, doc.last_assigned_on = frappe.db.get_value(
			"Service Technician", doc.name, ("open_tickets", "last_assigned_on"), for_update=True
		)
	if not doc.sales_person:
		doc.sales_person = ensure_sales_person(doc)


def ensure_sales_person(doc) -> str:
	"""The Sales Person Maintenance Schedules and Visits name this technician by, made when missing."""
	if doc.employee:
		existing = frappe.db.get_value("Sales Person", {"employee": doc.employee})
		if existing:
			return existing
	name = doc.full_name or frappe.utils.get_fullname(doc.user) or doc.user
	taken = frappe.db.exists("Service Technician", {"sales_person": name, "name": ("!=", doc.name or "")})
	if frappe.db.exists("Sales Person", name) and not taken:
		return name
	if taken:
		name = f"{name} ({doc.user})"
		if frappe.db.exists("Sales Person", name):
			return name
	root = frappe.db.get_value("Sales Person", {"is_group": 1}, "name", order_by="lft asc")
	return (
		frappe.get_doc(
			{
				"doctype": "Sales Person",
				"sales_person_name": name,
				"parent_sales_person": root,
				"employee": doc.employee,
			}
		)
		.insert(ignore_permissions=True)  # part of saving the profile, which was checked
		.name
	)


def sees_only_own_profile(user: str) -> bool:
	roles = set(frappe.get_roles(user))
	return SERVICE_TECHNICIAN in roles and not roles & STAFF_ROLES


def has_permission(doc, ptype=None, user=None) -> bool | None:
	"""Service Technician `has_permission`: a technician reads their own profile only."""
	user = user or frappe.session.user
	if sees_only_own_profile(user):
		return doc.user == user
	return None


def query_conditions(user: str | None = None) -> str:
	user = user or frappe.session.user
	if sees_only_own_profile(user):
		return f"`tabService Technician`.`user` = {frappe.db.escape(user)}"
	return ""


def team_members(team: str) -> list[str]:
	"""The Service Technicians of a Support Team (its Members table)."""
	return frappe.get_all(
		"Support Team Member",
		filters={"parenttype": "Support Team", "parent": team},
		pluck="technician",
	)


def assignee_row(todo) -> frappe._dict | None:
	"""The ToDo assignee's technician profile (status, open_tickets, capacity), locked until commit; None
	without one (read on every new assignment). Read once per ToDo and assignee (kept in its flags), or
	given by routing, which read it locked (`flags.technician`)."""
	known = todo.flags.technician
	if known is not None and known.user == todo.allocated_to:
		return known if known.status else None
	row = frappe.db.sql(
		"""select user, status, open_tickets, capacity from `tabService Technician` where user = %s
		limit 1 for update""",
		todo.allocated_to,
		as_dict=True,
	)
	todo.flags.technician = row[0] if row else frappe._dict(user=todo.allocated_to, status=None)
	return row[0] if row else None


def profile_of(user: str) -> dict | None:
	return frappe.db.get_value(
		"Service Technician", {"user": user}, ("name", "status", "capacity", "open_tickets"), as_dict=True
	)


# -- working time ---------------------------------------------------------------------------------


def calendar(technician: str, version: str) -> Calendar | None:
	"""The technician's working calendar, or None when they have no working hours (any hour)."""
	cached = _calendars.get(technician)
	if cached and cached[0] == version:
		return cached[1]
	doc = frappe.get_cached_doc("Service Technician", technician)
	windows: dict[int, list[tuple[time, time]]] = {}
	for row in doc.working_hours:
		windows.setdefault(WEEKDAYS.index(row.weekday), []).append(
			(get_time(row.start_time), get_time(row.end_time))
		)
	cal = None
	if windows:
		holidays = frozenset()
		if doc.holiday_list:
			holidays = frozenset(
				getdate(d)
				for d in frappe.get_all("Holiday", filters={"parent": doc.holiday_list}, pluck="holiday_date")
			)
		cal = Calendar(doc.timezone or get_system_timezone(), windows, holidays)
	_calendars[technician] = (version, cal)
	return cal


def calendar_version(row, holiday_modified=None) -> str:
	"""What the cached calendar depends on: the profile and its Holiday List (its `modified`, read here
	unless the caller read it with the profile)."""
	if not row.holiday_list:
		holiday_modified = ""
	elif holiday_modified is None:
		holiday_modified = frappe.db.get_value("Holiday List", row.holiday_list, "modified")
	return f"{row.modified}|{holiday_modified}"


def working_until(cal: Calendar | None, ts: float) -> float | None:
	"""The end of the working window the instant ts is in (inf for any hour), or None outside working time."""
	if cal is None:
		return float("inf")
	day = datetime.fromtimestamp(ts, ZoneInfo(cal.timezone)).date()
	for start, end in cal.day_windows(day):
		if start <= ts < end:
			return end
	return None


def next_working_time(cal: Calendar | None, ts: float) -> float | None:
	"""The first instant at or after ts at which the technician works (None: never again)."""
	if cal is None or working_until(cal, ts) is not None:
		return ts
	try:
		# B is flat outside working time: the first instant B passes B(ts) starts the next window.
		return cal.instant_at(cal.business_seconds(ts) + 1) - 1
	except NoBusinessTime:
		return None
