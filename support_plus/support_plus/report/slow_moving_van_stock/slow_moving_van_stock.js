// Copyright (c) 2026, support_plus developers and contributors
// For license information, please see license.txt

frappe.query_reports["Slow-Moving Van Stock"] = {
	filters: [
		support_plus.van_filter(),
		{ fieldname: "days", label: __("No Movement For (Days)"), fieldtype: "Int", default: 90 },
	],
};
