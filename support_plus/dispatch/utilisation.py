"""Technician utilisation: booked appointment hours ÷ working hours over a period.

Working hours come from the technician's own working calendar (support_plus.dispatch.technicians
.calendar: their working hours, timezone and Holiday List, the same calendar appointments are checked
against); booked hours are their appointments that keep the slot (Scheduled, En Route, On Site,
Completed), the part inside the period, summed in one query. A technician without working hours works
any hour: no utilisation (None) rather than a ratio to the whole day.
"""

from datetime import datetime

import frappe
from frappe.desk.reportview import build_match_conditions
from frappe.utils import get_system_timezone

from support_plus.dispatch import technicians
from support_plus.dispatch.appointments import BOOKED
from support_plus.sla.business_time import to_timestamp


def utilisation(users: list[str], start: datetime, end: datetime) -> dict[str, float | None]:
	"""Per user with a Service Technician profile: 100 x booked ÷ working hours in [start, end), or None
	without working hours. Appointments the viewer may not read are not counted (their match conditions);
	a viewer who may not read appointments gets nothing."""
	if not users or not frappe.has_permission("Service Appointment", "read"):
		return {}
	profiles = frappe.get_all(
		"Service Technician",
		filters={"user": ("in", users)},
		fields=["name", "user", "modified", "holiday_list"],
		ignore_permissions=True,  # the names behind the scorecard's rows, no technician's details
	)
	if not profiles:
		return {}
	match = build_match_conditions("Service Appointment")
	booked = dict(
		frappe.db.sql(
			f"""select technician, sum(timestampdiff(second, greatest(scheduled_start, %(start)s),
				least(scheduled_end, %(end)s)))
			from `tabService Appointment`
			where technician in %(technicians)s and status in %(booked)s
				and scheduled_start < %(end)s and scheduled_end > %(start)s {"and " + match if match else ""}
			group by technician""",
			{
				"technicians": [p.name for p in profiles],
				"booked": BOOKED,
				"start": start,
				"end": end,
			},
		)
	)
	tz = get_system_timezone()
	out = {}
	for profile in profiles:
		cal = technicians.calendar(profile.name, technicians.calendar_version(profile))
		working = cal.between(to_timestamp(start, tz), to_timestamp(end, tz)) if cal else 0
		out[profile.user] = (
			round(100.0 * float(booked.get(profile.name) or 0) / working, 1) if working else None
		)
	return out
