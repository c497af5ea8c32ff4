// Copyright (c) 2026, support_plus developers and contributors
// For license information, please see license.txt

frappe.query_reports["SLA Breach Analysis"] = {
	filters: support_plus.report_filters(
		{
			fieldname: "group_by",
			label: __("Group By"),
			fieldtype: "Select",
			options: ["Priority", "Customer", "Agent", "Team", "Issue Type", "Week"],
			default: "Priority",
			reqd: 1,
		},
	),
};
