// Copyright (c) 2026, support_plus developers and contributors
// For license information, please see license.txt

frappe.query_reports["Slow-Moving Van Stock"] = {
	filters: [
		{
			fieldname: "warehouse",
			label: __("Van"),
			fieldtype: "Link",
			options: "Warehouse",
			get_query: () => ({ filters: { parent_warehouse: ["like", "Vans - %"] } }),
		},
		{ fieldname: "days", label: __("No Movement For (Days)"), fieldtype: "Int", default: 90 },
	],
};
