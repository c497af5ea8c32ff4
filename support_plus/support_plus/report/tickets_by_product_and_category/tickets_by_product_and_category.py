# Copyright (c) 2026, support_plus developers and contributors
# For license information, please see license.txt
"""Tickets by Product and Category: of the tickets opened in the period, per item, item group, brand
or issue type: how many, still open, resolved, average resolution (hours) and CSAT. Definitions from
support_plus.analytics.kpis; one grouped query (the item's group and brand joined from Item
to the sums per item)."""

import frappe
from frappe import _

from support_plus.analytics import kpis
from support_plus.analytics.labels import chart, column, group_column, hours

GROUPS = {
	"Item": "t.item_code",
	"Item Group": "`tabItem`.item_group",
	"Brand": "`tabItem`.brand",
	"Issue Type": "t.issue_type",
}


def execute(filters=None):
	filters = filters or {}
	group_by = filters.get("group_by") or "Item"
	if group_by not in GROUPS:
		frappe.throw(_("Group By must be one of {0}.").format(", ".join(GROUPS)))
	scope = kpis.report_scope(filters)
	where, params = kpis.ticket_conditions(scope)
	# The tickets summed per item and type first (one scan of the covering index sp_analytics_product),
	# then the few sums joined to Item and added up per group: averages as sums over counts.
	data = frappe.db.sql(
		f"""select {GROUPS[group_by]} as g, sum(t.tickets) as tickets, sum(t.still_open) as still_open,
			sum(t.resolved) as resolved, sum(t.resolution_sum) / sum(t.resolved) as resolution,
			sum(t.rating_sum) / sum(t.ratings) as csat
		from (
			select `tabIssue`.item_code, `tabIssue`.issue_type, count(*) as tickets,
				sum({kpis.IS_OPEN}) as still_open, count({kpis.RESOLUTION_S}) as resolved,
				sum({kpis.RESOLUTION_S}) as resolution_sum, count({kpis.RATING}) as ratings,
				sum({kpis.RATING}) as rating_sum
			from `tabIssue`
			where `tabIssue`.creation >= %(start)s and `tabIssue`.creation < %(end)s and {where}
			group by `tabIssue`.item_code, `tabIssue`.issue_type
		) t left join `tabItem` on `tabItem`.name = t.item_code
		group by g order by tickets desc, g""",
		params,
		as_dict=True,
	)
	rows = [
		{
			"group": row.g or _("Not Set"),
			"tickets": int(row.tickets),
			"still_open": int(row.still_open or 0),
			"resolved": int(row.resolved or 0),
			"resolution_avg": hours(row.resolution),
			"csat": round(float(row.csat), 2) if row.csat is not None else None,
		}
		for row in data
	]
	columns = [
		group_column(group_by),
		column(_("Tickets"), "tickets", "Int", 90),
		column(_("Still Open"), "still_open", "Int", 100),
		column(_("Resolved"), "resolved", "Int", 90),
		column(_("Resolution Avg (h)"), "resolution_avg"),
		column(_("CSAT"), "csat"),
	]
	return columns, rows, None, chart(rows[:20], [("tickets", _("Tickets"))], group_by)
