"""API v1 SLA policies: `/api/method/support_plus.api.v1.sla_policies.<list|create>`.

A policy is an ERPNext Service Level Agreement on Issues (support_plus's engine runs it in business time);
times are given in minutes here, seconds in ERPNext.
"""

import frappe
from frappe import _

from support_plus.api.v1 import params, shapes

# `list` is defined last: above it, `list` in annotations is still the built-in type.
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
ENTITY_TYPES = ("Customer", "Customer Group", "Territory")


@frappe.whitelist(methods=["POST"])
def create(
	name: str | None = None,
	priorities: list | str | None = None,
	working_hours: list | str | None = None,
	holiday_list: str | None = None,
	default_priority: str | None = None,
	timezone: str | None = None,
	is_default: bool | str | None = None,
	applies_to: dict | str | None = None,
	pause_on: list | str | None = None,
	fulfilled_on: list | str | None = None,
	valid_from: str | None = None,
	valid_to: str | None = None,
) -> dict:
	"""Create an SLA policy for tickets (Support Manager). `priorities`: [{"priority", "response_minutes",
	"resolution_minutes"}]; `working_hours`: [{"weekday", "start": "09:00", "end": "18:00"}];
	`applies_to`: {"type": "Customer" | "Customer Group" | "Territory", "name"}."""
	frappe.has_permission("Service Level Agreement", "create", throw=True)
	priority_rows = []
	for row in params.rows(priorities, "priorities"):
		priority_rows.append(
			{
				"priority": params.text(row.get("priority"), "priorities.priority", required=True),
				"response_time": _minutes(row.get("response_minutes"), "response_minutes") * 60,
				"resolution_time": _minutes(row.get("resolution_minutes"), "resolution_minutes") * 60,
			}
		)
	default = params.text(default_priority, "default_priority") or priority_rows[0]["priority"]
	if default not in [row["priority"] for row in priority_rows]:
		params.bad_request(_("default_priority must be one of the policy's priorities."))
	for row in priority_rows:
		row["default_priority"] = int(row["priority"] == default)
	hours = [
		{
			"workday": params.one_of(row.get("weekday"), WEEKDAYS, "working_hours.weekday"),
			"start_time": _time(row.get("start"), "working_hours.start"),
			"end_time": _time(row.get("end"), "working_hours.end"),
		}
		for row in params.rows(working_hours, "working_hours")
	]
	values = {
		"doctype": "Service Level Agreement",
		"document_type": "Issue",
		"service_level": params.text(name, "name", required=True),
		"holiday_list": params.text(holiday_list, "holiday_list", required=True),
		"default_priority": default,
		"default_service_level_agreement": int(params.flag(is_default, "is_default")),
		"enabled": 1,
		"apply_sla_for_resolution": 1,
		"priorities": priority_rows,
		"support_and_resolution": hours,
		"pause_sla_on": [{"status": s} for s in params.strings(pause_on, "pause_on")],
		"sla_fulfilled_on": [
			{"status": s} for s in params.strings(fulfilled_on, "fulfilled_on") or ("Resolved", "Closed")
		],
	}
	if params.text(timezone, "timezone"):
		values["timezone"] = timezone
	if applies_to not in (None, ""):
		target = params.rows([applies_to] if isinstance(applies_to, dict) else applies_to, "applies_to")[0]
		values["entity_type"] = params.one_of(target.get("type"), ENTITY_TYPES, "applies_to.type")
		values["entity"] = params.text(target.get("name"), "applies_to.name", required=True)
	for field, value, label in (("start_date", valid_from, "valid_from"), ("end_date", valid_to, "valid_to")):
		moment = params.moment(value, label)
		if moment:
			values[field] = moment.date()
	if frappe.db.exists(
		"Service Level Agreement", {"service_level": values["service_level"], "document_type": "Issue"}
	):
		frappe.throw(
			_("An SLA policy named {0} exists already.").format(values["service_level"]),
			frappe.DuplicateEntryError,
		)
	return shapes.sla_policy(frappe.get_doc(values).insert())


@frappe.whitelist(methods=["GET"])
def list(enabled: str | bool | None = None, page: int = 1, page_size: int = 20) -> dict:
	"""The SLA policies for tickets the caller may read: {"data": [policy], "page", "page_size", "has_more"}."""
	offset, size = params.paging(page, page_size)
	filters = {"document_type": "Issue"}
	if enabled not in (None, ""):
		filters["enabled"] = int(params.flag(enabled, "enabled"))
	names = frappe.get_list(
		"Service Level Agreement",
		filters=filters,
		pluck="name",
		order_by="name asc",
		limit_start=offset,
		limit_page_length=size + 1,
	)
	return {
		"data": [shapes.sla_policy(frappe.get_doc("Service Level Agreement", n)) for n in names[:size]],
		"page": offset // size + 1,
		"page_size": size,
		"has_more": len(names) > size,
	}


def _minutes(value, name: str) -> int:
	minutes = params.whole_number(value, name)
	if minutes <= 0:
		params.bad_request(_("{0} must be above zero.").format(name))
	return minutes


def _time(value, name: str) -> str:
	text = params.text(value, name, required=True)
	try:
		hours, minutes = (int(part) for part in text.split(":")[:2])
	except ValueError:
		params.bad_request(_("{0} must be a time like 09:00.").format(name))
	if not (0 <= hours <= 23 and 0 <= minutes <= 59):
		params.bad_request(_("{0} must be a time like 09:00.").format(name))
	return f"{hours:02d}:{minutes:02d}:00"
