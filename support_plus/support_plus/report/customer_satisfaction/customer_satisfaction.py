# Copyright (c) 2026, support_plus developers and contributors
# For license information, please see license.txt
"""Customer Satisfaction: the ratings (1-5) of tickets resolved in the period, per week, month, agent,
issue type, priority or team: how many, the average, the share satisfied (4-5) and unhappy (1-2), and the
average resolution time of the rated tickets beside it. The Total row is the correlation between rating
and resolution time over all rated tickets (Pearson, from sums computed in the same query)."""

import math
from decimal import Decimal

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
	# One scan of the covering index (sp_analytics_resolved): per group the counts, averages and the sums
	# the correlation needs (exact integer sums, added up over the groups).
	data = frappe.db.sql(
		f"""select {group} as g, count(*) as ratings, avg({x}) as average,
			sum({x} >= 4) as satisfied, sum({x} <= 2) as unhappy, avg({y}) as resolution,
			count({y}) as n, sum({x}) as sx, sum({y}) as sy, sum({x} * {y}) as sxy,
			sum({x} * {x}) as sxx, sum({y} * {y}) as syy
		from `tabIssue`
		where `tabIssue`.resolved_on >= %(start)s and `tabIssue`.resolved_on < %(end)s
			and {x} is not null and {where}
		group by g""",
		params,
		as_dict=True,
	)
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
	corr = correlation(data)
	if corr is not None:
		message = _("Correlation between rating and resolution time: {0}").format(corr)
	return columns, rows, message, chart(rows, [("average", _("Average Rating"))], group_by)


def correlation(groups: list[dict]) -> float | None:
	"""Pearson's r between rating and resolution seconds of the rated, resolved tickets (a ticket rated in
	the period was resolved in it), from the groups' exact sums."""
	n = sum(int(row.n) for row in groups)
	if not n:
		return None
	sx, sy, sxy, sxx, syy = (
		sum(Decimal(row[key] or 0) for row in groups) for key in ("sx", "sy", "sxy", "sxx", "syy")
	)
	cov = sxy * n - sx * sy
	vx, vy = sxx * n - sx * sx, syy * n - sy * sy
	if vx <= 0 or vy <= 0:
		return None
	return round(float(cov) / math.sqrt(float(vx) * float(vy)), 3)
