"""Service Appointments: a technician's booked visits, and what their status changes do.

Our own doctype because ERPNext has none that books a technician's time: a Maintenance Schedule row is a
date without a time or a technician's calendar, an Event is not tied to a technician's working hours. The
appointment ends in ERPNext's own record of the work, the Maintenance Visit, made and submitted when it is
Completed.

Rules (all in `validate`, so nothing is half-saved):
- it ends after it starts;
- a technician is never booked twice at once: Cancelled and No Show appointments free their time. Two
  saves at the same moment cannot both pass: the technician's row is locked first, and the overlap is read
  with a locking read, which sees what another transaction committed meanwhile (a plain read would see
  this transaction's older snapshot);
- it lies inside one of the technician's working windows (support_plus.dispatch.technicians.calendar),
  unless a Support Manager books it with an `override_reason`;
- a technician-only user moves their own appointments through its statuses but does not reschedule them;
- a Completed appointment is final and needs the work done and a customer.

Status changes (`on_update`): En Route tells the customer's contact that the technician is on the way, by
email and by SMS when SMS Settings are configured; Completed makes the Maintenance Visit, links it back and
notes the visit, with the time spent, on the ticket's timeline (the Comment is the ticket's time log);
Cancelled and No Show are noted on the ticket's timeline with their reason.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import frappe
from frappe import _
from frappe.email.doctype.email_template.email_template import get_email_template
from frappe.utils import format_datetime, get_datetime, get_system_timezone, getdate, validate_email_address

from support_plus.dispatch import technicians
from support_plus.sla.business_time import from_timestamp, to_timestamp
from support_plus.tickets import email_templates, timeline
from support_plus.tickets.notifications import can_send_email
from support_plus.utils import clock, sms
from support_plus.utils.roles import is_manager

SCHEDULED, EN_ROUTE, ON_SITE, COMPLETED, CANCELLED, NO_SHOW = (
	"Scheduled",
	"En Route",
	"On Site",
	"Completed",
	"Cancelled",
	"No Show",
)
STATUSES = (SCHEDULED, EN_ROUTE, ON_SITE, COMPLETED, CANCELLED, NO_SHOW)
# These free the technician's time.
FREEING = frozenset((CANCELLED, NO_SHOW))
BOOKED = tuple(s for s in STATUSES if s not in FREEING)
# The calendar's colours.
COLORS = {
	SCHEDULED: "#2490ef",
	EN_ROUTE: "#ecad4b",
	ON_SITE: "#7575ff",
	COMPLETED: "#29cd42",
	CANCELLED: "#98a1a9",
	NO_SHOW: "#e24c4c",
}


def validate(doc) -> None:
	"""Service Appointment `validate`."""
	before = doc.get_doc_before_save()
	if doc.status not in STATUSES:
		frappe.throw(_("{0} is not an appointment status.").format(frappe.bold(doc.status)))
	if before and before.status == COMPLETED and doc.status != COMPLETED:
		frappe.throw(_("Appointment {0} is completed: its Maintenance Visit is submitted.").format(doc.name))
	start, end = get_datetime(doc.scheduled_start), get_datetime(doc.scheduled_end)
	if end <= start:
		frappe.throw(_("The appointment must end after it starts."), frappe.ValidationError)
	fill_from_ticket(doc)
	doc.technician_user = frappe.db.get_value("Service Technician", doc.technician, "user")
	moved = _booking_changed(doc, before)
	if before and moved and technicians.sees_only_own_profile(frappe.session.user):
		frappe.throw(_("Only the support team reschedules an appointment."), frappe.PermissionError)
	if doc.status in BOOKED and moved:
		check_free(doc, start, end)
		check_working_hours(doc, start, end)
	if doc.status == COMPLETED and (not before or before.status != COMPLETED):
		if not (doc.work_done or "").strip():
			frappe.throw(_("Describe the work done before completing the appointment."))
		if not doc.customer:
			frappe.throw(_("The appointment needs a customer: its Maintenance Visit is made for one."))
	if (doc.time_spent_minutes or 0) < 0:
		frappe.throw(_("Time spent cannot be below zero."))
	if doc.status not in FREEING:
		doc.status_reason = None  # booked again: the reason was for a visit that did not happen


def _booking_changed(doc, before) -> bool:
	"""Whether the booked time is new or moved (or freed time is taken again)."""
	if not before:
		return True
	return (
		before.technician != doc.technician
		or get_datetime(before.scheduled_start) != get_datetime(doc.scheduled_start)
		or get_datetime(before.scheduled_end) != get_datetime(doc.scheduled_end)
		or (before.status in FREEING and doc.status not in FREEING)
	)


def fill_from_ticket(doc) -> None:
	"""The customer, contact and site address of the ticket when the appointment names none."""
	if doc.issue:
		ticket = frappe.db.get_value(
			"Issue", doc.issue, ("customer", "contact", "site_address"), as_dict=True
		)
		if ticket is None:
			frappe.throw(_("Ticket {0} does not exist.").format(frappe.bold(doc.issue)))
		doc.customer = doc.customer or ticket.customer
		doc.contact = doc.contact or ticket.contact
		doc.address = doc.address or ticket.site_address
	if doc.address and (doc.is_new() or doc.has_value_changed("address") or not doc.address_display):
		from frappe.contacts.doctype.address.address import get_address_display

		doc.address_display = get_address_display(doc.address)


def check_free(doc, start: datetime, end: datetime) -> None:
	"""No other booked appointment of the technician overlaps [start, end)."""
	# Every booking of this technician waits here for the one before it to commit.
	if not frappe.db.get_value("Service Technician", doc.technician, "name", for_update=True):
		frappe.throw(_("Technician {0} does not exist.").format(frappe.bold(doc.technician)))
	sa = frappe.qb.DocType("Service Appointment")
	clash = (
		frappe.qb.from_(sa)
		.select(sa.name, sa.scheduled_start, sa.scheduled_end)
		.where(
			(sa.technician == doc.technician)
			& (sa.name != (doc.name or ""))
			& sa.status.isin(BOOKED)
			& (sa.scheduled_start < end)
			& (sa.scheduled_end > start)
		)
		.limit(1)
		.for_update()  # a locking read: sees appointments committed since this transaction began
	).run(as_dict=True)
	if clash:
		c = clash[0]
		frappe.throw(
			_("{0} is already booked from {1} to {2} ({3}).").format(
				frappe.bold(_technician_name(doc.technician)),
				format_datetime(c.scheduled_start),
				format_datetime(c.scheduled_end),
				c.name,
			),
			title=_("Double Booking"),
		)


def check_working_hours(doc, start: datetime, end: datetime) -> None:
	"""Inside one working window of the technician, or a manager's override with a reason."""
	if within_working_hours(doc.technician, start, end):
		return
	if not (doc.override_reason or "").strip():
		frappe.throw(
			_(
				"{0} does not work the whole time from {1} to {2}. A Support Manager may book it with an"
				" override reason."
			).format(
				frappe.bold(_technician_name(doc.technician)), format_datetime(start), format_datetime(end)
			),
			title=_("Outside Working Hours"),
		)
	if not is_manager():
		frappe.throw(
			_("Only a Support Manager may book an appointment outside the technician's working hours."),
			frappe.PermissionError,
		)


