// Copyright (c) 2026, support_plus developers and contributors
// For license information, please see license.txt

frappe.query_reports["Tickets by Product and Category"] = {
	filters: support_plus.report_filters(
		{
			fieldname: "group_by",
			label: __("Group By"),
			fieldtype: "Select",
			options: ["Item", "Item Group", "Brand", "Issue Type"],
			default: "Item",
			reqd: 1,
		},
	),
};
