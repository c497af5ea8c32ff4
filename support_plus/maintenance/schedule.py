"""Maintenance Schedule rules support_plus adds to ERPNext's."""

import frappe
from frappe.utils import date_diff, getdate

# ERPNext's own period lengths (maintenance_schedule.py validate_dates_with_periodicity).
DAYS_IN_PERIOD = {"Weekly": 7, "Monthly": 30, "Quarterly": 90, "Half Yearly": 180, "Yearly": 365}


def fill_visit_count(doc, method=None):
	"""Derive the number of visits of a row from its date range and periodicity when it is not given.

	ERPNext, given no `no_of_visits`, moves the row's end date to one period after its start, so a
	year-long Monthly row silently becomes a single visit. A row that states its range keeps it here
	and gets one visit per period in it.
	"""
	for row in doc.get("items") or []:
		period = DAYS_IN_PERIOD.get(row.periodicity or "")
		if row.no_of_visits or not period or not row.start_date or not row.end_date:
			continue
		if getdate(row.end_date) < getdate(row.start_date):
			continue  # ERPNext's validation reports the reversed range
		row.no_of_visits = max(1, (date_diff(row.end_date, row.start_date) + 1) // period)
