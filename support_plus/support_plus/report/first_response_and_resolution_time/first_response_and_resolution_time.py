# Copyright (c) 2026, support_plus developers and contributors
# For license information, please see license.txt
"""First Response and Resolution Time: average, median and 90th percentile per period, agent, team,
priority or channel, in hours. First response (business time when an SLA applies) of the tickets opened
in the period; resolution of the tickets resolved in it (support_plus.analytics.kpis defines both)."""

from frappe import _

from support_plus.analytics import kpis
from support_plus.analytics.labels import chart, column, group_column, group_label, hours


def execute(filters=None):
	filters = filters or {}
	group_by = filters.get("group_by") or "Week"
	scope = kpis.report_scope(filters)
	response = kpis.distribution(
		scope, kpis.FIRST_RESPONSE_S, "creation", kpis.group_sql(group_by, "creation")
	)
	resolution = kpis.distribution(
		scope, kpis.RESOLUTION_S, "resolved_on", kpis.group_sql(group_by, "resolved_on")
	)
	rows = []
	for key in sorted(set(response) | set(resolution), key=lambda k: (k is None, str(k))):
		first, done = response.get(key), resolution.get(key)
		rows.append(
			{
				"group": group_label(group_by, key),
				"responded": first.n if first else 0,
				"response_avg": hours(first.average) if first else None,
				"response_median": hours(first.median) if first else None,
				"response_p90": hours(first.p90) if first else None,
				"resolved": done.n if done else 0,
				"resolution_avg": hours(done.average) if done else None,
				"resolution_median": hours(done.median) if done else None,
				"resolution_p90": hours(done.p90) if done else None,
			}
		)
	columns = [
		group_column(group_by),
		column(_("Responded"), "responded", "Int", 110),
		column(_("First Response Avg (h)"), "response_avg"),
		column(_("First Response Median (h)"), "response_median"),
		column(_("First Response P90 (h)"), "response_p90"),
		column(_("Resolved"), "resolved", "Int", 110),
		column(_("Resolution Avg (h)"), "resolution_avg"),
		column(_("Resolution Median (h)"), "resolution_median"),
		column(_("Resolution P90 (h)"), "resolution_p90"),
	]
	graph = chart(
		rows,
		[
			("response_median", _("First Response Median (h)")),
			("resolution_median", _("Resolution Median (h)")),
		],
		group_by,
	)
	return columns, rows, None, graph