def within_working_hours(technician: str, start: datetime, end: datetime) -> bool:
	cal = _calendar(technician)
	tz = get_system_timezone()
	until = technicians.working_until(cal, to_timestamp(start, tz))
	return until is not None and to_timestamp(end, tz) <= until


def _calendar(technician: str):
	row = frappe.db.get_value(
		"Service Technician", technician, ("name", "modified", "holiday_list"), as_dict=True
	)
	return technicians.calendar(technician, technicians.calendar_version(row))


def _technician_name(technician: str) -> str:
	return frappe.db.get_value("Service Technician", technician, "full_name") or technician


def has_permission(doc, ptype=None, user=None) -> bool | None:
	"""Service Appointment `has_permission`: a technician-only user reaches their own appointments only."""
	user = user or frappe.session.user
	if technicians.sees_only_own_profile(user):
		return doc.technician_user == user
	return None


def query_conditions(user: str | None = None) -> str:
	user = user or frappe.session.user
	if technicians.sees_only_own_profile(user):
		return f"`tabService Appointment`.`technician_user` = {frappe.db.escape(user)}"
	return ""


# -- status changes -------------------------------------------------------------------------------


def on_update(doc) -> None:
	"""Service Appointment `on_update`."""
	before = doc.get_doc_before_save()
	if before and before.status == doc.status:
		return
	if doc.status == EN_ROUTE:
		notify_en_route(doc)
	elif doc.status == COMPLETED and not doc.maintenance_visit:
		visit = make_maintenance_visit(doc)
		doc.db_set("maintenance_visit", visit, update_modified=False)
		note_on_ticket(doc, visit)
	elif doc.status in FREEING:
		note_not_done(doc)


