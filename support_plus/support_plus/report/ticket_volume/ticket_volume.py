# Copyright (c) 2026, support_plus developers and contributors
# For license information, please see license.txt
"""Ticket Volume: tickets opened and resolved per hour of the day (peak hours), weekday, day, week or
month, or by channel, type, priority or team. Opened counts by `creation`, resolved by `resolved_on`."""

import calendar

import frappe
from frappe import _

from support_plus.analytics import kpis
from support_plus.analytics.labels import chart, column, group_column, group_label

OWN_GROUPS = {"Hour of Day": "hour(`tabIssue`.{0})", "Weekday": "weekday(`tabIssue`.{0})"}


def group_for(group_by: str, date_column: str) -> str:
	if group_by in OWN_GROUPS:
		return OWN_GROUPS[group_by].format(date_column)
	return kpis.group_sql(group_by, date_column)


def counts(scope, group_by: str, date_column: str) -> dict:
	where, params = kpis.ticket_conditions(scope)
	group = group_for(group_by, date_column)
	return dict(
		frappe.db.sql(
			f"""select {group} as g, count(*) from `tabIssue`
			where `tabIssue`.{date_column} >= %(start)s and `tabIssue`.{date_column} < %(end)s and {where}
			group by g""",
			params,
		)
	)


def label(group_by: str, value) -> str:
	if group_by == "Hour of Day":
		return f"{int(value):02d}:00"
	if group_by == "Weekday":
		return _(calendar.day_name[int(value)])
	return group_label(group_by, value)


def execute(filters=None):
	filters = filters or {}
	group_by = filters.get("group_by") or "Day"
	scope = kpis.report_scope(filters)
	opened = counts(scope, group_by, "creation")
	resolved = counts(scope, group_by, "resolved_on")
	if group_by == "Hour of Day":
		keys = list(range(24))
	elif group_by == "Weekday":
		keys = list(range(7))
	else:
		keys = sorted(set(opened) | set(resolved), key=lambda k: (k is None, str(k)))
	rows = [
		{"group": label(group_by, key), "opened": opened.get(key, 0), "resolved": resolved.get(key, 0)}
		for key in keys
	]
	columns = [
		group_column(group_by),
		column(_("Opened"), "opened", "Int"),
		column(_("Resolved"), "resolved", "Int"),
	]
	graph = chart(rows, [("opened", _("Opened")), ("resolved", _("Resolved"))], group_by)
	if graph and group_by in OWN_GROUPS:
		graph["type"] = "bar"
	return columns, rows, None, graph
