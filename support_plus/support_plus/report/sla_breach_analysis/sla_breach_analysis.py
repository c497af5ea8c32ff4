# Copyright (c) 2026, support_plus developers and contributors
# For license information, please see license.txt
"""SLA Breach Analysis: of the tickets opened in the period under an SLA, per priority, customer, agent,
team, issue type or week: how many breached their response and their resolution clock (answered late,
or still unanswered past the deadline), the breach rate of the decided clocks, and by how long the late
ones were late on average (hours; a clock still running counts until now)."""

import frappe
from frappe import _

from support_plus.analytics import kpis
from support_plus.analytics.labels import chart, column, group_column, group_label, hours

RESPONSE_LATE = (
	"timestampdiff(second, `tabIssue`.response_by, coalesce(`tabIssue`.first_responded_on, %(now)s))"
)
RESOLUTION_LATE = (
	"timestampdiff(second, `tabIssue`.resolution_by, coalesce(`tabIssue`.resolution_date, %(now)s))"
)


def execute(filters=None):
	filters = filters or {}
	group_by = filters.get("group_by") or "Priority"
	scope = kpis.report_scope(filters)
	where, params = kpis.ticket_conditions(scope)
	group = kpis.group_sql(group_by, "creation")
	data = frappe.db.sql(
		f"""select {group} as g, count(*) as tickets,
			sum({kpis.RESPONSE_MISSED}) as response_breached, sum({kpis.RESPONSE_MET}) as response_met,
			avg(case when {kpis.RESPONSE_MISSED} then {RESPONSE_LATE} end) as response_late,
			sum({kpis.RESOLUTION_MISSED}) as resolution_breached, sum({kpis.RESOLUTION_MET}) as resolution_met,
			avg(case when {kpis.RESOLUTION_MISSED} then {RESOLUTION_LATE} end) as resolution_late
		from `tabIssue`
		where `tabIssue`.creation >= %(start)s and `tabIssue`.creation < %(end)s
			and (`tabIssue`.response_by is not null or `tabIssue`.resolution_by is not null) and {where}
		group by g""",
		params,
		as_dict=True,
	)
	rows = []
	for row in sorted(data, key=lambda r: (r.g is None, str(r.g))):
		met_response = kpis.percent(row.response_met, row.response_breached)
		met_resolution = kpis.percent(row.resolution_met, row.resolution_breached)
		rows.append(
			{
				"group": group_label(group_by, row.g),
				"tickets": row.tickets,
				"response_breached": int(row.response_breached or 0),
				"response_breach_percent": None if met_response is None else round(100 - met_response, 1),
				"response_late": hours(row.response_late),
				"resolution_breached": int(row.resolution_breached or 0),
				"resolution_breach_percent": None
				if met_resolution is None
				else round(100 - met_resolution, 1),
				"resolution_late": hours(row.resolution_late),
			}
		)
	columns = [
		group_column(group_by),
		column(_("Tickets with SLA"), "tickets", "Int"),
		column(_("Response Breached"), "response_breached", "Int"),
		column(_("Response Breach %"), "response_breach_percent", "Percent"),
		column(_("Response Late Avg (h)"), "response_late"),
		column(_("Resolution Breached"), "resolution_breached", "Int"),
		column(_("Resolution Breach %"), "resolution_breach_percent", "Percent"),
		column(_("Resolution Late Avg (h)"), "resolution_late"),
	]
	graph = chart(
		rows,
		[("response_breached", _("Response Breached")), ("resolution_breached", _("Resolution Breached"))],
		group_by,
	)
	return columns, rows, None, graph
