"""Maintenance reminders: the customer and the technician are told of a scheduled visit beforehand.

A daily job finds the visits of submitted Maintenance Schedules still Pending whose date lies from today
to `maintenance_reminder_days` ahead (Support Plus Settings, default 2; 0 turns reminders off), and sends,
per schedule and date, one email to the customer (the schedule's contact, else the customer's contacts
and account manager) and one to the technicians of the rows (their user's email, else the email of the
Sales Person's employee), with the appointment's time when the visit has one. Each row keeps the date it
was reminded for (`reminded_for`), written in the same savepoint as the emails: a job run twice reminds
once, and a visit moved to another date is reminded again. A schedule and date with nobody to tell is
left for a later run; one that fails is logged and the others go on.
"""

from datetime import date, timedelta

import frappe
from frappe import _
from frappe.email.doctype.email_template.email_template import get_email_template
from frappe.utils import cint, format_time, validate_email_address

from support_plus.maintenance.technicians import technician_of
from support_plus.tickets.email_templates import MAINTENANCE_REMINDER, MAINTENANCE_REMINDER_TECHNICIAN
from support_plus.utils import clock
from support_plus.warranty.alerts import customer_recipients

SETTING = "maintenance_reminder_days"
DEFAULT_DAYS = 2


def daily_maintenance_reminders() -> None:
	"""Scheduler (daily)."""
	send_reminders()
	frappe.db.commit()  # nosemgrep: the emails and the rows' marks are one unit of work


def reminder_days() -> int:
	value = frappe.db.get_single_value("Support Plus Settings", SETTING)
	return DEFAULT_DAYS if value is None else cint(value)


def send_reminders(today: date | None = None) -> dict:
	"""Remind of the visits due from `today` (default: the clock's) to `maintenance_reminder_days` ahead.
	Returns {"visits", "customer_emails", "technician_emails", "failed"}."""
	out = {"visits": 0, "customer_emails": 0, "technician_emails": 0, "failed": 0}
	days = reminder_days()
	if days <= 0:
		return out
	today = clock.today(today)
	groups: dict[tuple, list] = {}
	for row in due_visits(today, today + timedelta(days=days)):
		groups.setdefault((row.parent, row.scheduled_date), []).append(row)
	for (schedule, day), rows in groups.items():
		frappe.db.savepoint("support_plus_maintenance_reminder")
		try:
			sent = remind(schedule, day, rows)
			if sent[0] or sent[1]:
				mark(rows)
				out["visits"] += len(rows)
				out["customer_emails"] += sent[0]
				out["technician_emails"] += sent[1]
		except Exception:
			frappe.db.rollback(save_point="support_plus_maintenance_reminder")
			frappe.log_error(
				title=_("Maintenance reminder for {0} on {1} failed").format(schedule, day),
				reference_doctype="Maintenance Schedule",
				reference_name=schedule,
			)
			out["failed"] += 1
	return out


def due_visits(start: date, end: date) -> list[frappe._dict]:
	return frappe.db.sql(  # nosemgrep: fixed SQL, an indexed range read
		"""select d.name, d.parent, d.scheduled_date, d.item_code, d.item_name, d.serial_no, d.sales_person
		from `tabMaintenance Schedule Detail` d
		join `tabMaintenance Schedule` s on s.name = d.parent
		where d.parenttype = 'Maintenance Schedule' and s.docstatus = 1
			and d.scheduled_date between %(start)s and %(end)s
			and ifnull(d.completion_status, '') in ('', 'Pending')
			and (d.reminded_for is null or d.reminded_for != d.scheduled_date)
		order by d.parent, d.scheduled_date, d.idx""",
		{"start": start, "end": end},
		as_dict=True,
	)


def remind(schedule: str, day, rows: list) -> tuple[int, int]:
	"""Email the customer and the technicians of these rows; (customer emails, technician emails) sent."""
	doc = frappe.get_doc("Maintenance Schedule", schedule)
	appointment = frappe.db.get_value(
		"Service Appointment",
		{"maintenance_schedule_detail": ("in", [r.name for r in rows]), "status": "Scheduled"},
		("scheduled_start", "technician"),
		as_dict=True,
		order_by="scheduled_start asc",
	)
	start = format_time(appointment.scheduled_start, "HH:mm") if appointment else None
	technicians = [technician_of(r.sales_person) for r in rows]
	names = [frappe.db.get_value("Service Technician", t.name, "full_name") for t in technicians if t]
	context = {
		"doc": doc,
		"rows": rows,
		"visit_date": day,
		"start": start,
		"technician_name": ", ".join(sorted(set(filter(None, names)))),
	}
	customer_sent = technician_sent = 0
	to = customer_emails(doc)
	if to:
		send(MAINTENANCE_REMINDER, context, to, schedule)
		customer_sent = 1
	to = technician_emails(rows)
	if to:
		send(MAINTENANCE_REMINDER_TECHNICIAN, context, to, schedule)
		technician_sent = 1
	return customer_sent, technician_sent


def send(template: str, context: dict, recipients: list[str], schedule: str) -> None:
	message = get_email_template(template, context)
	frappe.sendmail(
		recipients=recipients,
		subject=message["subject"],
		message=message["message"],
		reference_doctype="Maintenance Schedule",
		reference_name=schedule,
	)


def customer_emails(doc) -> list[str]:
	"""The schedule's contact, else the customer's contacts and account manager."""
	email = doc.contact_email
	if not email and doc.contact_person:
		email = frappe.db.get_value("Contact", doc.contact_person, "email_id")
	if email and validate_email_address(email):
		return [email]
	return customer_recipients({doc.customer}).get(doc.customer, []) if doc.customer else []


def technician_emails(rows: list) -> list[str]:
	"""The technicians' users' emails, else the Sales Person's employee's (ERPNext's way)."""
	emails = set()
	for sales_person in {r.sales_person for r in rows if r.sales_person}:
		technician = technician_of(sales_person)
		user = technician.user if technician else None
		if not user:
			employee = frappe.db.get_value("Sales Person", sales_person, "employee")
			user = frappe.db.get_value("Employee", employee, "user_id") if employee else None
		email = frappe.db.get_value("User", {"name": user, "enabled": 1}, "email") if user else None
		if email:
			emails.add(email)
	return sorted(emails)


def mark(rows: list) -> None:
	detail = frappe.qb.DocType("Maintenance Schedule Detail")
	for row in rows:
		frappe.qb.update(detail).set(detail.reminded_for, row.scheduled_date).where(
			detail.name == row.name
		).run()
