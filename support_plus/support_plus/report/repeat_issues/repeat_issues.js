// Copyright (c) 2026, support_plus developers and contributors
// For license information, please see license.txt

frappe.query_reports["Repeat Issues"] = {
	filters: support_plus.report_filters(
		{
			fieldname: "days",
			label: __("Within Days"),
			fieldtype: "Int",
			default: 30,
			reqd: 1,
		},
	),
};
