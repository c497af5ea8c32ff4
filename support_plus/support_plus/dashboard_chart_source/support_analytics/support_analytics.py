"""Dashboard Chart Source *Support Analytics*: the workspace's charts drawn by support_plus.analytics.charts
(the chart's `chart` filter names which one).
Not cached (Frappe's cache_source keeps one result per chart for all users): each viewer gets their own
permitted numbers."""

import frappe

from support_plus.analytics.charts import chart as chart_data


@frappe.whitelist()
def get(
	chart_name=None,
	chart=None,
	no_cache=None,
	filters=None,
	from_date=None,
	to_date=None,
	timespan=None,
	time_interval=None,
	heatmap_year=None,
):
	filters = frappe.parse_json(filters) or {}
	return chart_data(filters.get("chart") or "created_vs_resolved")
