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
	rated = f"""from `tabIssue` where `tabIssue`.resolved_on >= %(start)s and `tabIssue`.resolved_on < %(end)s
		and {kpis.RATING} is not null and {where}"""
	data = frappe.db.sql(
		f"""select {group} as g, count(*) as ratings, avg({kpis.RATING}) as average,
			sum({kpis.RATING} >= 4) as satisfied, sum({kpis.RATING} <= 2) as unhappy,
			avg({kpis.RESOLUTION_S}) as resolution
		{rated} group by g""",
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
	corr = correlation(rated, params)
	if corr is not None:
		message = _("Correlation between rating and resolution time: {0}").format(corr)
	return columns, rows, message, chart(rows, [("average", _("Average Rating"))], group_by)


def correlation(rated_sql: str, params: dict) -> float | None:
	"""Pearson's r between rating and resolution seconds of the rated, resolved tickets."""
	x, y = kpis.RATING, kpis.RESOLUTION_S
	row = frappe.db.sql(
		f"""select count(*) as n, avg({x}) as mx, avg({y}) as my, avg({x} * {y}) as mxy,
			std({x}) as sx, std({y}) as sy
		{rated_sql} and `tabIssue`.resolved_on is not null""",
		params,
		as_dict=True,
	)[0]
	if not row.n or not row.sx or not row.sy:
		return None
	return round((float(row.mxy) - float(row.mx) * float(row.my)) / (float(row.sx) * float(row.sy)), 3)
