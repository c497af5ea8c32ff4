"""Reopening tickets: by a customer's message, and by a Support Manager.

The product's rule (the seeds disagree): a message from the customer on a Replied, Pending Customer or
Resolved ticket puts it back to Open (a Replied or Resolved one counts as reopened); on In Progress or
Pending Parts it leaves the status alone; a Closed or Cancelled ticket is never reopened by a message, the
message opens a new ticket that follows the closed one. A bounce or auto-reply changes nothing. Only Support Manager or System Manager reopen a
Closed ticket, through `reopen`.

Frappe itself sets an Issue to Open on every received Communication (communication.py,
update_parent_document_on_communication, with db_set: no validation). The `before_insert` hook below decides
first; the `on_update` hook runs after Frappe's and puts back a status that must not change.
"""

import frappe
from frappe import _

from support_plus.tickets.lifecycle import (
	DONE,
	FINAL,
	IN_PROGRESS,
	OPEN,
	PENDING_CUSTOMER,
	PENDING_PARTS,
	REPLIED,
	RESOLVED,
)
from support_plus.utils.roles import is_manager

# The customer's answer is what these statuses wait for.
ANSWER_REOPENS = frozenset((REPLIED, PENDING_CUSTOMER, RESOLVED))
# Work goes on whatever the customer writes.
ANSWER_KEEPS = frozenset((IN_PROGRESS, PENDING_PARTS))


def reopen(issue: str, reason: str) -> None:
	"""Reopen a Closed, Cancelled or Resolved ticket (managers only); the reason goes on the timeline."""
	reason = (reason or "").strip()
	if not is_manager():
		frappe.throw(_("Only a Support Manager can reopen a ticket."), frappe.PermissionError)
	if not reason:
		frappe.throw(
			_("Give a reason to reopen ticket {0}.").format(frappe.bold(issue)), title=_("Reason Required")
		)
	doc = frappe.get_doc("Issue", issue)
	doc.check_permission("write")
	if doc.status not in DONE:
		frappe.throw(_("Ticket {0} is {1}, not closed.").format(frappe.bold(issue), _(doc.status)))
	doc.status = OPEN
	doc.flags.support_plus_reopen = True
	doc.save()
	doc.add_comment("Info", _("Reopened: {0}").format(frappe.utils.escape_html(reason)))


def route_incoming_message(comm, method=None) -> None:
	"""Communication `before_insert`: decide what a customer's message does to its ticket."""
	if not _is_customer_message(comm):
		return
	status = frappe.db.get_value("Issue", comm.reference_name, "status")
	if comm.get("is_automated"):  # a bounce or auto-reply (support_plus.email_channel) changes nothing
		comm.flags.support_plus_keep_status = status
		return
	if status in FINAL:
		comm.reference_name = open_follow_on_ticket(comm.reference_name, comm)
	elif status in ANSWER_REOPENS:
		doc = frappe.get_doc("Issue", comm.reference_name)
		doc.status = OPEN
		doc.save(ignore_permissions=True)  # the customer's message acts, whoever delivers it
	elif status in ANSWER_KEEPS:
		comm.flags.support_plus_keep_status = status


def keep_status_after_message(comm, method=None) -> None:
	"""Communication `on_update`: undo Frappe's blanket "Open" where the status must stay."""
	# Frappe's receive path saves a new message twice (attachments): each save sets "Open" again.
	if status := comm.flags.get("support_plus_keep_status"):
		frappe.db.set_value("Issue", comm.reference_name, "status", status, update_modified=False)


def open_follow_on_ticket(closed_name: str, comm) -> str:
	"""A new ticket for a message on a closed one, linked to it and noted on both timelines."""
	closed = frappe.get_doc("Issue", closed_name)
	new = frappe.get_doc(
		{
			"doctype": "Issue",
			"subject": comm.subject or closed.subject,
			"description": comm.content,
			"raised_by": comm.sender or closed.raised_by,
			"previous_issue": closed.name,
			"channel": "Email" if comm.communication_medium == "Email" else closed.channel,
			**{
				field: closed.get(field)
				for field in (
					"customer",
					"contact",
					"project",
					"priority",
					"issue_type",
					"company",
					"item_code",
					"serial_no",
					"site_address",
				)
			},
		}
	)
	new.insert(ignore_permissions=True)
	closed.add_comment(
		"Info", _("A new message on this {0} ticket opened ticket {1}.").format(_(closed.status), new.name)
	)
	new.add_comment(
		"Info", _("Opened by a new message on {0} ticket {1}.").format(_(closed.status), closed.name)
	)
	return new.name


def _is_customer_message(comm) -> bool:
	return (
		comm.communication_type == "Communication"
		and comm.sent_or_received == "Received"
		and comm.reference_doctype == "Issue"
		and bool(comm.reference_name)
		and bool(frappe.db.exists("Issue", comm.reference_name))
	)
