// Copyright (c) 2026, support_plus developers and contributors
// For license information, please see license.txt

frappe.query_reports["Parts Shortage"] = {
	filters: [
		...support_plus.date_range(),
		{ fieldname: "company", label: __("Company"), fieldtype: "Link", options: "Company" },
		{ fieldname: "customer", label: __("Customer"), fieldtype: "Link", options: "Customer" },
		{ fieldname: "item_code", label: __("Part"), fieldtype: "Link", options: "Item" },
		{ fieldname: "technician", label: __("Technician"), fieldtype: "Link", options: "Service Technician" },
		{ fieldname: "support_team", label: __("Team"), fieldtype: "Link", options: "Support Team" },
	],
};
