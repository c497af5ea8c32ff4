"""What the technician's page /field posts (support_plus.dispatch.field). Each method finds the appointment
only when the session user is its technician: any other appointment is "not found" (404)."""

import frappe

from support_plus.api.arguments import required
from support_plus.dispatch import field


@frappe.whitelist(methods=["POST"])
def set_appointment_status(
	appointment: str | None = None,
	status: str | None = None,
	work_done: str | None = None,
	time_spent_minutes: int | None = None,
	signature: str | None = None,
	feedback: str | None = None,
	reason: str | None = None,
) -> str:
	"""En Route, On Site, or Completed with the work done, the minutes spent, the customer's signature
	(a PNG data URL) and feedback; or Cancelled / No Show with a `reason` (noted on the ticket's
	timeline). Returns the new status."""
	return field.set_status(
		required(appointment, "appointment"),
		required(status, "status"),
		frappe.session.user,
		work_done,
		time_spent_minutes,
		signature,
		feedback=feedback,
		reason=reason,
	)


@frappe.whitelist(methods=["POST"])
def add_appointment_note(
	appointment: str | None = None, note: str | None = None, photos: str | list | None = None
) -> None:
	"""A note and/or photos, `[{"filename": ..., "data": <base64>}]`, on the visit's ticket."""
	field.add_note(required(appointment, "appointment"), frappe.session.user, note, photos)


@frappe.whitelist(methods=["GET"])  # reads only
def my_appointments_today() -> list[dict]:
	"""The session user's own appointments of today, in order: [{"name", "when", "status", "customer",
	"issue", "subject", "address", "map_link"}]; empty for a user without a technician profile."""
	return field.todays_appointments(frappe.session.user)
