// Copyright (c) 2026, support_plus developers and contributors
// For license information, please see license.txt

frappe.query_reports["Backlog and Age"] = {
	filters: support_plus.report_filters(
		{
			fieldname: "group_by",
			label: __("Group By"),
			fieldtype: "Select",
			options: ["Age", "Status", "Priority", "Team", "Agent", "Customer"],
			default: "Age",
			reqd: 1,
		},
	),
};
