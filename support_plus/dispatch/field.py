"""The technician's phone page, /field: their appointments, and what they do on a visit.

Only the technician's own work is reachable: a user without a Service Technician profile, and an
appointment of another technician, are answered exactly like a page or record that does not exist (404),
so a request reveals nothing (the rule support_plus.portal.access applies to customers). The changes go
through the appointment's own rules (support_plus.dispatch.appointments) and Frappe's permissions as the
technician: nothing here saves with `ignore_permissions` but the ticket's comments and photos, which the
technician adds to a ticket of their own appointment.

On a visit the technician sets En Route, On Site and Completed (with the work done, the minutes spent and
the customer's signature, drawn on the phone and stored as the Signature field's PNG data URL), or
Cancelled / No Show with a reason (the ticket's timeline notes it: support_plus.dispatch.appointments),
and adds notes and photos. A note goes on the appointment and, as a Comment, on the ticket's timeline; photos are
private files of the ticket (of the appointment when it has no ticket) under the portal's upload rules
(support_plus.tickets.attachments). The time spent is the appointment's `time_spent_minutes`, written on
the ticket's timeline with the completed visit (support_plus.dispatch.appointments.note_on_ticket).
"""

import re
from datetime import datetime, timedelta
from urllib.parse import quote_plus

import frappe
from frappe import _
from frappe.utils import escape_html, format_datetime, get_datetime, get_fullname, getdate, strip_html
from frappe.utils.html_utils import sanitize_html

from support_plus.dispatch import appointments as appt
from support_plus.tickets import attachments
from support_plus.tickets.conversation import conversation_query
from support_plus.utils import clock

# What the technician may set from the page, and from which status.
NEXT = {
	appt.EN_ROUTE: (appt.SCHEDULED,),
	appt.ON_SITE: (appt.SCHEDULED, appt.EN_ROUTE),
	appt.COMPLETED: (appt.ON_SITE,),
}
# The visit did not happen: from which status, always with a reason.
NOT_DONE = {
	appt.CANCELLED: (appt.SCHEDULED, appt.EN_ROUTE),
	appt.NO_SHOW: (appt.SCHEDULED, appt.EN_ROUTE, appt.ON_SITE),
}
UPCOMING_DAYS = 14
SIGNATURE_PREFIX = "data:image/png;base64,"
MAX_SIGNATURE = 500_000  # characters of data URL


def technician_of(user: str) -> str:
	"""The user's technician profile; none is 'not found'."""
	name = frappe.db.get_value("Service Technician", {"user": user}) if user != "Guest" else None
	if not name:
		raise frappe.DoesNotExistError(_("Not found."))
	return name


def own_appointment(name: str, user: str):
	"""The appointment, if `user` is its technician; otherwise 'not found', never 'forbidden'."""
	technician_of(user)
	if not name or frappe.db.get_value("Service Appointment", name, "technician_user") != user:
		raise frappe.DoesNotExistError(_("Appointment {0} not found.").format(escape_html(name or "")))
	return frappe.get_doc("Service Appointment", name)


def address_lines(address_display: str | None) -> list[str]:
	"""The address as plain lines (Frappe's address display is HTML, one <br> a line)."""
	parts = re.split(r"<br\s*/?>|\n", address_display or "", flags=re.IGNORECASE)
	return [line for line in (strip_html(p).strip() for p in parts) if line]


def map_link(address_display: str | None) -> str | None:
	"""The address on OpenStreetMap (its search, so any phone opens it without an app or a key)."""
	lines = address_lines(address_display)
	return f"https://www.openstreetmap.org/search?query={quote_plus(', '.join(lines))}" if lines else None


def day_view(user: str) -> dict:
	"""Today's appointments (all of them) and the booked ones of the next two weeks, in order."""
	technician = technician_of(user)
	today = datetime.combine(clock.today(), datetime.min.time())
	rows = frappe.get_all(
		"Service Appointment",
		filters={
			"technician": technician,
			"scheduled_end": (">=", today),
			"scheduled_start": ("<", today + timedelta(days=UPCOMING_DAYS + 1)),
		},
		fields=["name", "scheduled_start", "scheduled_end", "status", "customer", "issue", "address_display"],
		order_by="scheduled_start asc",
		limit=200,
	)
	subjects = dict(
		frappe.get_all(
			"Issue", filters={"name": ("in", [r.issue for r in rows if r.issue] or ["-"])},
			fields=["name", "subject"], as_list=True,
		)
	)  # fmt: skip
	today_rows, upcoming = [], []
	for r in rows:
		r.subject = subjects.get(r.issue)
		r.map_link = map_link(r.address_display)
		r.address = ", ".join(address_lines(r.address_display))
		r.when = format_datetime(r.scheduled_start, "HH:mm") + "–" + format_datetime(r.scheduled_end, "HH:mm")
		if getdate(r.scheduled_start) <= clock.today():
			today_rows.append(r)
		elif r.status in appt.BOOKED:
			r.day = format_datetime(r.scheduled_start, "EEE d MMM")
			upcoming.append(r)
	return {
		"technician_name": frappe.db.get_value("Service Technician", technician, "full_name"),
		"today": today_rows,
		"upcoming": upcoming,
	}


