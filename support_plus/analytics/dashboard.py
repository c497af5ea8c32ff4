"""Seed 003's Support Tickets Dashboard (the desk page `support-tickets-dashboard`): four counts that
filter the table below, the status donut, the tickets still needing work with their last follow-up, and a
ticket's details and follow-ups for the page's drawer.

The counts and the table's filters are the same SQL conditions (`kpis.DASHBOARD`), with the viewer's
permissions (`kpis.ticket_conditions`: role rights, User Permissions, shares, the Sales User's projects),
so a card's number is the number of rows its click shows. The drawer's actions are the existing API
(`support_plus.api.add_follow_up`, `support_plus.api.tickets.set_status`), which check on their own.
"""

import frappe
from frappe import _
from frappe.utils import cint, get_fullname
from frappe.utils.html_utils import sanitize_html

from support_plus.analytics import kpis
from support_plus.tickets.lifecycle import FINAL
from support_plus.utils.roles import is_manager

CARDS = ("open", "in_progress", "closed", "overdue")
SLICES = ("open", "in_progress", "waiting", "resolved", "closed")
MAX_ROWS = 500


def dashboard(
	state: str | None = None, limit: int = 100, customer: str | None = None, user: str | None = None
) -> dict:
	"""Counts, donut and the table's rows for the viewer. Without `state` the table holds the tickets that
	still need work (open, in progress, waiting for the customer or parts); with one of `kpis.DASHBOARD`'s
	keys, the tickets that count toward that card or slice (newest first, at most `limit`); `customer`
	narrows everything to one customer's tickets."""
	if state and state not in kpis.DASHBOARD:
		frappe.throw(
			_("Unknown ticket filter {0}; use one of {1}.").format(
				frappe.bold(state), ", ".join(kpis.DASHBOARD)
			)
		)
	limit = cint(limit)
	if not 1 <= limit <= MAX_ROWS:
		frappe.throw(_("Show between 1 and {0} tickets.").format(MAX_ROWS))
	scope = kpis.make_scope(customer=customer)
	counts = kpis.dashboard_counts(scope, user)
	return {
		"counts": {key: counts[key] for key in CARDS},
		"donut": {key: counts[key] for key in SLICES},
		"state": state,
		"total": counts[state] if state else _count_open(scope, user),
		"rows": ticket_rows(scope, state, limit, user),
	}


def _count_open(scope: kpis.Scope, user: str | None) -> int:
	where, params = kpis.ticket_conditions(scope, user)
	return frappe.db.sql(f"select count(*) from `tabIssue` where {kpis.IS_OPEN} and {where}", params)[0][0]


def ticket_rows(scope: kpis.Scope, state: str | None, limit: int, user: str | None = None) -> list[dict]:
	where, params = kpis.ticket_conditions(scope, user)
	condition = kpis.DASHBOARD[state] if state else kpis.IS_OPEN
	rows = frappe.db.sql(
		f"""select `tabIssue`.name, `tabIssue`.subject, `tabIssue`.status, `tabIssue`.project,
			`tabIssue`.customer, `tabIssue`.creation, `tabIssue`.last_follow_up_on,
			`tabIssue`.next_follow_up_date, `tabIssue`.is_overdue
		from `tabIssue` where {condition} and {where}
		order by `tabIssue`.creation desc, `tabIssue`.name desc limit {limit}""",
		params,
		as_dict=True,
	)
	projects = {row.project for row in rows if row.project}
	names = (
		dict(frappe.get_all("Project", {"name": ("in", list(projects))}, ["name", "project_name"], as_list=1))
		if projects
		else {}
	)
	for row in rows:
		row.project_name = names.get(row.project)
	return rows


def ticket(name: str) -> dict:
	"""One ticket for the drawer: details, follow-ups newest first, and what the viewer may do."""
	if not name or not frappe.db.exists("Issue", name):
		frappe.throw(_("Ticket {0} does not exist.").format(frappe.bold(name)), frappe.DoesNotExistError)
	doc = frappe.get_doc("Issue", name)
	doc.check_permission("read")
	follow_ups = frappe.get_list(
		"Issue Follow Up",
		filters={"issue": name},
		fields=["name", "note", "follow_up_date", "owner", "creation"],
		order_by="creation desc, name desc",
	)
	for row in follow_ups:
		row.by = get_fullname(row.owner)
	final = doc.status in FINAL
	return {
		"name": doc.name,
		"subject": doc.subject,
		"description": sanitize_html(doc.description or ""),
		"status": doc.status,
		"project": doc.project,
		"project_name": frappe.db.get_value("Project", doc.project, "project_name") if doc.project else None,
		"customer": doc.customer,
		"customer_name": frappe.db.get_value("Customer", doc.customer, "customer_name")
		if doc.customer
		else None,
		"creation": doc.creation,
		"closed_on": doc.get("closed_on"),
		"created_by": get_fullname(doc.owner),
		"next_follow_up_date": doc.get("next_follow_up_date"),
		"is_overdue": doc.get("is_overdue"),
		"follow_ups": follow_ups,
		"can_follow_up": bool(
			frappe.has_permission("Issue Follow Up", "create") and (not final or is_manager())
		),
		"can_close": bool(not final and doc.has_permission("write")),
	}
