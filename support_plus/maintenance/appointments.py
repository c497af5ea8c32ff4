"""Scheduled maintenance visits as Service Appointments, and what cancelling a schedule takes away.

On submit, ERPNext's Maintenance Schedule makes an Event at 10:00 on each visit date. Here (the schedule's
`on_submit`, after ERPNext's), each row whose Sales Person is a Service Technician becomes a Service
Appointment of that technician instead: the first free `VISIT_MINUTES` of the technician's working hours
that day (support_plus.dispatch.appointments.free_slots: no double booking, working hours, holidays),
linked to the schedule and its row, with the schedule's contact and address. When every row of a date
has its appointment, ERPNext's Events of that date go; a row with no technician profile, no free time that
day or a date already past keeps ERPNext's Event, as ERPNext makes it.

Cancelling the schedule (`before_cancel` / `on_cancel`): its appointments still to come (Scheduled, from
now on) are deleted; past appointments and those under way or done are kept. ERPNext's own cancel
deletes every Event of the schedule, the past ones too: the past ones are set aside before it runs and
linked again after, so only the Events still to come go.
"""

from datetime import datetime, timedelta

import frappe
from frappe import _
from frappe.utils import getdate

from support_plus.dispatch import appointments as booking
from support_plus.maintenance.technicians import technician_of
from support_plus.utils import clock

VISIT_MINUTES = 60
KEPT = "support_plus_kept_events"


def make_appointments(doc, method=None) -> int:
	"""Maintenance Schedule `on_submit`: an appointment per row of a technician; returns how many."""
	made: dict = {}  # date -> rows with an appointment
	rows_on: dict = {}  # date -> all rows
	full: set = set()  # (technician, date) with no free time left: not asked again
	for row in doc.get("schedules") or []:
		day = getdate(row.scheduled_date)
		rows_on.setdefault(day, []).append(row.name)
		technician = technician_of(row.sales_person)
		if not technician or frappe.db.exists(
			"Service Appointment", {"maintenance_schedule_detail": row.name}
		):
			continue
		slot = None if (technician.name, day) in full else first_free_slot(technician.name, day)
		if not slot:
			full.add((technician.name, day))
			continue
		frappe.get_doc(
			{
				"doctype": "Service Appointment",
				"technician": technician.name,
				"maintenance_schedule": doc.name,
				"maintenance_schedule_detail": row.name,
				"customer": doc.customer,
				"contact": doc.contact_person,
				"address": doc.customer_address,
				"scheduled_start": slot["start"],
				"scheduled_end": slot["end"],
				"notes": _("Preventive maintenance: {0}{1}").format(
					row.item_name or row.item_code, f", {row.serial_no}" if row.serial_no else ""
				),
			}
		).insert(ignore_permissions=True)  # part of submitting the schedule, which was checked
		made.setdefault(day, []).append(row.name)
	for day, rows in made.items():
		if len(rows) == len(rows_on[day]):
			delete_events_on(doc.name, day)
	return sum(len(rows) for rows in made.values())


def first_free_slot(technician: str, day) -> dict | None:
	"""The technician's first free `VISIT_MINUTES` on `day` (never before now), or None."""
	if getdate(day) < clock.today():
		return None
	slots = booking.free_slots(technician, from_date=getdate(day), days=1, duration_minutes=VISIT_MINUTES)
	return slots[0] if slots else None


def _schedule_events(schedule: str):
	event = frappe.qb.DocType("Event")
	participant = frappe.qb.DocType("Event Participants")
	return (
		frappe.qb.from_(event)
		.join(participant)
		.on(participant.parent == event.name)
		.where(
			(participant.parenttype == "Event")
			& (participant.reference_doctype == "Maintenance Schedule")
			& (participant.reference_docname == schedule)
		)
	)


def delete_events_on(schedule: str, day) -> None:
	"""ERPNext's Events of the schedule on `day`."""
	start = datetime.combine(getdate(day), datetime.min.time())
	event = frappe.qb.DocType("Event")
	names = (
		_schedule_events(schedule)
		.select(event.name)
		.distinct()
		.where((event.starts_on >= start) & (event.starts_on < start + timedelta(days=1)))
	).run(pluck=True)
	if names:
		frappe.delete_doc("Event", names, ignore_permissions=True, for_reload=True)


# -- cancelling a schedule ------------------------------------------------------------------------


def set_past_events_aside(doc, method=None) -> None:
	"""Maintenance Schedule `before_cancel`: ERPNext's cancel deletes the Events it finds linked to the
	schedule; the past ones are unlinked for that moment (and linked again by `on_cancel`)."""
	event = frappe.qb.DocType("Event")
	participant = frappe.qb.DocType("Event Participants")
	rows = (_schedule_events(doc.name).select(participant.name).where(event.starts_on < clock.now())).run(
		pluck=True
	)
	doc.flags[KEPT] = rows
	if rows:
		frappe.qb.update(participant).set(participant.reference_docname, "").where(
			participant.name.isin(rows)
		).run()


def remove_future_visits(doc, method=None) -> int:
	"""Maintenance Schedule `on_cancel` (after ERPNext's): the past Events linked again, the appointments
	still to come deleted. Returns how many appointments went."""
	kept = doc.flags.get(KEPT)
	if kept:
		participant = frappe.qb.DocType("Event Participants")
		frappe.qb.update(participant).set(participant.reference_docname, doc.name).where(
			participant.name.isin(kept)
		).run()
	future = frappe.get_all(
		"Service Appointment",
		filters={
			"maintenance_schedule": doc.name,
			"status": booking.SCHEDULED,
			"scheduled_start": (">=", clock.now()),
		},
		pluck="name",
	)
	for name in future:
		frappe.delete_doc("Service Appointment", name, ignore_permissions=True)  # the cancel was checked
	return len(future)
