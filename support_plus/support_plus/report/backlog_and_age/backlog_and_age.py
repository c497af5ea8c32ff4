# Copyright (c) 2026, support_plus developers and contributors
# For license information, please see license.txt
"""Backlog and Age: the tickets open now (any status before Resolved) by age bucket, status, priority,
team, agent or customer: how many, their average and oldest age in days, how many have an overdue
follow-up or a breached SLA. The period filters the day they were opened."""

import frappe
from frappe import _

from support_plus.analytics import kpis
from support_plus.analytics.charts import AGE_BUCKETS, age_bucket_sql
from support_plus.analytics.labels import chart, column, group_column, group_label

OWN_GROUPS = {"Age": age_bucket_sql(), "Status": "`tabIssue`.status"}


def execute(filters=None):
	filters = filters or {}
	group_by = filters.get("group_by") or "Age"
	scope = kpis.report_scope(filters)
	where, params = kpis.ticket_conditions(scope)
	group = OWN_GROUPS.get(group_by) or kpis.group_sql(group_by, "creation")
	age = "timestampdiff(second, `tabIssue`.creation, %(now)s) / 86400"
	data = frappe.db.sql(
		f"""select {group} as g, count(*) as open_tickets, avg({age}) as avg_age, max({age}) as oldest,
			sum(`tabIssue`.is_overdue = 1) as overdue, sum(`tabIssue`.sla_health = 'Breached') as breached
		from `tabIssue`
		where {kpis.IS_OPEN} and `tabIssue`.creation >= %(start)s and `tabIssue`.creation < %(end)s
			and {where}
		group by g""",
		params,
		as_dict=True,
	)
	by_group = {row.g: row for row in data}
	if group_by == "Age":
		keys = [label for _limit, label in AGE_BUCKETS if label in by_group]
	else:
		keys = sorted(by_group, key=lambda k: (k is None, str(k)))
	rows = []
	for key in keys:
		row = by_group[key]
		rows.append(
			{
				"group": _(key) if group_by == "Age" else group_label(group_by, key),
				"open_tickets": row.open_tickets,
				"avg_age": round(float(row.avg_age), 1),
				"oldest": round(float(row.oldest), 1),
				"overdue": int(row.overdue or 0),
				"breached": int(row.breached or 0),
			}
		)
	columns = [
		group_column(group_by),
		column(_("Open Tickets"), "open_tickets", "Int"),
		column(_("Average Age (days)"), "avg_age"),
		column(_("Oldest (days)"), "oldest"),
		column(_("Overdue Follow-ups"), "overdue", "Int"),
		column(_("SLA Breached"), "breached", "Int"),
	]
	return columns, rows, None, chart(rows, [("open_tickets", _("Open Tickets"))], "Age")
