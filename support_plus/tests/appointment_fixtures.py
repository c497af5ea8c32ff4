"""Customers, tickets and appointments for the appointment tests (support_plus.dispatch.appointments)."""

import frappe

from support_plus.tests.utils import make_customer, make_item

CUSTOMER = "SP Field Customer"
CONTACT_EMAIL = "field-contact@appointments.example"
ITEM = "SP-FIELD-BOILER"


def make_contact(customer: str = CUSTOMER, email: str = CONTACT_EMAIL, mobile: str = "+4915100000001"):
	existing = frappe.db.get_value("Contact Email", {"email_id": email, "parenttype": "Contact"}, "parent")
	if existing:
		return existing
	return (
		frappe.get_doc(
			{
				"doctype": "Contact",
				"first_name": "Field",
				"last_name": "Contact",
				"email_ids": [{"email_id": email, "is_primary": 1}],
				"phone_nos": [{"phone": mobile, "is_primary_mobile_no": 1}],
				"links": [{"link_doctype": "Customer", "link_name": customer}],
			}
		)
		.insert(ignore_permissions=True)
		.name
	)


def make_address(customer: str = CUSTOMER) -> str:
	existing = frappe.db.get_value("Address", {"address_title": f"{customer} site"})
	if existing:
		return existing
	return (
		frappe.get_doc(
			{
				"doctype": "Address",
				"address_title": f"{customer} site",
				"address_type": "Billing",
				"address_line1": "Hauptstraße 5",
				"city": "Berlin",
				"pincode": "10115",
				"country": "Germany"
				if frappe.db.exists("Country", "Germany")
				else frappe.db.get_value("Country", {}),
				"links": [{"link_doctype": "Customer", "link_name": customer}],
			}
		)
		.insert(ignore_permissions=True)
		.name
	)


def field_ticket(subject: str = "The boiler is leaking"):
	customer = make_customer(CUSTOMER)
	return frappe.get_doc(
		{
			"doctype": "Issue",
			"subject": subject,
			"raised_by": CONTACT_EMAIL,
			"customer": customer,
			"contact": make_contact(customer),
			"site_address": make_address(customer),
			"item_code": make_item(ITEM, is_stock_item=False),
		}
	).insert(ignore_permissions=True)


def book(technician, start: str, end: str, **values):
	"""An appointment, saved as the session user (their permissions and rules apply)."""
	return frappe.get_doc(
		{
			"doctype": "Service Appointment",
			"technician": technician.name if hasattr(technician, "name") else technician,
			"scheduled_start": start,
			"scheduled_end": end,
			**values,
		}
	).insert()


SIGNATURE = (
	"data:image/png;base64,"
	"iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)
