// Copyright (c) 2026, support_plus developers and contributors
// For license information, please see license.txt

frappe.query_reports["Customer Satisfaction"] = {
	filters: support_plus.report_filters(
		{
			fieldname: "group_by",
			label: __("Group By"),
			fieldtype: "Select",
			options: ["Week", "Month", "Agent", "Issue Type", "Priority", "Team"],
			default: "Month",
			reqd: 1,
		},
	),
};
