frappe.provide("frappe.dashboards.chart_sources");

frappe.dashboards.chart_sources["Support Analytics"] = {
	method: "support_plus.support_plus.dashboard_chart_source.support_analytics.support_analytics.get",
	filters: [
		{
			fieldname: "chart",
			label: __("Chart"),
			fieldtype: "Select",
			options: [
				"by_status",
				"by_channel",
				"by_type",
				"by_priority",
				"created_vs_resolved",
				"sla_compliance_weekly",
				"open_by_age",
				"peak_hours",
			],
			default: "created_vs_resolved",
		},
	],
};