TODAY_FIELDS = ("name", "when", "status", "customer", "issue", "subject", "address", "map_link")


def todays_appointments(user: str) -> list[dict]:
	"""The user's appointments of today in order, as /field lists them (none without a technician
	profile): the "My Work" workspace shows them in the desk."""
	try:
		rows = day_view(user)["today"]
	except frappe.DoesNotExistError:
		return []
	return [{field: row.get(field) for field in TODAY_FIELDS} for row in rows]


def appointment_view(name: str, user: str) -> dict:
	doc = own_appointment(name, user)
	ticket = history = None
	if doc.issue:
		ticket = frappe.db.get_value(
			"Issue", doc.issue, ("name", "subject", "description", "status", "opening_date"), as_dict=True
		)
		ticket.description = sanitize_html(ticket.description or "")
		comm = frappe.qb.DocType("Communication")
		history = (
			conversation_query(doc.issue)
			.select(comm.sender_full_name, comm.sender, comm.content, comm.creation, comm.sent_or_received)
			.run(as_dict=True)
		)
		for message in history:
			message.content = sanitize_html(message.content or "")
	return {
		"appointment": doc,
		"ticket": ticket,
		"history": history or [],
		"map_link": map_link(doc.address_display),
		"address_lines": address_lines(doc.address_display),
		"when": format_datetime(doc.scheduled_start, "EEE d MMM HH:mm")
		+ "–"
		+ format_datetime(doc.scheduled_end, "HH:mm"),
		"booked_minutes": int(
			(get_datetime(doc.scheduled_end) - get_datetime(doc.scheduled_start)).total_seconds() // 60
		),
		"actions": [status for status, since in NEXT.items() if doc.status in since],
		"not_done_actions": [status for status, since in NOT_DONE.items() if doc.status in since],
		"photos": frappe.get_all(
			"File",
			filters={
				"attached_to_doctype": "Issue" if doc.issue else "Service Appointment",
				"attached_to_name": doc.issue or doc.name,
			},
			fields=["name", "file_name"],
			order_by="creation asc",
		),
	}


def set_status(
	name: str,
	status: str,
	user: str,
	work_done: str | None = None,
	time_spent_minutes: int | None = None,
	signature: str | None = None,
	feedback: str | None = None,
	reason: str | None = None,
) -> str:
	"""The technician moves their appointment on: En Route, On Site, then Completed with the work (and the
	customer's signature and feedback, kept on the Maintenance Visit); or Cancelled / No Show with a
	reason."""
	doc = own_appointment(name, user)
	allowed = NEXT.get(status) or NOT_DONE.get(status)
	if not allowed:
		frappe.throw(_("{0} cannot be set here.").format(escape_html(status or "")))
	if doc.status not in allowed:
		frappe.throw(
			_("Appointment {0} is {1}: it cannot become {2}.").format(doc.name, _(doc.status), _(status))
		)
	if status in NOT_DONE:
		reason = reason.strip() if isinstance(reason, str) else ""
		if not reason:
			frappe.throw(_("Say why the visit is {0}.").format(_(status)), frappe.MandatoryError)
		doc.status_reason = reason
	doc.status = status
	if status == appt.COMPLETED:
		doc.work_done = (work_done or "").strip()
		doc.time_spent_minutes = int(time_spent_minutes or 0)
		if signature:
			if not isinstance(signature, str) or not signature.startswith(SIGNATURE_PREFIX):
				frappe.throw(_("The signature could not be read."))
			if len(signature) > MAX_SIGNATURE:
				frappe.throw(_("The signature is too large."))
			doc.customer_signature = signature
		if feedback and feedback.strip():
			doc.customer_feedback = feedback.strip()
	doc.save()  # as the technician: Frappe's permissions and the appointment's rules
	return doc.status


def add_note(name: str, user: str, note: str | None = None, photos=None) -> None:
	"""A note (on the appointment and the ticket's timeline) and photos (private files of the ticket)."""
	doc = own_appointment(name, user)
	note = (note or "").strip()
	files = attachments.parse(photos)
	if not note and not files:
		frappe.throw(_("Write a note or choose a photo."))
	if note:
		stamp = format_datetime(clock.now(), "d MMM HH:mm")
		doc.notes = "\n".join(filter(None, (doc.notes, f"{stamp} {note}")))
		doc.save()
		if doc.issue:
			frappe.get_doc(
				{
					"doctype": "Comment",
					"comment_type": "Comment",
					"reference_doctype": "Issue",
					"reference_name": doc.issue,
					"comment_email": user,
					"comment_by": get_fullname(user),
					"content": _("Note from the visit {0}: {1}").format(doc.name, escape_html(note)),
				}
			).insert(ignore_permissions=True)  # the technician's own visit, checked above
	if files:
		if doc.issue:
			attachments.attach(doc.issue, files)
		else:
			attachments.attach(doc.name, files, doctype="Service Appointment")
