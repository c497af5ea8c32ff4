# Copyright (c) 2026, support_plus developers and contributors
# For license information, please see license.txt
"""Overdue Maintenance: the scheduled visits whose date has passed with no visit submitted, longest
overdue first. It reads the stored flag (`is_overdue`, kept by support_plus.maintenance.overdue, which has
the rule) through the caller's own permissions on Maintenance Schedule."""

import frappe
from frappe import _
from frappe.utils import date_diff, getdate

from support_plus.utils import clock

DETAIL = "Maintenance Schedule Detail"


def execute(filters=None):
	filters = frappe._dict(filters or {})
	rows = overdue_visits(filters)
	return columns(), rows


def overdue_visits(filters: dict) -> list[dict]:
	conditions = [
		["Maintenance Schedule", "docstatus", "=", 1],
		[DETAIL, "is_overdue", "=", 1],
	]
	for field in ("company", "customer"):
		if filters.get(field):
			conditions.append(["Maintenance Schedule", field, "=", filters[field]])
	if filters.get("sales_person"):
		conditions.append([DETAIL, "sales_person", "=", filters.sales_person])
	if filters.get("from_date"):
		conditions.append([DETAIL, "scheduled_date", ">=", getdate(filters.from_date)])
	if filters.get("to_date"):
		conditions.append([DETAIL, "scheduled_date", "<=", getdate(filters.to_date)])
	rows = frappe.get_list(
		"Maintenance Schedule",
		filters=conditions,
		fields=[
			"name as maintenance_schedule",
			"customer",
			"customer_name",
			f"`tab{DETAIL}`.name as detail",
			f"`tab{DETAIL}`.item_code as item_code",
			f"`tab{DETAIL}`.item_name as item_name",
			f"`tab{DETAIL}`.serial_no as serial_no",
			f"`tab{DETAIL}`.scheduled_date as scheduled_date",
			f"`tab{DETAIL}`.sales_person as sales_person",
		],
		order_by=f"`tab{DETAIL}`.scheduled_date asc, `tabMaintenance Schedule`.name asc",
		limit_page_length=0,
	)
	appointments = dict(
		frappe.get_all(
			"Service Appointment",
			filters={"maintenance_schedule_detail": ("in", [r.detail for r in rows] or [""])},
			fields=["maintenance_schedule_detail", "name"],
			as_list=True,
		)
	)
	today = clock.today()
	for row in rows:
		row["days_overdue"] = date_diff(today, row.scheduled_date)
		row["service_appointment"] = appointments.get(row.pop("detail"))
	return rows


def columns() -> list[dict]:
	return [
		{
			"fieldname": "maintenance_schedule",
			"label": _("Maintenance Schedule"),
			"fieldtype": "Link",
			"options": "Maintenance Schedule",
			"width": 170,
		},
		{
			"fieldname": "customer",
			"label": _("Customer"),
			"fieldtype": "Link",
			"options": "Customer",
			"width": 150,
		},
		{"fieldname": "customer_name", "label": _("Customer Name"), "fieldtype": "Data", "width": 160},
		{"fieldname": "item_code", "label": _("Item"), "fieldtype": "Link", "options": "Item", "width": 120},
		{"fieldname": "item_name", "label": _("Item Name"), "fieldtype": "Data", "width": 160},
		{"fieldname": "serial_no", "label": _("Serial No"), "fieldtype": "Data", "width": 120},
		{"fieldname": "scheduled_date", "label": _("Scheduled Date"), "fieldtype": "Date", "width": 110},
		{"fieldname": "days_overdue", "label": _("Days Overdue"), "fieldtype": "Int", "width": 110},
		{
			"fieldname": "sales_person",
			"label": _("Technician (Sales Person)"),
			"fieldtype": "Link",
			"options": "Sales Person",
			"width": 160,
		},
		{
			"fieldname": "service_appointment",
			"label": _("Service Appointment"),
			"fieldtype": "Link",
			"options": "Service Appointment",
			"width": 150,
		},
	]
