// Copyright (c) 2026, support_plus developers and contributors
// For license information, please see license.txt

frappe.query_reports["Ticket Volume"] = {
	filters: support_plus.report_filters(
		{
			fieldname: "group_by",
			label: __("Group By"),
			fieldtype: "Select",
			options: ["Hour of Day", "Weekday", "Day", "Week", "Month", "Channel", "Issue Type", "Priority", "Team"],
			default: "Day",
			reqd: 1,
		},
	),
};
