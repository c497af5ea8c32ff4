# Copyright (c) 2026, support_plus developers and contributors
# For license information, please see license.txt
"""Customer Satisfaction: the ratings (1-5) of tickets resolved in the period, per week, month, agent,
issue type, priority or team: how many, the average, the share satisfied (4-5) and unhappy (1-2), and the
average resolution time of the rated tickets beside it. The Total row is the correlation between rating
and resolution time over all rated tickets (Pearson, computed in SQL)."""

import frappe
from frappe import _

from support_plus.analytics import kpis
from support_plus.analytics.labels import chart, column, group_column, group_label, hours


def execute(filters=None):
	filters = filters or {}
	group_by = filters.get("group_by") or "Month"
	scope = kpis.report_scope(filters)
	where, params = kpis.ticket_conditions(scope)
	group = kpis.group_sql(group_by, "resolved_on")
	x, y = kpis.RATING, kpis.RESOLUTION_S
	# One scan of the covering index (sp_analytics_resolved): the groups and, as the rollup row MariaDB
	# adds after them, the same aggregates over all rated tickets for the correlation.
	data = frappe.db.sql(
		f"""select {group} as g, count(*) as ratings, avg({x}) as average,
			sum({x} >= 4) as satisfied, sum({x} <= 2) as unhappy, avg({y}) as resolution,
			count({y}) as resolved, avg({x} * {y}) as mxy, std({x}) as sx, std({y}) as sy
		from `tabIssue`
		where `tabIssue`.resolved_on >= %(start)s and `tabIssue`.resolved_on < %(end)s
			and {x} is not null and {where}
		group by g with rollup""",
		params,
		as_dict=True,
	)
	total = data.pop() if data else None
	rows = [
		{
			"group": group_label(group_by, row.g),
			"ratings": row.ratings,
			"average": round(float(row.average), 2),
			"satisfied_percent": round(100.0 * int(row.satisfied) / row.ratings, 1),
			"unhappy_percent": round(100.0 * int(row.unhappy) / row.ratings, 1),
			"resolution_avg": hours(row.resolution),
		}
		for row in sorted(data, key=lambda r: (r.g is None, str(r.g)))
	]
	columns = [
		group_column(group_by),
		column(_("Ratings"), "ratings", "Int", 100),
		column(_("Average Rating"), "average"),
		column(_("Satisfied (4-5) %"), "satisfied_percent", "Percent"),
		column(_("Unhappy (1-2) %"), "unhappy_percent", "Percent"),
		column(_("Resolution Avg (h)"), "resolution_avg"),
	]
	message = None
	corr = correlation(total)
	if corr is not None:
		message = _("Correlation between rating and resolution time: {0}").format(corr)
	return columns, rows, message, chart(rows, [("average", _("Average Rating"))], group_by)


def correlation(total) -> float | None:
	"""Pearson's r between rating and resolution seconds of the rated, resolved tickets (the rollup row;
	a rated ticket is resolved: rated in the period means resolved in it)."""
	if not total or not total.resolved or not total.sx or not total.sy:
		return None
	mx, my = float(total.average), float(total.resolution)
	return round((float(total.mxy) - mx * my) / (float(total.sx) * float(total.sy)), 3)
