"""The one clock every time-dependent rule of support_plus reads.

Tests and scripts pin time with `frappe.flags.current_time` (as ERPNext's SLA code does) or pass `now`.
"""

from contextlib import contextmanager
from datetime import date, datetime
from zoneinfo import ZoneInfo

import frappe
from frappe import _
from frappe.utils import escape_html, get_datetime, get_system_timezone, getdate, now_datetime


def now(value: datetime | date | str | None = None) -> datetime:
	"""`value` when given, else `frappe.flags.current_time` when set, else the site's current time.
	(Site times are naive, in the system timezone: an aware datetime is converted to one.)"""
	if value:
		return parse(value)
	if frappe.flags.current_time:
		return get_datetime(frappe.flags.current_time)
	return now_datetime()


def parse(value: datetime | date | str) -> datetime:
	"""A date, datetime or string as a site datetime; anything else is a clear ValidationError."""
	try:
		parsed = get_datetime(value)
	except (ValueError, TypeError, OverflowError):
		parsed = None
	if not isinstance(parsed, datetime):
		frappe.throw(
			_("{0} is not a date and time.").format(frappe.bold(escape_html(str(value)))),
			frappe.ValidationError,
		)
	if parsed.tzinfo:
		parsed = parsed.astimezone(ZoneInfo(get_system_timezone())).replace(tzinfo=None)
	return parsed


def today(value: datetime | date | str | None = None) -> date:
	return getdate(now(value))


@contextmanager
def pinned(value: datetime | date | str | None):
	"""Run a block at time `value` (None: as it is): every rule inside it (saves, ToDos, the SLA engine)
	reads `value` from this clock. A job that runs "at" a time passes it on this way."""
	saved = frappe.flags.current_time
	frappe.flags.current_time = now(value)
	try:
		yield
	finally:
		frappe.flags.current_time = saved
