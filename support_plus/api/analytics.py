"""Support analytics in the public API. The numbers are defined in support_plus.analytics.kpis."""

from datetime import date, datetime

import frappe

from support_plus.analytics import kpis


@frappe.whitelist()
def support_kpis(
	from_date: str | date | datetime | None = None,
	to_date: str | date | datetime | None = None,
	team: str | None = None,
) -> dict:
	"""The Support workspace's numbers for the caller's permitted tickets (read access to tickets
	needed): snapshot counts now, and the period's (default: the last 30 days) flow and averages."""
	return kpis.support_kpis(from_date, to_date, team)
