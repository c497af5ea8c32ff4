// Copyright (c) 2026, support_plus developers and contributors
// For license information, please see license.txt

// Seed 002's van table: OK green, Below Par orange, Out of Stock red.
const SP_VAN_STATUS_COLOURS = { OK: "green", "Below Par": "orange", "Out of Stock": "red" };

frappe.query_reports["Van Stock"] = {
	filters: [
		support_plus.van_filter(),
		{
			fieldname: "status",
			label: __("Status"),
			fieldtype: "Select",
			options: ["", "OK", "Below Par", "Out of Stock"],
		},
	],
	formatter(value, row, column, data, default_formatter) {
		value = default_formatter(value, row, column, data);
		if (column.fieldname === "status" && data && SP_VAN_STATUS_COLOURS[data.status]) {
			value = `<span class="indicator-pill ${SP_VAN_STATUS_COLOURS[data.status]}">${__(data.status)}</span>`;
		}
		return value;
	},
};
