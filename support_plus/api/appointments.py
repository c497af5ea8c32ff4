"""Service Appointments of the public API. Every function checks the caller's permissions."""

from datetime import date, datetime

import frappe
from frappe import _

from support_plus.api.arguments import json_filters
from support_plus.dispatch import appointments


@frappe.whitelist(methods=["GET", "POST"])  # reads only
def free_slots(
	technician: str | None = None,
	skill: str | None = None,
	from_date: str | date | datetime | None = None,
	days: int = 7,
	duration_minutes: int = 60,
) -> list[dict]:
	"""Bookable slots, earliest first: [{"technician", "technician_name", "user", "start", "end"}] inside
	working hours and outside booked appointments, for one technician or every Active one (with `skill`).
	A date `from_date` starts at that day's start (never before now); a datetime at that instant."""
	frappe.has_permission("Service Appointment", "read", throw=True)
	if technician:
		if not frappe.db.exists("Service Technician", technician):
			frappe.throw(
				_("Technician {0} does not exist.").format(frappe.bold(technician)), frappe.DoesNotExistError
			)
		frappe.has_permission("Service Technician", "read", technician, throw=True)
	else:
		frappe.has_permission("Service Technician", "read", throw=True)
	if skill and not frappe.db.exists("Service Skill", skill):
		frappe.throw(_("Skill {0} does not exist.").format(frappe.bold(skill)), frappe.DoesNotExistError)
	return appointments.free_slots(technician, skill, from_date, days, duration_minutes)


@frappe.whitelist(methods=["GET", "POST"])  # reads only
def get_calendar_events(
	doctype: str | None = None, start: str | None = None, end: str | None = None, filters=None, **kwargs
) -> list[dict]:
	"""The desk calendar view's events (service_appointment_calendar.js): what the caller may read."""
	frappe.has_permission("Service Appointment", "read", throw=True)
	return appointments.calendar_events(start, end, json_filters(filters))
