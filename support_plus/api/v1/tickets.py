"""API v1 tickets: `/api/method/support_plus.api.v1.tickets.<list|get|create|update|assign|resolve>`.

Thin wrappers: the ticket rules live in support_plus.tickets and support_plus.dispatch, the permissions
are the desk's (role permissions, support_plus's query conditions, user permissions, sharing). Every
function returns the ticket in the shape of shapes.ticket.
"""

from datetime import date, datetime

import frappe
from frappe import _

from support_plus.api.v1 import params, shapes
from support_plus.dispatch import assignment
from support_plus.tickets import bulk
from support_plus.tickets.lifecycle import RESOLVED, STATUSES

ORDERS = {
	"created_at": "creation asc",
	"-created_at": "creation desc",
	"updated_at": "modified asc",
	"-updated_at": "modified desc",
}
# Fields a caller may set, by their API name.
WRITABLE = {
	"subject": "subject",
	"description": "description",
	"priority": "priority",
	"type": "issue_type",
	"customer": "customer",
	"contact": "contact",
	"team": "support_team",
	"serial_no": "serial_no",
}


@frappe.whitelist(methods=["GET"])
def list(
	status: str | None = None,
	priority: str | None = None,
	customer: str | None = None,
	team: str | None = None,
	type: str | None = None,
	assignee: str | None = None,
	q: str | None = None,
	created_from: str | date | datetime | None = None,
	created_to: str | date | datetime | None = None,
	updated_since: str | date | datetime | None = None,
	order: str = "-created_at",
	page: int = 1,
	page_size: int = 20,
) -> dict:
	"""The tickets the caller may read, newest first: {"data": [ticket], "page", "page_size", "has_more"}."""
	offset, size = params.paging(page, page_size)
	params.one_of(order, tuple(ORDERS), "order")
	filters = []
	if params.text(status, "status"):
		filters.append(["status", "=", params.one_of(status, STATUSES, "status")])
	for name, column, value in (
		("priority", "priority", priority),
		("customer", "customer", customer),
		("team", "support_team", team),
		("type", "issue_type", type),
	):
		if params.text(value, name):
			filters.append([column, "=", value])
	if params.text(assignee, "assignee"):
		filters.append(["_assign", "like", f'%"{assignee}"%'])
	if params.text(q, "q"):
		filters.append(["subject", "like", f"%{q}%"])
	for name, operator, value in (
		("created_from", ">=", created_from),
		("created_to", "<=", created_to),
		("updated_since", ">=", updated_since),
	):
		moment = params.moment(value, name)
		if moment:
			filters.append(["modified" if name == "updated_since" else "creation", operator, moment])
	rows = frappe.get_list(
		"Issue",
		fields=shapes.TICKET_FIELDS,
		filters=filters,
		order_by=ORDERS[order],
		limit_start=offset,
		limit_page_length=size + 1,
	)
	return {
		"data": [shapes.ticket(row) for row in rows[:size]],
		"page": offset // size + 1,
		"page_size": size,
		"has_more": len(rows) > size,
	}


@frappe.whitelist(methods=["GET"])
def get(id: str | None = None) -> dict:
	"""One ticket; a ticket the caller may not read answers like a missing one (404)."""
	return shapes.ticket(params.visible_ticket(id))


@frappe.whitelist(methods=["POST"])
def create(
	subject: str | None = None,
	description: str | None = None,
	priority: str | None = None,
	type: str | None = None,
	customer: str | None = None,
	contact: str | None = None,
	raised_by: str | None = None,
	team: str | None = None,
	serial_no: str | None = None,
	channel: str | None = None,
) -> dict:
	"""Open a ticket; its number, SLA and routing come as from any other channel."""
	frappe.has_permission("Issue", "create", throw=True)
	values = {"doctype": "Issue", "subject": params.text(subject, "subject", required=True)}
	given = {"description": description, "priority": priority, "type": type, "customer": customer}
	given.update({"contact": contact, "team": team, "serial_no": serial_no})
	for name, value in given.items():
		if params.text(value, name):
			values[WRITABLE[name]] = value
	if params.text(raised_by, "raised_by"):
		values["raised_by"] = frappe.utils.validate_email_address(raised_by, throw=True)
	if params.text(channel, "channel"):
		options = (frappe.get_meta("Issue").get_field("channel").options or "").split("\n")
		values["channel"] = params.one_of(channel, options, "channel")
	doc = frappe.get_doc(values).insert()
	return shapes.ticket(doc)


@frappe.whitelist(methods=["POST", "PUT"])
def update(
	id: str | None = None,
	subject: str | None = None,
	description: str | None = None,
	status: str | None = None,
	priority: str | None = None,
	type: str | None = None,
	customer: str | None = None,
	contact: str | None = None,
	team: str | None = None,
	serial_no: str | None = None,
	cancel_reason: str | None = None,
) -> dict:
	"""Change a ticket's fields and/or status (the lifecycle's transitions apply; Cancelled needs
	`cancel_reason`). Fields left out stay as they are."""
	doc = params.visible_ticket(id, "write")
	given = {"subject": subject, "description": description, "priority": priority, "type": type}
	given.update({"customer": customer, "contact": contact, "team": team, "serial_no": serial_no})
	changes = {WRITABLE[name]: value for name, value in given.items() if params.text(value, name)}
	if params.text(status, "status"):
		changes["status"] = params.one_of(status, STATUSES, "status")
	if params.text(cancel_reason, "cancel_reason"):
		changes["cancel_reason"] = cancel_reason
	if not changes:
		params.bad_request(_("Nothing to update: send at least one field."))
	doc.update(changes)
	doc.save()
	return shapes.ticket(doc)


@frappe.whitelist(methods=["POST"])
def assign(id: str | None = None, user: str | None = None, override_reason: str | None = None) -> dict:
	"""Assign the ticket to `user` (added to its assignees; a technician's capacity applies, a Support
	Manager may exceed it with `override_reason`), or, without `user`, to the best technician by the
	routing engine (nobody eligible: the ticket stays unassigned and says why on its timeline)."""
	doc = params.visible_ticket(id, "write")
	if not params.text(user, "user"):
		assignment.auto_assign(doc.name)
	else:
		if not frappe.db.exists("User", {"name": user, "enabled": 1, "user_type": "System User"}):
			params.bad_request(_("{0} is not an enabled desk user.").format(user))
		values = {"assign_to": user}
		if params.text(override_reason, "override_reason"):
			assignment.assign_over_capacity(override_reason, bulk.update_ticket, doc.name, values)
		else:
			bulk.update_ticket(doc.name, values)
	return shapes.ticket(frappe.get_doc("Issue", doc.name))


@frappe.whitelist(methods=["POST"])
def resolve(id: str | None = None, resolution: str | None = None) -> dict:
	"""Mark the ticket Resolved, with what was done (the customer may still reopen it)."""
	doc = params.visible_ticket(id, "write")
	if doc.status == RESOLVED:
		params.bad_request(_("Ticket {0} is already resolved.").format(doc.name))
	doc.status = RESOLVED
	if params.text(resolution, "resolution"):
		doc.resolution_details = resolution
	doc.save()
	return shapes.ticket(doc)
