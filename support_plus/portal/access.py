"""Who sees which ticket on the portal: the one rule, used by the pages, the portal API, website
permission checks and attachment downloads.

A portal user sees the tickets of their own Contact (and those they raised with their email). With
`portal_customer_wide_visibility` in Support Plus Settings, also every ticket of the Customers their
Contact is linked to. Nothing else. A ticket they may not see is answered exactly like one that does not
exist, so a request reveals nothing. Desk users keep their role permissions; this rule is for the portal.

A portal user is kept in their customer by what the support team set up, never by what they wrote
themselves: a Contact counts only when a desk user (or Frappe's signup) made it, portal users may not
link a Contact to a Customer, Supplier or other party (`guard_contact`), and through Frappe's generic
list endpoints they read no child-table rows (`portal_query_conditions`) and attach or reference no
file of a ticket they cannot see (`guard_file`).

Equipment (/support/equipment) follows from the same trusted Contacts: a portal user sees the serial
numbers registered (Serial No `customer`) to the Customers their Contact is linked to, and no other; a
serial they may not see is answered exactly like one that does not exist. On a serial's page they see
only the tickets the ticket rule above lets them see.
"""

import frappe
from frappe import _
from frappe.query_builder import Criterion

from support_plus.utils.roles import is_portal_user


