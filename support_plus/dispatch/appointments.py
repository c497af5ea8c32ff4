"""Service Appointments: a technician's booked visits (rules filled in below)."""

import frappe
from frappe import _
from frappe.utils import get_datetime


def validate(doc) -> None:
	if get_datetime(doc.scheduled_end) <= get_datetime(doc.scheduled_start):
		frappe.throw(_("The appointment must end after it starts."))


def on_update(doc) -> None:
	pass
