"""What the portal pages show; the www/support/*.py context functions are thin wrappers around these."""

import json
from math import ceil

from pypika import analytics as an

import frappe
from frappe import _
from frappe.query_builder.functions import Count
from frappe.utils import fmt_money, global_date_format
from frappe.utils.html_utils import sanitize_html

from support_plus.parts.billing import ticket_invoices
from support_plus.portal.access import get_visible_ticket, ticket_condition
from support_plus.tickets.conversation import conversation_query
from support_plus.tickets.lifecycle import ACTIVE, STATUSES

PAGE_SIZE = 20
# Beyond any customer's list: a larger page number is past the end without asking the database for it.
MAX_PAGE = 10**9


def require_login(route: str) -> None:
	if frappe.session.user == "Guest":
		frappe.local.flags.redirect_location = f"/login?redirect-to={route}"
		raise frappe.Redirect


def not_found() -> None:
	"""A 404 answered to this user only. Frappe caches a page's 404 per URL for everyone (until the website
	cache is cleared), so another customer's ticket or serial would then be "not found" for its owner too."""
	frappe.local.no_cache = 1
	raise frappe.PageDoesNotExistError


@frappe.read_only()  # a site with a replica (site config read_from_replica) reads it there
def list_tickets(
	status: str | None = None, search: str | None = None, page: int = 1, open_only: bool = False
) -> dict:
	"""The session user's tickets, newest first, a page at a time."""
	issue = frappe.qb.DocType("Issue")
	where = ticket_condition(frappe.session.user)
	if open_only:
		where &= issue.status.isin(list(ACTIVE))
	elif status in STATUSES:
		where &= issue.status == status
	if search := (search or "").strip():
		where &= (issue.name == search.upper()) | issue.subject.like(f"%{search}%")
	page = max(1, int(page or 1))
	query = (
		frappe.qb.from_(issue)
		.select(issue.name, issue.subject, issue.status, issue.opening_date, issue.priority)
		.where(where)
		.orderby(issue.creation, order=frappe.qb.desc)
	)
	rows, total, pages, page = one_page(query, issue, where, page)
	dates, labels = {}, {}
	for row in rows:  # display values once per distinct value, not once per row in the template
		if row.opening_date not in dates:
			dates[row.opening_date] = global_date_format(row.opening_date) if row.opening_date else ""
		row.opened = dates[row.opening_date]
		if row.status not in labels:
			labels[row.status] = _(row.status)
		row.status_label = labels[row.status]
	return {"tickets": rows, "total": total, "page": page, "pages": pages}


def one_page(query, table, where, page: int) -> tuple[list, int, int, int]:
	"""Page `page` (PAGE_SIZE rows) of `query` on `table` filtered by `where`: (rows, total, pages, page). The
	total comes in the same round trip (a window count); only a page past the end counts on its own and is
	answered with the last page (a page number from the query string may be anything: MariaDB refuses an
	offset past 2^64 with an error)."""
	page = max(1, page)
	rows = _page_rows(query, table, page) if page <= MAX_PAGE else []
	if rows:
		total = rows[0].total
	else:
		total = frappe.qb.from_(table).select(Count("*")).where(where).run()[0][0]
	pages = max(1, ceil(total / PAGE_SIZE))
	if not rows and page > pages:
		page = pages
		rows = _page_rows(query, table, page) if total else []
	for row in rows:
		del row["total"]
	return rows, total, pages, page


def _page_rows(query, table, page: int) -> list:
	return (
		query.select(an.Count(table.name).over().as_("total"))
		.limit(PAGE_SIZE)
		.offset((page - 1) * PAGE_SIZE)
		.run(as_dict=True)
	)


def ticket_view(name: str) -> dict:
	"""One ticket as its customer sees it: no internal comments, no follow-ups."""
	try:
		doc = get_visible_ticket(name)
	except frappe.DoesNotExistError:
		not_found()
	assigned = json.loads(doc.get("_assign") or "[]")
	comm = frappe.qb.DocType("Communication")
	conversation = (
		conversation_query(doc.name)
		.select(
			comm.name, comm.sender, comm.sender_full_name, comm.sent_or_received, comm.content, comm.creation
		)
		.run(as_dict=True)
	)
	for message in conversation:
		message.content = sanitize_html(message.content or "")  # agents' emails are HTML
	description = sanitize_html(doc.description or "")
	if conversation and conversation[0].content.strip() == description.strip():
		description = ""  # a portal ticket's description is its first message already
	attachments = frappe.get_all(
		"File",
		filters={"attached_to_doctype": "Issue", "attached_to_name": doc.name},
		fields=["name", "file_name", "creation"],
		order_by="creation asc",
	)
	return {
		"ticket": doc,
		"assignee": frappe.db.get_value("User", assigned[0], "first_name") if assigned else None,
		"expected_resolution": doc.get("resolution_by") if doc.status in ACTIVE else None,
		"conversation": conversation,
		"description": description,
		"attachments": attachments,
		"can_accept": doc.status == "Resolved",
		"can_rate": doc.status in ("Resolved", "Closed"),
		"invoices": invoice_rows(doc),
	}


def invoice_rows(doc) -> list:
	"""The ticket's invoices as the page shows them, each with a link to ERPNext's `/invoices/<name>`."""
	rows = ticket_invoices(doc.name, doc.customer)
	for row in rows:
		row.amount = fmt_money(row.grand_total, currency=row.currency)
		row.date = global_date_format(row.posting_date)
		row.status_label = _(row.status)
	return rows


def new_ticket_options() -> dict:
	return {
		"issue_types": frappe.get_all("Issue Type", pluck="name", order_by="name"),
		"allow_priority": bool(frappe.db.get_single_value("Support Plus Settings", "portal_allow_priority")),
		"priorities": frappe.get_all("Issue Priority", pluck="name"),
	}
