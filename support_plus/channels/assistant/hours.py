"""Support hours, read from the default SLA's calendar (the same working hours the SLA clocks run on)."""

from datetime import datetime
from zoneinfo import ZoneInfo

import frappe
from frappe import _
from frappe.utils import get_system_timezone

from support_plus.sla import config
from support_plus.sla.business_time import to_timestamp
from support_plus.utils import clock

DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def default_calendar():
	name = frappe.db.get_value(
		"Service Level Agreement",
		{"default_service_level_agreement": 1, "enabled": 1, "document_type": "Issue"},
		"name",
	)
	return config.get_config(name).calendar if name else None


def describe(calendar=None) -> str | None:
	"""E.g. "Monday-Friday 09:00-18:00 (Europe/Berlin)" (with en dashes); None without a default SLA."""
	calendar = calendar or default_calendar()
	if not calendar:
		return None
	groups: list[list] = []  # [first day, last day, windows text]
	for day in range(7):
		text = ", ".join(f"{a:%H:%M}–{b:%H:%M}" for a, b in calendar.windows.get(day, ()))
		if not text:
			continue
		if groups and groups[-1][2] == text and groups[-1][1] == day - 1:
			groups[-1][1] = day
		else:
			groups.append([day, day, text])
	if not groups:
		return None
	parts = [(_(DAYS[a]) if a == b else f"{_(DAYS[a])}–{_(DAYS[b])}") + f" {text}" for a, b, text in groups]
	return "{0} ({1})".format("; ".join(parts), calendar.timezone)


def open_now(calendar=None, now: datetime | None = None) -> bool | None:
	"""Whether `now` (a site time; default: the site's clock, support_plus.utils.clock) falls in the
	calendar's working hours; None without a default SLA."""
	calendar = calendar or default_calendar()
	if not calendar:
		return None
	moment = to_timestamp(clock.now(now), get_system_timezone())
	local_day = datetime.fromtimestamp(moment, ZoneInfo(calendar.timezone)).date()
	return any(a <= moment < b for a, b in calendar.day_windows(local_day))
