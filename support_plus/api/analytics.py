"""Support analytics in the public API. The numbers are defined in support_plus.analytics.kpis."""

from datetime import date, datetime

import frappe

from support_plus.analytics import dashboard, kpis
from support_plus.api.arguments import required


@frappe.whitelist()
def support_kpis(
	from_date: str | date | datetime | None = None,
	to_date: str | date | datetime | None = None,
	team: str | None = None,
) -> dict:
	"""The Support workspace's numbers for the caller's permitted tickets (read access to tickets
	needed): snapshot counts now, and the period's (default: the last 30 days) flow and averages."""
	return kpis.support_kpis(from_date, to_date, team)


@frappe.whitelist(methods=["GET"])
def support_tickets_dashboard(
	state: str | None = None, limit: int = 100, customer: str | None = None
) -> dict:
	"""The Support Tickets Dashboard's data for the caller's permitted tickets (read access to tickets
	needed): {"counts": open/in_progress/closed/overdue, "donut": tickets per state, "state", "total",
	"rows": the table}. `state` (a card or slice: open, in_progress, waiting, resolved, closed, overdue)
	filters the rows; without it they are the tickets still needing work. `customer` narrows to one
	customer."""
	return dashboard.dashboard(state, limit, customer)


@frappe.whitelist(methods=["GET"])
def dashboard_ticket(name: str | None = None) -> dict:
	"""One ticket for the dashboard's drawer (read permission on it needed): details, follow-ups and
	whether the caller may add a follow-up or close it."""
	return dashboard.ticket(required(name, "name"))
