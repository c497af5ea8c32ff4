// Copyright (c) 2026, support_plus developers and contributors
// For license information, please see license.txt

frappe.query_reports["Repeat Issues"] = {
	filters: [
		{
			fieldname: "from_date",
			label: __("From Date"),
			fieldtype: "Date",
			default: frappe.datetime.add_months(frappe.datetime.get_today(), -3),
			reqd: 1,
		},
		{
			fieldname: "to_date",
			label: __("To Date"),
			fieldtype: "Date",
			default: frappe.datetime.get_today(),
			reqd: 1,
		},
		{
			fieldname: "days",
			label: __("Within Days"),
			fieldtype: "Int",
			default: 30,
			reqd: 1,
		},
		{ fieldname: "company", label: __("Company"), fieldtype: "Link", options: "Company" },
		{ fieldname: "support_team", label: __("Team"), fieldtype: "Link", options: "Support Team" },
		{ fieldname: "priority", label: __("Priority"), fieldtype: "Link", options: "Issue Priority" },
		{ fieldname: "issue_type", label: __("Issue Type"), fieldtype: "Link", options: "Issue Type" },
		{ fieldname: "customer", label: __("Customer"), fieldtype: "Link", options: "Customer" },
	],
};
