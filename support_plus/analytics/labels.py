"""How the analytics reports show a group's value: periods as dates, agents by full name, hours."""

import frappe
from frappe import _
from frappe.utils import formatdate, get_fullname

from support_plus.analytics.kpis import PERIODS

HOUR = 3600.0


def group_label(group_by: str, value) -> str:
	if value in (None, ""):
		return _("Not Set")
	if group_by in PERIODS:
		return formatdate(value)
	if group_by == "Agent":
		return get_fullname(value)
	return _(str(value)) if group_by in ("Priority", "Channel") else str(value)


def hours(seconds) -> float | None:
	return None if seconds is None else round(float(seconds) / HOUR, 2)


def group_column(group_by: str) -> dict:
	label = _("Week Starting") if group_by == "Week" else _(group_by)
	return {"label": label, "fieldname": "group", "fieldtype": "Data", "width": 200}


def column(label: str, fieldname: str, fieldtype: str = "Float", width: int = 130) -> dict:
	return {"label": label, "fieldname": fieldname, "fieldtype": fieldtype, "width": width}


def chart(rows: list[dict], fields: list[tuple[str, str]], group_by: str) -> dict | None:
	"""A line chart over periods, a bar chart over other groups (the report's rows, in order)."""
	if not rows:
		return None
	return {
		"data": {
			"labels": [row["group"] for row in rows],
			"datasets": [
				{"name": label, "values": [row.get(field) or 0 for row in rows]} for field, label in fields
			],
		},
		"type": "line" if group_by in PERIODS else "bar",
	}
