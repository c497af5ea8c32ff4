# Copyright (c) 2026, support_plus developers and contributors
# For license information, please see license.txt
"""Technician Workload: the managers' workload board in the desk, one row per technician (open tickets
against capacity, assignments waiting to be accepted, working or on call now, today's appointments),
fullest first, with a chart of their load. The rows are `support_plus.api.technician_workload`'s, its
permission check included: the board and the API cannot disagree."""

from frappe import _

from support_plus.api.dispatch import technician_workload


def execute(filters=None):
	filters = filters or {}
	rows = technician_workload(filters.get("team") or None)
	return columns(), rows, None, chart(rows)


def columns() -> list[dict]:
	return [
		{
			"fieldname": "technician",
			"label": _("Technician"),
			"fieldtype": "Link",
			"options": "Service Technician",
			"width": 150,
		},
		{"fieldname": "full_name", "label": _("Name"), "fieldtype": "Data", "width": 160},
		{"fieldname": "status", "label": _("Status"), "fieldtype": "Data", "width": 80},
		{"fieldname": "open_tickets", "label": _("Open Tickets"), "fieldtype": "Int", "width": 110},
		{"fieldname": "capacity", "label": _("Capacity"), "fieldtype": "Int", "width": 90},
		{"fieldname": "load_percent", "label": _("Load %"), "fieldtype": "Percent", "width": 90},
		{"fieldname": "pending_acceptance", "label": _("To Accept"), "fieldtype": "Int", "width": 90},
		{"fieldname": "working_now", "label": _("Working Now"), "fieldtype": "Check", "width": 100},
		{"fieldname": "on_call_until", "label": _("On Call Until"), "fieldtype": "Datetime", "width": 150},
		{
			"fieldname": "appointments_today",
			"label": _("Appointments Today"),
			"fieldtype": "Int",
			"width": 150,
		},
	]


def chart(rows: list[dict]) -> dict | None:
	if not rows:
		return None
	return {
		"data": {
			"labels": [row["full_name"] or row["technician"] for row in rows],
			"datasets": [
				{"name": _("Open Tickets"), "values": [row["open_tickets"] for row in rows]},
				{"name": _("Capacity"), "values": [row["capacity"] for row in rows]},
			],
		},
		"type": "bar",
	}
