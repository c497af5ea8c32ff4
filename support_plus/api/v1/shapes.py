"""The JSON shapes of API v1: what a ticket, an SLA policy and an SLA status look like to an integrator.

The shapes name things as the seed's API reference does (`id`, `type`, `created_at`, `assignees`), not as
the Issue's columns are called, so a renamed or added field of ERPNext or of support_plus does not
change them. Times are ISO 8601 with the site's UTC offset. The OpenAPI document (spec.py) describes
exactly these dictionaries; tests/test_api_v1.py validates every response against it.
"""

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import frappe
from frappe.utils import get_datetime, get_system_timezone

from support_plus.sla import health

# The Issue columns a ticket is built from (one list: the list endpoint selects them, `get` loads them).
TICKET_FIELDS = (
	"name",
	"subject",
	"description",
	"status",
	"priority",
	"issue_type",
	"channel",
	"customer",
	"contact",
	"raised_by",
	"support_team",
	"serial_no",
	"_assign",
	"creation",
	"modified",
	"first_responded_on",
	"resolution_date",
	"resolution_details",
	"service_level_agreement",
	"sla_health",
	"response_by",
	"resolution_by",
)


def timestamp(value) -> str | None:
	"""A site datetime (naive, in the system time zone) as ISO 8601 with its offset."""
	if not value:
		return None
	moment = get_datetime(value)
	if moment.tzinfo is None:
		moment = moment.replace(tzinfo=ZoneInfo(get_system_timezone()))
	return moment.isoformat(timespec="seconds")


def site_time(value: str | datetime) -> datetime:
	"""An ISO 8601 time from a caller (with or without offset) as a naive site datetime."""
	moment = get_datetime(value)
	if moment.tzinfo is not None:
		moment = moment.astimezone(ZoneInfo(get_system_timezone())).replace(tzinfo=None)
	return moment


def ticket(row) -> dict:
	return {
		"id": row.name,
		"subject": row.subject,
		"description": row.description or "",
		"status": row.status,
		"priority": row.priority,
		"type": row.issue_type,
		"channel": row.channel,
		"customer": row.customer,
		"contact": row.contact,
		"raised_by": row.raised_by,
		"team": row.support_team,
		"serial_no": row.serial_no,
		"assignees": json.loads(row._assign or "[]"),
		"resolution": row.resolution_details or "",
		"created_at": timestamp(row.creation),
		"updated_at": timestamp(row.modified),
		"first_responded_at": timestamp(row.first_responded_on),
		"resolved_at": timestamp(row.resolution_date),
		"sla": {
			"policy": row.service_level_agreement,
			"health": row.sla_health or None,
			"response_due_at": timestamp(row.response_by),
			"resolution_due_at": timestamp(row.resolution_by),
		},
	}


def sla_policy(doc) -> dict:
	return {
		"id": doc.name,
		"name": doc.service_level,
		"enabled": bool(doc.enabled),
		"is_default": bool(doc.default_service_level_agreement),
		"default_priority": doc.default_priority,
		"holiday_list": doc.holiday_list,
		"timezone": doc.get("timezone") or None,
		"applies_to": {"type": doc.entity_type, "name": doc.entity} if doc.entity else None,
		"valid_from": str(doc.start_date) if doc.start_date else None,
		"valid_to": str(doc.end_date) if doc.end_date else None,
		"priorities": [
			{
				"priority": row.priority,
				"response_minutes": int(row.response_time or 0) // 60,
				"resolution_minutes": int(row.resolution_time or 0) // 60,
				"is_default": bool(row.default_priority),
			}
			for row in doc.priorities
		],
		"working_hours": [
			{"weekday": row.workday, "start": _clock(row.start_time), "end": _clock(row.end_time)}
			for row in doc.support_and_resolution
		],
		"pause_on": [row.status for row in doc.pause_sla_on],
		"fulfilled_on": [row.status for row in doc.sla_fulfilled_on],
	}


def sla_status(row, now) -> dict:
	"""Where a ticket stands against its SLA at `now` (health.py's rule, not a second one)."""

	def clock_state(clock: str) -> dict:
		stopped, deadline, _seconds = (row.get(field) for field in health.CLOCKS[clock])
		return {
			"due_at": timestamp(deadline),
			"done_at": timestamp(stopped),
			"met": health.met(row, clock),
			"breached": health.missed(row, clock, now),
		}

	return {
		"ticket": row.name,
		"policy": row.service_level_agreement,
		"status": row.status,
		"health": row.sla_health or None,
		"paused": bool(row.on_hold_since),
		"paused_since": timestamp(row.on_hold_since),
		"response": clock_state(health.RESPONSE),
		"resolution": clock_state(health.RESOLUTION),
	}


def _clock(value) -> str:
	"""A Time column ("9:00:00" or a timedelta) as "09:00"."""
	seconds = int(value.total_seconds()) if hasattr(value, "total_seconds") else _seconds(str(value))
	return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}"


def _seconds(text: str) -> int:
	hours, minutes, *rest = (int(float(part)) for part in text.split(":"))
	return hours * 3600 + minutes * 60 + (rest[0] if rest else 0)
