"""Ways a ticket is opened from the desk: from a Project, and by phone while the customer is on the line."""

import frappe
from frappe import _
from frappe.utils import strip_html

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
) -> str:
	"""Saved while the agent is on the call: only a subject is required."""
	if contact_phone:
		frappe.utils.validate_phone_number(contact_phone, throw=True)
	return _insert(
		{
			"subject": subject,
			"customer": customer,
			"contact_phone": contact_phone,
			"priority": priority,
			"issue_type": issue_type,
			"description": description,
			"channel": PHONE,
		}
	)


def _insert(values: dict) -> str:
	subject = strip_html(values.get("subject") or "").strip()
	if not subject:
		frappe.throw(_("A ticket needs a subject."), frappe.MandatoryError)
	return frappe.get_doc({"doctype": "Issue", **values, "subject": subject}).insert().name