def recipients(doc) -> tuple[str | None, str | None]:
	"""The customer's email and mobile number for this visit: the appointment's contact, else the ticket's."""
	email = phone = None
	if doc.contact:
		email, mobile, landline = frappe.db.get_value(
			"Contact", doc.contact, ("email_id", "mobile_no", "phone")
		) or (None, None, None)
		phone = mobile or landline
	if doc.issue and not (email and phone):
		raised_by, contact_phone = frappe.db.get_value("Issue", doc.issue, ("raised_by", "contact_phone"))
		email, phone = email or raised_by, phone or contact_phone
	return validate_email_address(email or "") or None, phone or None


def notify_en_route(doc) -> None:
	"""'Your technician X is on the way', by email and by SMS (each only when it can be sent)."""
	email, phone = recipients(doc)
	context = {"doc": doc, "technician_name": _technician_name(doc.technician)}
	if email and can_send_email() and frappe.db.exists("Email Template", email_templates.TECHNICIAN_EN_ROUTE):
		message = get_email_template(email_templates.TECHNICIAN_EN_ROUTE, context)
		frappe.sendmail(
			recipients=[email],
			subject=message["subject"],
			message=message["message"],
			reference_doctype="Service Appointment",
			reference_name=doc.name,
		)
	if phone and sms.configured():
		text = _("Your technician {0} is on the way.").format(context["technician_name"])
		# After commit: the status change stands even when the SMS gateway does not answer.
		sms.send_after_commit(phone, text, "Support Plus: technician en route SMS not sent")


def make_maintenance_visit(doc) -> str:
	"""ERPNext's record of the visit, submitted: the work done by the technician's Sales Person."""
	item_code = serial_no = None
	if doc.issue:
		item_code, serial_no = frappe.db.get_value("Issue", doc.issue, ("item_code", "serial_no"))
	if doc.maintenance_schedule_detail:
		item_code, serial_no = frappe.db.get_value(
			"Maintenance Schedule Detail", doc.maintenance_schedule_detail, ("item_code", "serial_no")
		) or (item_code, serial_no)
	service_person = frappe.db.get_value("Service Technician", doc.technician, "sales_person")
	now = clock.now()
	visit = frappe.get_doc(
		{
			"doctype": "Maintenance Visit",
			"customer": doc.customer,
			"company": _company(doc),
			"mntc_date": getdate(now),
			"mntc_time": now.strftime("%H:%M:%S"),
			"completion_status": "Fully Completed",
			"maintenance_type": "Scheduled" if doc.maintenance_schedule else "Breakdown",
			"maintenance_schedule": doc.maintenance_schedule,
			"maintenance_schedule_detail": doc.maintenance_schedule_detail,
			"customer_address": doc.address,
			"contact_person": doc.contact,
			"customer_signature": doc.customer_signature,
			"customer_feedback": doc.customer_feedback,
			"purposes": [
				{
					"item_code": item_code,
					"serial_no": serial_no,
					"service_person": service_person,
					"work_done": doc.work_done,
					"prevdoc_doctype": "Service Appointment",
					"prevdoc_docname": doc.name,
					"maintenance_schedule_detail": doc.maintenance_schedule_detail,
				}
			],
		}
	)
	# Part of completing the appointment, which was checked: a technician has no Maintenance Visit rights.
	visit.flags.ignore_permissions = True
	visit.insert()
	visit.submit()
	return visit.name


