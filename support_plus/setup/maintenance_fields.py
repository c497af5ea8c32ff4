"""Custom fields of preventive maintenance (support_plus.maintenance) on ERPNext's Maintenance doctypes."""

import frappe
from frappe import _


def add_maintenance_fields(fields: dict[str, list[dict]]) -> None:
	fields.setdefault("Maintenance Schedule Detail", []).extend(
		[
			{
				"fieldname": "is_overdue",
				"fieldtype": "Check",
				"label": _("Overdue"),
				"insert_after": "completion_status",
				"read_only": 1,
				"no_copy": 1,
				"in_list_view": 1,
				"search_index": 1,
				"description": _("Its date has passed with no visit submitted (kept by a daily job)."),
			},
			{
				"fieldname": "reminded_for",
				"fieldtype": "Date",
				"label": _("Reminder Sent For"),
				"insert_after": "is_overdue",
				"read_only": 1,
				"no_copy": 1,
				"description": _("The visit date the customer and technician were reminded of."),
			},
		]
	)
	fields.setdefault("Maintenance Schedule", []).append(
		{
			"fieldname": "overdue_visits",
			"fieldtype": "Int",
			"label": _("Overdue Visits"),
			"insert_after": "status",
			"read_only": 1,
			"no_copy": 1,
			"in_list_view": 1,
			"search_index": 1,
			"description": _("Scheduled visits whose date has passed with no visit submitted."),
		}
	)


def ensure_maintenance_indexes() -> None:
	"""Install/migrate: the reminder job reads visits by date, the overdue report by flag and date."""
	frappe.db.add_index("Maintenance Schedule Detail", ["scheduled_date"])
	frappe.db.add_index("Maintenance Schedule Detail", ["is_overdue", "scheduled_date"])
