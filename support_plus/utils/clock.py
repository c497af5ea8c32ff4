"""The one clock every time-dependent rule of support_plus reads.

Tests and scripts pin time with `frappe.flags.current_time` (as ERPNext's SLA code does) or pass `now`.
"""

from datetime import date, datetime

import frappe
from frappe.utils import get_datetime, getdate, now_datetime


def now(value: datetime | str | None = None) -> datetime:
	"""`value` when given, else `frappe.flags.current_time` when set, else the site's current time."""
	if value:
		return get_datetime(value)
	if frappe.flags.current_time:
		return get_datetime(frappe.flags.current_time)
	return now_datetime()


def today(value: datetime | str | None = None) -> date:
	return getdate(now(value))