def _company(doc) -> str:
	company = frappe.db.get_value("Issue", doc.issue, "company") if doc.issue else None
	return (
		company
		or frappe.defaults.get_user_default("Company")
		or frappe.db.get_single_value("Global Defaults", "default_company")
		or frappe.db.get_value("Company", {}, "name")
	)


def note_on_ticket(doc, visit: str) -> None:
	"""The ticket's timeline: the visit, who did it, the time spent (the ticket's time log) and the work."""
	if not doc.issue:
		return
	text = _("Visit {0} completed by {1}: Maintenance Visit {2}, {3} minutes. Work done: {4}").format(
		doc.name,
		_technician_name(doc.technician),
		visit,
		doc.time_spent_minutes or 0,
		frappe.utils.escape_html(doc.work_done or ""),
	)
	timeline.add_info(doc.issue, text)


def note_not_done(doc) -> None:
	"""The ticket's timeline: the visit was cancelled or the customer was not there, by whom and why."""
	if not doc.issue:
		return
	by = frappe.utils.get_fullname(frappe.session.user)
	if doc.status == NO_SHOW:
		text = _("Visit {0} ({1}): the customer was not there, reported by {2}.")
	else:
		text = _("Visit {0} ({1}) was cancelled by {2}.")
	text = text.format(doc.name, format_datetime(doc.scheduled_start), by)
	if (doc.status_reason or "").strip():
		text += " " + _("Reason: {0}").format(frappe.utils.escape_html(doc.status_reason.strip()))
	timeline.add_info(doc.issue, text)  # part of the appointment's change, which was checked


# -- free time ------------------------------------------------------------------------------------


def free_slots(
	technician: str | None = None,
	skill: str | None = None,
	from_date=None,
	days: int = 7,
	duration_minutes: int = 60,
) -> list[dict]:
	"""Bookable slots of `duration_minutes`, from `from_date` (a day: from its start, never before now)
	for `days` days: inside each technician's working windows, outside their booked appointments. One
	technician, or every Active technician (with `skill` when given). Slots follow each other from the
	start of a free stretch, on quarter hours; best read as "earliest first"."""
	days, duration_minutes = int(days or 7), int(duration_minutes or 60)
	if not 1 <= days <= 31:
		frappe.throw(_("Ask for 1 to 31 days of free slots."))
	if not 5 <= duration_minutes <= 24 * 60:
		frappe.throw(_("A slot lasts from 5 minutes to a day."))
	tz = get_system_timezone()
	now = clock.now()
	first = _range_start(from_date, now)
	range_start = to_timestamp(max(first, now), tz)
	range_end = to_timestamp(datetime.combine(getdate(first) + timedelta(days=days), datetime.min.time()), tz)
	step = duration_minutes * 60
	slots = []
	for tech in candidates(technician, skill):
		cal = _calendar(tech.name)
		busy = _busy(tech.name, from_timestamp(range_start, tz), from_timestamp(range_end, tz), tz)
		for a, b in _free(_windows(cal, range_start, range_end, tz), busy):
			t = _quarter(a)
			while t + step <= b:
				slots.append(
					{
						"technician": tech.name,
						"technician_name": tech.full_name,
						"user": tech.user,
						"start": from_timestamp(t, tz),
						"end": from_timestamp(t + step, tz),
					}
				)
				t += step
	slots.sort(key=lambda s: (s["start"], s["technician"]))
	return slots


