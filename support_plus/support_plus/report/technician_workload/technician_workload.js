// Copyright (c) 2026, support_plus developers and contributors
// For license information, please see license.txt

frappe.query_reports["Technician Workload"] = {
	filters: [
		{
			fieldname: "team",
			label: __("Support Team"),
			fieldtype: "Link",
			options: "Support Team",
		},
	],
	formatter(value, row, column, data, default_formatter) {
		value = default_formatter(value, row, column, data);
		if (column.fieldname === "load_percent" && data) {
			const colour = data.load_percent >= 100 ? "red" : data.load_percent >= 80 ? "orange" : "green";
			value = `<span class="indicator-pill ${colour}">${value}</span>`;
		}
		return value;
	},
};
