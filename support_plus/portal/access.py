"""Who sees which ticket on the portal: the one rule, used by the pages, the portal API, website
permission checks and attachment downloads.

A portal user sees the tickets of their own Contact (and those they raised with their email). With
`portal_customer_wide_visibility` in Support Plus Settings, also every ticket of the Customers their
Contact is linked to. Nothing else. A ticket they may not see is answered exactly like one that does not
exist, so a request reveals nothing. Desk users keep their role permissions; this rule is for the portal.
"""

import frappe
from frappe import _
from frappe.query_builder import Criterion


def contacts_of(user: str) -> list[str]:
	contact = frappe.qb.DocType("Contact")
	contact_email = frappe.qb.DocType("Contact Email")
	by_link = frappe.qb.from_(contact).select(contact.name).where(contact.user == user)
	by_email = (
		frappe.qb.from_(contact_email)
		.select(contact_email.parent)
		.where((contact_email.email_id == user) & (contact_email.parenttype == "Contact"))
	)
	return sorted(set((by_link + by_email).run(pluck=True)))  # one round trip: UNION


def customers_of(user: str, contacts: list[str] | None = None) -> list[str]:
	contacts = contacts if contacts is not None else contacts_of(user)
	if not contacts:
		return []
	link = frappe.qb.DocType("Dynamic Link")
	return (
		frappe.qb.from_(link)
		.select(link.link_name)
		.distinct()
		.where(
			(link.parenttype == "Contact") & link.parent.isin(contacts) & (link.link_doctype == "Customer")
		)
	).run(pluck=True)


def customer_wide() -> bool:
	return bool(
		frappe.get_cached_value(
			"Support Plus Settings", "Support Plus Settings", "portal_customer_wide_visibility"
		)
	)


def ticket_condition(user: str):
	"""The tickets `user` sees, as a query condition on Issue."""
	issue = frappe.qb.DocType("Issue")
	contacts = contacts_of(user)
	conditions = [issue.raised_by == user]
	if contacts:
		conditions.append(issue.contact.isin(contacts))
	if customer_wide() and (customers := customers_of(user, contacts)):
		conditions.append(issue.customer.isin(customers))
	return Criterion.any(conditions)


def can_see(doc, user: str | None = None) -> bool:
	user = user or frappe.session.user
	if user == "Guest":
		return False
	if doc.raised_by and doc.raised_by.lower() == user.lower():
		return True
	contacts = contacts_of(user)
	if doc.contact and doc.contact in contacts:
		return True
	return bool(customer_wide() and doc.customer and doc.customer in customers_of(user, contacts))


def get_visible_ticket(name: str):
	"""The ticket, if the session user may see it on the portal; otherwise "not found", never "forbidden"."""
	if frappe.session.user == "Guest":
		raise frappe.PermissionError(_("Log in to see your tickets."))
	doc = frappe.get_doc("Issue", name) if name and frappe.db.exists("Issue", name) else None
	if not doc or not can_see(doc):
		raise frappe.DoesNotExistError(_("Ticket {0} not found.").format(name))
	return doc


def has_website_permission(doc, ptype=None, user=None, verbose=False) -> bool:
	"""Issue `has_website_permission` (ANDed with ERPNext's, which lets any contact see the whole customer)."""
	user = user or frappe.session.user
	if frappe.get_cached_value("User", user, "user_type") == "System User":
		return True  # desk users: their role permissions decide
	return can_see(doc, user)


def ensure_indexes() -> None:
	"""Install/migrate: the portal lists a user's tickets by contact or sender, newest first."""
	for columns in (["contact", "creation"], ["raised_by", "creation"], ["customer", "creation"]):
		frappe.db.add_index("Issue", columns)
