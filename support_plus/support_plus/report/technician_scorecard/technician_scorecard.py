# Copyright (c) 2026, support_plus developers and contributors
# For license information, please see license.txt
"""Technician Scorecard: per agent or technician (the ticket's first assignee), of the tickets opened in
the period: how many, resolved, average first response and resolution (hours), SLA response met %,
CSAT average, reopened %; and a technician's utilisation over the period (booked appointment hours ÷
working hours, support_plus.dispatch.utilisation). Definitions from support_plus.analytics.kpis."""

import frappe
from frappe import _

from support_plus.analytics import kpis
from support_plus.analytics.labels import chart, column, group_label, hours
from support_plus.dispatch.utilisation import utilisation


def execute(filters=None):
	scope = kpis.report_scope(filters or {})
	where, params = kpis.ticket_conditions(scope)
	data = frappe.db.sql(
		f"""select {kpis.AGENT} as agent, count(*) as tickets,
			sum({kpis.RESOLUTION_S} is not null) as resolved,
			avg({kpis.FIRST_RESPONSE_S}) as first_response, avg({kpis.RESOLUTION_S}) as resolution,
			sum({kpis.RESPONSE_MET}) as met, sum({kpis.RESPONSE_MISSED}) as missed,
			avg({kpis.RATING}) as csat, sum(`tabIssue`.reopen_count > 0) as reopened
		from `tabIssue`
		where `tabIssue`.creation >= %(start)s and `tabIssue`.creation < %(end)s
			and {kpis.AGENT} is not null and {where}
		group by agent order by tickets desc, agent""",
		params,
		as_dict=True,
	)
	used = utilisation([row.agent for row in data], scope.start, scope.end)
	rows = [
		{
			"group": group_label("Agent", row.agent),
			"user": row.agent,
			"tickets": row.tickets,
			"resolved": int(row.resolved or 0),
			"first_response_avg": hours(row.first_response),
			"resolution_avg": hours(row.resolution),
			"sla_percent": kpis.percent(row.met, row.missed),
			"csat": round(float(row.csat), 2) if row.csat is not None else None,
			"reopened_percent": round(100.0 * int(row.reopened or 0) / row.tickets, 1),
			"utilisation_percent": used.get(row.agent),
		}
		for row in data
	]
	columns = [
		column(_("Agent"), "group", "Data", 200),
		column(_("User"), "user", "Link", 200) | {"options": "User"},
		column(_("Tickets"), "tickets", "Int", 90),
		column(_("Resolved"), "resolved", "Int", 90),
		column(_("First Response Avg (h)"), "first_response_avg"),
		column(_("Resolution Avg (h)"), "resolution_avg"),
		column(_("SLA Response Met %"), "sla_percent", "Percent"),
		column(_("CSAT"), "csat"),
		column(_("Reopened %"), "reopened_percent", "Percent"),
		column(_("Utilisation %"), "utilisation_percent", "Percent"),
	]
	return columns, rows, None, chart(rows, [("tickets", _("Tickets")), ("resolved", _("Resolved"))], "Agent")
