// The filters support_plus's reports share, in one place. Loaded on every desk page (hooks.py
// app_include_js), so that a report's script can use them.
frappe.provide("support_plus");

// A required date range ending today, starting `months` before it.
support_plus.date_range = (months = 3) => [
	{
		fieldname: "from_date",
		label: __("From Date"),
		fieldtype: "Date",
		default: frappe.datetime.add_months(frappe.datetime.get_today(), -months),
		reqd: 1,
	},
	{
		fieldname: "to_date",
		label: __("To Date"),
		fieldtype: "Date",
		default: frappe.datetime.get_today(),
		reqd: 1,
	},
];

// A technician's van: a Warehouse under the company's "Vans" group (support_plus.parts.vans).
support_plus.van_filter = () => ({
	fieldname: "warehouse",
	label: __("Van"),
	fieldtype: "Link",
	options: "Warehouse",
	get_query: () => ({ filters: { parent_warehouse: ["like", "Vans - %"] } }),
});

// The support analytics reports: the last three months, the report's own filters, then company, team,
// priority, issue type and customer. The Python side reads them with support_plus.analytics.kpis.Scope.
support_plus.report_filters = (...own) => [
	...support_plus.date_range(),
	...own,
	{ fieldname: "company", label: __("Company"), fieldtype: "Link", options: "Company" },
	{ fieldname: "support_team", label: __("Team"), fieldtype: "Link", options: "Support Team" },
	{ fieldname: "priority", label: __("Priority"), fieldtype: "Link", options: "Issue Priority" },
	{ fieldname: "issue_type", label: __("Issue Type"), fieldtype: "Link", options: "Issue Type" },
	{ fieldname: "customer", label: __("Customer"), fieldtype: "Link", options: "Customer" },
];
