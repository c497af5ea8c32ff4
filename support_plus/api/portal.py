"""What a customer does on the portal (/support). Every function works only on tickets the caller may see
(support_plus.portal.access); a ticket they may not see is reported as not found."""

import frappe
from frappe import _
from frappe.rate_limiter import rate_limit
from frappe.utils import escape_html, strip_html

from support_plus.api.arguments import required
from support_plus.portal.access import can_see_serial, contacts_of, customers_of, get_visible_ticket
from support_plus.tickets import attachments as ticket_attachments
from support_plus.tickets.conversation import post_message
from support_plus.tickets.lifecycle import CLOSED, OPEN, RESOLVED
from support_plus.tickets.notifications import acknowledge
from support_plus.tickets.rating import check_feedback_token, record_rating


def _logged_in() -> str:
	if frappe.session.user == "Guest":
		raise frappe.PermissionError(_("Log in to use the support portal."))
	return frappe.session.user


@frappe.whitelist(methods=["POST"])
def create_ticket(
	subject: str | None = None,
	description: str | None = None,
	priority: str | None = None,
	issue_type: str | None = None,
	item_code: str | None = None,
	serial_no: str | None = None,
	attachments: str | list | None = None,
) -> dict:
	"""Open a ticket as the logged-in customer; returns its number and tracking link."""
	user = _logged_in()
	subject = strip_html(subject or "").strip()
	description = (description or "").strip()
	if not subject or not description:
		frappe.throw(_("A ticket needs a subject and a description."), frappe.MandatoryError)
	files = ticket_attachments.parse(attachments)
	if priority and not frappe.db.get_single_value("Support Plus Settings", "portal_allow_priority"):
		priority = None  # the support team sets priorities
	for doctype, value in (
		("Issue Priority", priority),
		("Issue Type", issue_type),
		("Item", item_code),
		("Serial No", serial_no),
	):
		if value and not frappe.db.exists(doctype, value):
			frappe.throw(_("{0} {1} does not exist.").format(_(doctype), frappe.bold(value)))
	contacts = contacts_of(user)
	customers = customers_of(user, contacts)
	customer = customers[0] if len(customers) == 1 else None
	if serial_no and (owner := frappe.db.get_value("Serial No", serial_no, "customer")):
		# Another customer's serial is answered like an unknown one (support_plus.portal.access).
		if not can_see_serial(owner, user):
			frappe.throw(_("{0} {1} does not exist.").format(_("Serial No"), frappe.bold(serial_no)))
		customer = owner  # the ticket is the equipment owner's, also for a contact of several customers
	doc = frappe.get_doc(
		{
			"doctype": "Issue",
			"subject": subject,
			"description": escape_html(description).replace("\n", "<br>"),
			"raised_by": user,
			"contact": contacts[0] if contacts else None,
			"customer": customer,
			"priority": priority,
			"issue_type": issue_type,
			"item_code": item_code,
			"serial_no": serial_no,
			"channel": "Web Portal",
			"via_customer_portal": 1,
		}
	)
	doc.insert(ignore_permissions=True)  # the portal user has no desk rights on Issue: checked above
	ticket_attachments.attach(doc.name, files)
	acknowledge(doc.name)
	return {"name": doc.name, "route": f"/support/tickets/{doc.name}"}


@frappe.whitelist(methods=["POST"])
def add_comment(
	ticket: str | None = None, message: str | None = None, attachments: str | list | None = None
) -> str:
	"""Write to support on a ticket: a message in the ticket's conversation (reopen rules apply)."""
	user = _logged_in()
	doc = get_visible_ticket(required(ticket, "ticket"))
	message = (message or "").strip()
	if not message:
		frappe.throw(_("Write a message."), frappe.MandatoryError)
	files = ticket_attachments.parse(attachments)
	comm = post_message(doc, escape_html(message).replace("\n", "<br>"), user, sent=False, medium="Other")
	# A closed ticket's message opens a new one: attach there.
	ticket_attachments.attach(comm.reference_name, files)
	return comm.reference_name


@frappe.whitelist(methods=["POST"])
def accept_resolution(ticket: str | None = None) -> None:
	_logged_in()
	doc = _resolved(ticket)
	doc.status = CLOSED
	doc.save(ignore_permissions=True)
	doc.add_comment("Info", _("The customer accepted the resolution."))


@frappe.whitelist(methods=["POST"])
def reject_resolution(ticket: str | None = None, reason: str | None = None) -> None:
	"""The problem is not solved: the ticket is reopened with the customer's reason in its conversation."""
	_logged_in()
	doc = _resolved(ticket)
	if not (reason or "").strip():
		frappe.throw(_("Tell us what is still wrong."), frappe.MandatoryError)
	add_comment(doc.name, _("Not solved: {0}").format(reason.strip()))  # a message on Resolved reopens it
	if frappe.db.get_value("Issue", doc.name, "status") != OPEN:
		doc.reload()
		doc.status = OPEN
		doc.save(ignore_permissions=True)


@frappe.whitelist(methods=["POST"])
def rate(ticket: str | None = None, rating: int | None = None, feedback: str | None = None) -> None:
	"""1 to 5 stars and a comment, once the ticket is resolved or closed."""
	_logged_in()
	record_rating(get_visible_ticket(required(ticket, "ticket")), required(rating, "rating"), feedback or "")


@frappe.whitelist(allow_guest=True, methods=["POST"])
@rate_limit(limit=10, seconds=60 * 60)
def feedback_by_link(
	ticket: str | None = None, token: str | None = None, feedback: str | None = None
) -> None:
	"""The comment after a star link of the resolution email (no login: the link's token proves it)."""
	check_feedback_token(required(ticket, "ticket"), required(token, "token"))
	doc = frappe.get_doc("Issue", ticket)
	record_rating(doc, doc.customer_rating or 0, feedback or "")


@frappe.whitelist()
def download_attachment(file: str | None = None) -> None:
	"""A file attached to a ticket the caller may see (the desk's /private/files rules know no portal),
	always as a download."""
	_logged_in()
	if not file:
		frappe.throw(_("Which file? Give its name."), frappe.ValidationError)
	row = frappe.db.get_value("File", file, ["attached_to_doctype", "attached_to_name"], as_dict=True)
	if not row or row.attached_to_doctype != "Issue":
		raise frappe.DoesNotExistError(_("File not found."))
	get_visible_ticket(row.attached_to_name)
	ticket_attachments.send_as_download(frappe.get_doc("File", file))


def _resolved(ticket: str | None):
	doc = get_visible_ticket(required(ticket, "ticket"))
	if doc.status != RESOLVED:
		frappe.throw(_("Ticket {0} is {1}, not resolved.").format(doc.name, _(doc.status)))
	return doc
