"""Service Level Agreements as support_plus reads them: ERPNext's doctype plus a timezone, cached.

The raw settings of an SLA (working hours, holidays, priorities, pause and fulfilment statuses) are kept in
Redis and their `Calendar` in this process; saving an SLA or a Holiday List drops both.
"""

from dataclasses import dataclass
from datetime import time

import frappe
from frappe.utils import get_system_timezone, get_time

from support_plus.sla.business_time import Calendar

CACHE_KEY = "support_plus:sla_config"
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_calendars: dict[str, tuple[str, Calendar]] = {}  # name -> (version, calendar), this process only


@dataclass(frozen=True)
class SlaConfig:
	name: str
	version: str
	calendar: Calendar
	priorities: dict  # priority -> (response seconds, resolution seconds)
	default_priority: str | None
	pause_statuses: frozenset
	fulfilled_statuses: frozenset
	apply_sla_for_resolution: bool


def tracking_enabled() -> bool:
	return bool(frappe.db.get_single_value("Support Settings", "track_service_level_agreement", cache=True))


def get_config(name: str) -> SlaConfig:
	raw = frappe.cache.hget(CACHE_KEY, name, generator=lambda: _load(name))
	version = raw["version"]
	cached = _calendars.get(name)
	if not cached or cached[0] != version:
		windows = {}
		for weekday, start, end in raw["windows"]:
			windows.setdefault(weekday, []).append((time.fromisoformat(start), time.fromisoformat(end)))
		holidays = frozenset(frappe.utils.getdate(d) for d in raw["holidays"])
		cached = (version, Calendar(raw["timezone"], windows, holidays))
		_calendars[name] = cached
	return SlaConfig(
		name=name,
		version=version,
		calendar=cached[1],
		priorities={p: tuple(v) for p, v in raw["priorities"].items()},
		default_priority=raw["default_priority"],
		pause_statuses=frozenset(raw["pause"]),
		fulfilled_statuses=frozenset(raw["fulfilled"]),
		apply_sla_for_resolution=bool(raw["apply_sla_for_resolution"]),
	)


def _load(name: str) -> dict:
	sla = frappe.get_doc("Service Level Agreement", name)
	holidays = frappe.get_all("Holiday", filters={"parent": sla.holiday_list}, pluck="holiday_date")
	holiday_modified = frappe.db.get_value("Holiday List", sla.holiday_list, "modified")
	return {
		"version": f"{sla.modified}|{holiday_modified}",
		"timezone": sla.get("timezone") or get_system_timezone(),
		"windows": [
			(WEEKDAYS.index(row.workday), str(get_time(row.start_time)), str(get_time(row.end_time)))
			for row in sla.support_and_resolution
		],
		"holidays": [str(d) for d in holidays],
		"priorities": {
			row.priority: (int(row.response_time or 0), int(row.resolution_time or 0))
			for row in sla.priorities
		},
		"default_priority": sla.default_priority,
		"pause": [row.status for row in sla.pause_sla_on],
		"fulfilled": [row.status for row in sla.sla_fulfilled_on] or ["Resolved", "Closed"],
		"apply_sla_for_resolution": sla.apply_sla_for_resolution,
	}


def clear_config_cache(doc=None, method=None) -> None:
	"""Service Level Agreement and Holiday List `on_update`/`on_trash`."""
	frappe.cache.delete_value(CACHE_KEY)
	_calendars.clear()
