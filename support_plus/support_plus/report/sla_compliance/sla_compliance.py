# Copyright (c) 2026, support_plus developers and contributors
# For license information, please see license.txt
"""SLA Compliance: the share of tickets that met their response and resolution targets, grouped by
priority, issue type, customer, assignee or week. One aggregate query, whatever the number of tickets.

A clock counts once it is decided: met or missed by the one SLA rule (support_plus.sla.health), i.e.
answered (or resolved), or past its deadline while it runs. Tickets whose clock is still running within
its time are not counted yet. The Total row is computed from the counts (the
share of all decided clocks), not as an average of the groups' percentages. It counts only the tickets the
viewer may read (Frappe's match conditions: User Permissions, shares, the project rule).
"""

from pypika.terms import LiteralValue

import frappe
from frappe import _
from frappe.desk.reportview import build_match_conditions
from frappe.query_builder import Case, CustomFunction
from frappe.query_builder.functions import Coalesce, Count, Date, Sum
from frappe.utils import add_days, formatdate, get_fullname, getdate

from support_plus.analytics import kpis
from support_plus.sla import health
from support_plus.tickets.lifecycle import CANCELLED
from support_plus.utils import clock

Weekday = CustomFunction("WEEKDAY", ["date"])
SubDays = CustomFunction("SUBDATE", ["date", "days"])

GROUPS = ("Priority", "Issue Type", "Customer", "Assignee", "Week")


def execute(filters=None):
	filters = frappe._dict(filters or {})
	group_by = filters.get("group_by") or "Priority"
	if group_by not in GROUPS:
		frappe.throw(_("Group By must be one of {0}.").format(", ".join(GROUPS)))
	if not filters.get("from_date") or not filters.get("to_date"):
		frappe.throw(_("Choose a date range."))
	rows = data(filters, group_by)
	if rows:
		rows.append(total_row(rows))
	# Frappe's own total row would average the percentages (and it is kept on migrate once a site had
	# it): skip_total_row, the sixth value, turns it off whatever the Report's setting.
	return columns(group_by), rows, None, None, None, True


def columns(group_by: str) -> list[dict]:
	# Data, not Link or Date: the Total row's label must show in it (assignees by full name, weeks by date).
	group = {"label": _(group_by), "fieldname": "group", "fieldtype": "Data", "width": 220}
	if group_by == "Week":
		group.update(label=_("Week Starting"))
	# Wide enough for the longest header ("Resolution Missed", "Resolution Met %") in the desk's font.
	int_col = lambda label, name: {"label": label, "fieldname": name, "fieldtype": "Int", "width": 150}  # noqa: E731
	pct_col = lambda label, name: {"label": label, "fieldname": name, "fieldtype": "Percent", "width": 160}  # noqa: E731
	return [
		group,
		int_col(_("Tickets"), "tickets"),
		int_col(_("Response Met"), "response_met"),
		int_col(_("Response Missed"), "response_missed"),
		pct_col(_("Response Met %"), "response_percent"),
		int_col(_("Resolution Met"), "resolution_met"),
		int_col(_("Resolution Missed"), "resolution_missed"),
		pct_col(_("Resolution Met %"), "resolution_percent"),
	]


def data(filters, group_by: str) -> list[dict]:
	issue = frappe.qb.DocType("Issue")
	now = clock.now()
	started = Date(issue.service_level_agreement_creation)
	group = {
		"Priority": issue.priority,
		"Issue Type": issue.issue_type,
		"Customer": issue.customer,
		"Assignee": issue[kpis.FIRST_ASSIGNEE_COLUMN],  # _assign's first element
		"Week": SubDays(started, Weekday(started)),
	}[group_by]

	# Met and missed by the one SLA rule (support_plus.sla.health), as the engine and the sweep decide them.
	response_met = health.met_sql(issue, health.RESPONSE)
	response_missed = health.missed_sql(issue, health.RESPONSE, now)
	resolution_met = health.met_sql(issue, health.RESOLUTION)
	resolution_missed = health.missed_sql(issue, health.RESOLUTION, now)
	count_if = lambda condition: Sum(Case().when(condition, 1).else_(0))  # noqa: E731

	query = (
		frappe.qb.from_(issue)
		.select(
			Coalesce(group, _("Not Set")).as_("group"),
			Count(issue.name).as_("tickets"),
			count_if(response_met).as_("response_met"),
			count_if(response_missed).as_("response_missed"),
			count_if(resolution_met).as_("resolution_met"),
			count_if(resolution_missed).as_("resolution_missed"),
		)
		.where(
			issue.service_level_agreement.isnotnull()
			# the days as a range of the indexed column (sp_analytics_sla), not a function of each row
			& (issue.service_level_agreement_creation >= getdate(filters.from_date))
			& (issue.service_level_agreement_creation < add_days(getdate(filters.to_date), 1))
			& (issue.status != CANCELLED)
		)
		.groupby(group)
		.orderby(group)
	)
	if filters.get("service_level_agreement"):
		query = query.where(issue.service_level_agreement == filters.service_level_agreement)
	match = build_match_conditions("Issue")
	if match:
		query = query.where(LiteralValue(f"({match})"))
	rows = query.run(as_dict=True)
	not_set = _("Not Set")
	for row in rows:
		if group_by == "Assignee" and row.group != not_set:
			row.group = get_fullname(row.group)
		elif group_by == "Week" and row.group != not_set:
			row.group = formatdate(row.group)
		add_percentages(row)
	return rows


COUNTS = ("tickets", "response_met", "response_missed", "resolution_met", "resolution_missed")


def total_row(rows: list[dict]) -> dict:
	total = frappe._dict({"group": _("Total"), "is_total_row": 1})
	for key in COUNTS:
		total[key] = sum(row[key] or 0 for row in rows)
	return add_percentages(total)


def add_percentages(row: dict) -> dict:
	row.response_percent = percent(row.response_met, row.response_missed)
	row.resolution_percent = percent(row.resolution_met, row.resolution_missed)
	return row


def percent(met, missed):
	decided = (met or 0) + (missed or 0)
	return round(100.0 * met / decided, 1) if decided else None