def contacts_of(user: str) -> list[str]:
	"""The user's Contacts that the support side made: one a portal user created is not trusted."""
	contact = frappe.qb.DocType("Contact")
	contact_email = frappe.qb.DocType("Contact Email")
	owner = frappe.qb.DocType("User")
	trusted = (contact.owner.isin(("Administrator", "Guest"))) | (owner.user_type == "System User")
	by_link = (
		frappe.qb.from_(contact)
		.left_join(owner)
		.on(owner.name == contact.owner)
		.select(contact.name)
		.where((contact.user == user) & trusted)
	)
	by_email = (
		frappe.qb.from_(contact_email)
		.join(contact)
		.on(contact.name == contact_email.parent)
		.left_join(owner)
		.on(owner.name == contact.owner)
		.select(contact_email.parent)
		.where((contact_email.email_id == user) & (contact_email.parenttype == "Contact") & trusted)
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


def serial_customers(user: str) -> list[str]:
	"""The Customers whose equipment `user` sees on the portal (none for a visitor)."""
	return [] if user == "Guest" else customers_of(user)


def can_see_serial(serial_customer: str | None, user: str | None = None) -> bool:
	"""A serial registered to one of the user's Customers (an unregistered serial belongs to nobody)."""
	user = user or frappe.session.user
	return bool(serial_customer) and serial_customer in serial_customers(user)


def get_visible_serial(name: str) -> frappe._dict:
	"""The serial (name, item_code, customer), if the session user may see it on the portal; otherwise
	"not found", never "forbidden"."""
	if frappe.session.user == "Guest":
		raise frappe.PermissionError(_("Log in to see your equipment."))
	row = (
		frappe.db.get_value("Serial No", name, ["name", "item_code", "customer"], as_dict=True)
		if isinstance(name, str) and name
		else None
	)
	if not row or not can_see_serial(row.customer):
		raise frappe.DoesNotExistError(
			_("Serial No {0} not found.").format(frappe.utils.escape_html(name or ""))
		)
	return row


def has_website_permission(doc, ptype=None, user=None, verbose=False) -> bool:
	"""Issue `has_website_permission` (ANDed with ERPNext's, which lets any contact see the whole customer)."""
	user = user or frappe.session.user
	if not is_portal_user(user):
		return True  # desk users: their role permissions decide
	return can_see(doc, user)


def guard_contact(doc, method=None) -> None:
	"""Contact `validate`: a portal user may edit their own Contact, but not link it (or a new one) to a
	Customer or any other party: that would hand them the party's tickets and documents."""
	if frappe.session.user == "Guest" or not is_portal_user() or frappe.flags.in_install:
		return  # Guest: Frappe's signup makes the new user's Contact, unlinked
	before = doc.get_doc_before_save()
	old = {(link.link_doctype, link.link_name) for link in (before.links if before else [])}
	if {(link.link_doctype, link.link_name) for link in doc.links} - old:
		frappe.throw(_("Only the support team can link a contact to a customer."), frappe.PermissionError)
	if doc.user and doc.user != frappe.session.user and (not before or before.user != doc.user):
		frappe.throw(_("A contact can only be linked to your own user."), frappe.PermissionError)


def guard_file(doc, method=None) -> None:
	"""File `validate`: a portal user attaches files only to tickets they see."""
	if not is_portal_user() or frappe.flags.in_install:
		return
	user = frappe.session.user
	if doc.attached_to_doctype == "Communication" and doc.attached_to_name:
		reference = frappe.db.get_value(
			"Communication", doc.attached_to_name, ["reference_doctype", "reference_name"], as_dict=True
		)
		if not reference or reference.reference_doctype != "Issue":
			frappe.throw(_("You cannot attach files to this message."), frappe.PermissionError)
		_require_visible(reference.reference_name, user)
	elif doc.attached_to_doctype == "Issue":
		_require_visible(doc.attached_to_name, user)


def file_permission(doc, ptype: str | None = None, user: str | None = None) -> bool | None:
	"""File `has_permission`: a ticket's private file is read by no portal user who sees none of the
	tickets holding it, through whichever File record points at it; and a portal user makes no new File
	record for such a file without uploading its content (None: no objection, Frappe's rules apply).

	Frappe checks "create" before it loads a record's content from its URL, so a record made from a URL
	alone is told apart from an upload of the same bytes (which Frappe stores once, under one URL)."""
	user = user or frappe.session.user
	if not (doc.get("file_url") or "").startswith("/private/") or not is_portal_user(user):
		return None
	if ptype == "create" and doc.get("content"):
		return None
	tickets = _tickets_holding(doc.file_url)
	if not tickets:
		return None
	return None if any(_sees_ticket(ticket, user) for ticket in tickets) else False


def _tickets_holding(file_url: str) -> set[str]:
	"""The tickets a file belongs to, directly or through one of their messages."""
	file = frappe.qb.DocType("File")
	comm = frappe.qb.DocType("Communication")
	direct = (
		frappe.qb.from_(file)
		.select(file.attached_to_name)
		.where((file.file_url == file_url) & (file.attached_to_doctype == "Issue"))
	)
	via_message = (
		frappe.qb.from_(file)
		.join(comm)
		.on(comm.name == file.attached_to_name)
		.select(comm.reference_name)
		.where(
			(file.file_url == file_url)
			& (file.attached_to_doctype == "Communication")
			& (comm.reference_doctype == "Issue")
		)
	)
	return set((direct + via_message).run(pluck=True))


def _sees_ticket(ticket: str | None, user: str) -> bool:
	issue = frappe.db.get_value("Issue", ticket, ["raised_by", "contact", "customer"], as_dict=True)
	return bool(issue) and can_see(issue, user)


def _require_visible(ticket: str | None, user: str) -> None:
	if not _sees_ticket(ticket, user):
		frappe.throw(_("Ticket {0} not found.").format(ticket), frappe.DoesNotExistError)


def portal_query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	"""`permission_query_conditions` for every doctype: a portal user lists no child-table rows.

	Frappe checks a child table's list against its parent doctype only, so Contact Email, Dynamic Link
	or Has Role rows of every parent are readable to anyone who may read their own Contact or User.
	The portal never lists child rows; desk users are not affected."""
	if doctype and frappe.get_meta(doctype).istable and is_portal_user(user):
		return "1=0"
	return ""


def ensure_indexes() -> None:
	"""Install/migrate: the portal lists a user's tickets by contact or sender, newest first."""
	for columns in (["contact", "creation"], ["raised_by", "creation"], ["customer", "creation"]):
		frappe.db.add_index("Issue", columns)
