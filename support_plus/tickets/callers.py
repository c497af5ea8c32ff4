"""Who is calling: the Contacts a phone number belongs to, and the checks that tie a phone ticket to its
contact and customer (support_plus.tickets.intake).

Numbers are compared by their digits only, and by their last `SIGNIFICANT_DIGITS` digits, so
"+49 30 1234567", "0049-30-1234567" and "030 1234567" are the same number; a shorter number typed by
the agent matches the end of a stored one. Frappe's Contact keeps its numbers in the Contact Phone
table, with the primary ones copied to `phone` and `mobile_no`; all of them are searched.
"""

import re

import frappe
from frappe import _

SIGNIFICANT_DIGITS = 9  # a subscriber number without its country or trunk prefix
MIN_DIGITS = 4
MAX_MATCHES = 20


def digits(number: str | None) -> str:
	return re.sub(r"\D", "", number or "")


def find_contacts(number: str) -> list[dict]:
	"""The Contacts with `number` among their phone and mobile numbers, each with its customers:
	[{"contact", "full_name", "email_id", "phone", "customers": [...]}], best known first."""
	wanted = digits(number)[-SIGNIFICANT_DIGITS:]
	if len(wanted) < MIN_DIGITS:
		frappe.throw(_("Type at least {0} digits of the phone number.").format(MIN_DIGITS))
	pattern = f"%{wanted}"
	# REGEXP_REPLACE keeps the stored digits; the LIKE is on the end of them (no index can serve it:
	# Contacts are few next to tickets, and the lookup runs once per call).
	rows = frappe.db.sql(
		"""
		select c.name, c.full_name, c.email_id, c.phone, c.mobile_no, c.modified
		from `tabContact` c
		where c.name in (
			select p.parent from `tabContact Phone` p
			where p.parenttype = 'Contact' and regexp_replace(p.phone, '[^0-9]', '') like %(pattern)s
		)
		or regexp_replace(ifnull(c.phone, ''), '[^0-9]', '') like %(pattern)s
		or regexp_replace(ifnull(c.mobile_no, ''), '[^0-9]', '') like %(pattern)s
		order by c.modified desc
		limit %(limit)s
		""",
		{"pattern": pattern, "limit": MAX_MATCHES},
		as_dict=True,
	)
	customers = contact_customers([row.name for row in rows])
	return [
		{
			"contact": row.name,
			"full_name": row.full_name or row.name,
			"email_id": row.email_id,
			"phone": row.phone or row.mobile_no,
			"customers": customers.get(row.name, []),
		}
		for row in rows
	]


def contact_customers(contacts: list[str]) -> dict[str, list[str]]:
	"""{contact: [customers it is linked to]}"""
	if not contacts:
		return {}
	out = {}
	for contact, customer in frappe.get_all(
		"Dynamic Link",
		filters={
			"parenttype": "Contact",
			"parent": ("in", contacts),
			"link_doctype": "Customer",
		},
		fields=["parent", "link_name"],
		order_by="idx asc",
		as_list=True,
	):
		out.setdefault(contact, []).append(customer)
	return out


def caller(contact: str, customer: str | None) -> dict:
	"""The checked contact of a phone ticket: {"customer", "raised_by"}. The customer is the one chosen
	(the contact must belong to it) or the contact's own one; the ticket is raised by the contact's email,
	so replies go to the customer and not to the agent who typed it."""
	if not frappe.db.exists("Contact", contact):
		frappe.throw(_("Contact {0} does not exist.").format(frappe.bold(contact)), frappe.DoesNotExistError)
	frappe.has_permission("Contact", "read", doc=contact, throw=True)
	if customer and not frappe.db.exists("Customer", customer):
		frappe.throw(
			_("Customer {0} does not exist.").format(frappe.bold(customer)), frappe.DoesNotExistError
		)
	linked = contact_customers([contact]).get(contact, [])
	if customer and customer not in linked:
		frappe.throw(
			_("{0} is not a contact of customer {1}.").format(frappe.bold(contact), frappe.bold(customer))
		)
	if not customer and len(linked) > 1:
		frappe.throw(
			_("{0} is a contact of several customers ({1}): choose the customer.").format(
				frappe.bold(contact), ", ".join(linked)
			)
		)
	email = frappe.db.get_value("Contact", contact, "email_id")
	if not email:
		frappe.throw(
			_("Contact {0} has no email address: add one so that the replies reach them.").format(
				frappe.bold(contact)
			)
		)
	return {"customer": customer or (linked[0] if linked else None), "raised_by": email}


def new_contact(full_name: str | None, email: str | None, phone: str | None, customer: str | None) -> str:
	"""A caller not on file yet, added while they are on the line: a Contact of `customer` with their
	email (the replies go there) and number. An email that already belongs to a contact is that contact
	(no duplicate); the caller's checks then apply to it."""
	full_name = (full_name or "").strip()
	email = (email or "").strip().lower()
	if not full_name or not email:
		frappe.throw(_("A new caller needs a name and an email address."), frappe.MandatoryError)
	frappe.utils.validate_email_address(email, throw=True)
	if not customer:
		frappe.throw(_("Choose the customer the new caller belongs to."), frappe.MandatoryError)
	if not frappe.db.exists("Customer", customer):
		frappe.throw(
			_("Customer {0} does not exist.").format(frappe.bold(customer)), frappe.DoesNotExistError
		)
	existing = frappe.db.get_value("Contact Email", {"email_id": email, "parenttype": "Contact"}, "parent")
	if existing:
		return existing
	frappe.has_permission("Contact", "create", throw=True)
	first_name, _space, last_name = full_name.partition(" ")
	contact = frappe.get_doc(
		{
			"doctype": "Contact",
			"first_name": first_name,
			"last_name": last_name,
			"email_ids": [{"email_id": email, "is_primary": 1}],
			"phone_nos": [{"phone": phone, "is_primary_phone": 1}] if phone else [],
			"links": [{"link_doctype": "Customer", "link_name": customer}],
		}
	)
	return contact.insert().name
