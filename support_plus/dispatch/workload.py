"""The managers' workload board: per technician, open tickets against capacity, new assignments waiting
to be accepted, status, working or on call now, and today's appointments. One query per table."""

import frappe
from frappe.query_builder.functions import Count
from frappe.utils import add_days, get_system_timezone, getdate

from support_plus.dispatch import technicians
from support_plus.sla.business_time import to_timestamp
from support_plus.utils import clock

APPOINTMENT = "Service Appointment"
NOT_VISITS = ("Cancelled", "No Show")


def technician_workload(team: str | None = None, now=None) -> list[dict]:
	"""[{"technician", "user", "full_name", "status", "open_tickets", "capacity", "load_percent",
	"pending_acceptance", "working_now", "on_call_until", "appointments_today"}], fullest first."""
	now = clock.now(now)
	filters = {}
	if team:
		filters["name"] = ("in", technicians.team_members(team) or [""])
	rows = frappe.get_all(
		"Service Technician",
		filters=filters,
		fields=[
			"name",
			"user",
			"full_name",
			"status",
			"capacity",
			"open_tickets",
			"holiday_list",
			"modified",
		],
		order_by="name asc",
	)
	if not rows:
		return []
	names, users = [r.name for r in rows], [r.user for r in rows]
	pending = _pending_acceptance(users)
	on_call = {}
	for shift in frappe.get_all(
		"On-call Shift",
		filters={"technician": ("in", names), "from_time": ("<=", now), "to_time": (">", now)},
		fields=["technician", "to_time"],
	):
		on_call[shift.technician] = max(on_call.get(shift.technician, shift.to_time), shift.to_time)
	appointments = _appointments_today(names, now)
	now_ts = to_timestamp(now, get_system_timezone())
	board = []
	for r in rows:
		cal = technicians.calendar(r.name, technicians.calendar_version(r))
		capacity, open_tickets = r.capacity or 0, r.open_tickets or 0
		board.append(
			{
				"technician": r.name,
				"user": r.user,
				"full_name": r.full_name or r.user,
				"status": r.status,
				"open_tickets": open_tickets,
				"capacity": capacity,
				"load_percent": round(100 * open_tickets / capacity) if capacity else None,
				"pending_acceptance": pending.get(r.user, 0),
				"working_now": technicians.working_until(cal, now_ts) is not None,
				"on_call_until": on_call.get(r.name),
				"appointments_today": appointments.get(r.name, 0),
			}
		)
	board.sort(key=lambda row: (-(row["load_percent"] or 0), row["full_name"]))
	return board


def _pending_acceptance(users: list[str]) -> dict[str, int]:
	todo = frappe.qb.DocType("ToDo")
	return dict(
		frappe.qb.from_(todo)
		.select(todo.allocated_to, Count("*"))
		.where(
			(todo.reference_type == "Issue")
			& (todo.status == "Open")
			& (todo.acceptance == "Pending")
			& todo.allocated_to.isin(users)
		)
		.groupby(todo.allocated_to)
		.run()
	)


def _appointments_today(names: list[str], now) -> dict[str, int]:
	"""Appointments starting today (site time), not Cancelled or No Show; {} before appointments exist."""
	if not frappe.db.exists("DocType", APPOINTMENT):
		return {}
	day = getdate(now)
	appointment = frappe.qb.DocType(APPOINTMENT)
	return dict(
		frappe.qb.from_(appointment)
		.select(appointment.technician, Count("*"))
		.where(
			appointment.technician.isin(names)
			& (appointment.scheduled_start >= day)
			& (appointment.scheduled_start < add_days(day, 1))
			& appointment.status.notin(NOT_VISITS)
		)
		.groupby(appointment.technician)
		.run()
	)
