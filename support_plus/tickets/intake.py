"""Ways a ticket is opened from the desk: from a Project, and by phone while the customer is on the line."""

import frappe
from frappe import _
from frappe.desk.form.assign_to import add as add_assignment
from frappe.utils import strip_html

from support_plus.tickets import callers

PHONE = "Phone"


def create_from_project(project: str, subject: str, description: str | None = None) -> str:
	"""A ticket for a project, with the project's customer and company; the caller's rights apply."""
	if not frappe.db.exists("Project", project):
		frappe.throw(_("Project {0} does not exist.").format(frappe.bold(project)), frappe.DoesNotExistError)
	customer, company = frappe.db.get_value("Project", project, ["customer", "company"])
	return _insert(
		{
			"subject": subject,
			"description": description,
			"project": project,
			"customer": customer,
			"company": company,
			"channel": "Manual",
		}
	)


def create_phone_ticket(
	subject: str,
	customer: str | None = None,
	contact_phone: str | None = None,
	priority: str | None = None,
	issue_type: str | None = None,
	description: str | None = None,
	contact: str | None = None,
	new_contact_name: str | None = None,
	new_contact_email: str | None = None,
) -> str:
	"""Saved while the agent is on the call: only a subject is required. With a `contact` (found by its
	number, support_plus.tickets.callers) the ticket is raised by the contact's email and linked to the
	contact and its customer. A caller who is not on file yet is added as a Contact of `customer` from
	`new_contact_name` and `new_contact_email` (and the number). The agent who took the call is assigned
	(a Frappe ToDo)."""
	if contact_phone:
		frappe.utils.validate_phone_number(contact_phone, throw=True)
	# One unit: a ticket whose caller cannot be assigned (an Inactive technician) is not left behind, nor
	# the contact made for it.
	frappe.db.savepoint("support_plus_phone_ticket")
	try:
		if not contact and (new_contact_name or new_contact_email):
			contact = callers.new_contact(new_contact_name, new_contact_email, contact_phone, customer)
		values = {"customer": customer}
		if contact:
			values.update(callers.caller(contact, customer), contact=contact)
			contact_phone = contact_phone or frappe.db.get_value("Contact", contact, "phone") or None
		name = _insert(
			{
				**values,
				"subject": subject,
				"contact_phone": contact_phone,
				"priority": priority,
				"issue_type": issue_type,
				"description": description,
				"channel": PHONE,
			}
		)
		add_assignment(
			{
				"assign_to": [frappe.session.user],
				"doctype": "Issue",
				"name": name,
				"description": _("Phone call taken by {0}").format(frappe.session.user),
			}
		)
	except Exception:
		frappe.db.rollback(save_point="support_plus_phone_ticket")
		raise
	return name


def _insert(values: dict) -> str:
	subject = strip_html(values.get("subject") or "").strip()
	if not subject:
		frappe.throw(_("A ticket needs a subject."), frappe.MandatoryError)
	return frappe.get_doc({"doctype": "Issue", **values, "subject": subject}).insert().name