def _range_start(from_date, now: datetime) -> datetime:
	"""A datetime (or a string with a time) is an instant; a date, a date string or None the start of
	that day (None: today)."""
	if isinstance(from_date, datetime) or (isinstance(from_date, str) and len(from_date.strip()) > 10):
		return clock.parse(from_date)
	return datetime.combine(getdate(clock.parse(from_date) if from_date else now), datetime.min.time())


def candidates(technician: str | None, skill: str | None) -> list:
	st = frappe.qb.DocType("Service Technician")
	query = frappe.qb.from_(st).select(st.name, st.full_name, st.user).orderby(st.name)
	if technician:
		query = query.where(st.name == technician)
	else:
		query = query.where(st.status == technicians.ACTIVE)
	if skill:
		row = frappe.qb.DocType("Service Technician Skill")
		with_skill = (
			frappe.qb.from_(row)
			.select(row.parent)
			.where((row.skill == skill) & (row.parenttype == "Service Technician"))
		)
		query = query.where(st.name.isin(with_skill))
	if frappe.session.user != "Administrator" and technicians.sees_only_own_profile(frappe.session.user):
		query = query.where(st.user == frappe.session.user)
	return query.run(as_dict=True)


def _windows(cal, start: float, end: float, tz: str) -> list[tuple[float, float]]:
	"""The technician's working intervals within [start, end)."""
	if cal is None:
		return [(start, end)]
	zone = ZoneInfo(cal.timezone)
	day = datetime.fromtimestamp(start, zone).date() - timedelta(days=1)
	last = datetime.fromtimestamp(end, zone).date()
	out = []
	while day <= last:
		for a, b in cal.day_windows(day):
			a, b = max(a, start), min(b, end)
			if b > a:
				out.append((a, b))
		day += timedelta(days=1)
	return sorted(out)


def _busy(technician: str, start: datetime, end: datetime, tz: str) -> list[tuple[float, float]]:
	rows = frappe.get_all(
		"Service Appointment",
		filters={
			"technician": technician,
			"status": ("in", BOOKED),
			"scheduled_start": ("<", end),
			"scheduled_end": (">", start),
		},
		fields=["scheduled_start", "scheduled_end"],
		order_by="scheduled_start asc",
		ignore_permissions=True,  # the caller may see the technician's free time, not the appointments
	)
	return [(to_timestamp(r.scheduled_start, tz), to_timestamp(r.scheduled_end, tz)) for r in rows]


def _free(windows: list[tuple[float, float]], busy: list[tuple[float, float]]) -> list[tuple[float, float]]:
	out = []
	for a, b in windows:
		for x, y in busy:
			if y <= a or x >= b:
				continue
			if x > a:
				out.append((a, x))
			a = max(a, y)
		if b > a:
			out.append((a, b))
	return out


def _quarter(ts: float) -> float:
	return -(-ts // 900) * 900


# -- calendar -------------------------------------------------------------------------------------


def calendar_events(start, end, filters=None) -> list[dict]:
	"""The desk calendar's events between start and end: the caller's readable appointments, coloured by
	status."""
	filters = list(filters or [])
	filters += [
		["Service Appointment", "scheduled_start", "<=", get_datetime(end)],
		["Service Appointment", "scheduled_end", ">=", get_datetime(start)],
	]
	rows = frappe.get_list(
		"Service Appointment",
		filters=filters,
		fields=["name", "scheduled_start", "scheduled_end", "status", "customer", "technician", "issue"],
		order_by="scheduled_start asc",
		limit_page_length=0,
	)
	out = []
	for r in rows:
		out.append(
			{
				"name": r.name,
				"scheduled_start": r.scheduled_start,
				"scheduled_end": r.scheduled_end,
				"status": r.status,
				"title": " · ".join(filter(None, (_technician_name(r.technician), r.customer, r.issue))),
				"color": COLORS.get(r.status),
			}
		)
	return out
