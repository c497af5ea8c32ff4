// The filters the support analytics reports share, in one place: a date range (the last three months by
// default), the report's own filters, then company, team, priority, issue type and customer. The Python
// side reads them with support_plus.analytics.kpis.Scope. Loaded on every desk page (hooks.py
// app_include_js), so that a report's script can use it.
frappe.provide("support_plus");

support_plus.report_filters = (...own) => [
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
	...own,
	{ fieldname: "company", label: __("Company"), fieldtype: "Link", options: "Company" },
	{ fieldname: "support_team", label: __("Team"), fieldtype: "Link", options: "Support Team" },
	{ fieldname: "priority", label: __("Priority"), fieldtype: "Link", options: "Issue Priority" },
	{ fieldname: "issue_type", label: __("Issue Type"), fieldtype: "Link", options: "Issue Type" },
	{ fieldname: "customer", label: __("Customer"), fieldtype: "Link", options: "Customer" },
];
