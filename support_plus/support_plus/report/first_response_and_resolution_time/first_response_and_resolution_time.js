// Copyright (c) 2026, support_plus developers and contributors
// For license information, please see license.txt

frappe.query_reports["First Response and Resolution Time"] = {
	filters: support_plus.report_filters(
		{
			fieldname: "group_by",
			label: __("Group By"),
			fieldtype: "Select",
			options: ["Day", "Week", "Month", "Agent", "Team", "Priority", "Channel"],
			default: "Week",
			reqd: 1,
		},
	),
};
