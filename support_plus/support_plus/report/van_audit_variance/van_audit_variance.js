// Copyright (c) 2026, support_plus developers and contributors
// For license information, please see license.txt

frappe.query_reports["Van Audit Variance"] = {
	filters: [
		support_plus.van_filter(),
		{ fieldname: "item_code", label: __("Item"), fieldtype: "Link", options: "Item" },
		{ fieldname: "from_date", label: __("From Date"), fieldtype: "Date" },
		{ fieldname: "to_date", label: __("To Date"), fieldtype: "Date" },
	],
	formatter(value, row, column, data, default_formatter) {
		value = default_formatter(value, row, column, data);
		if (column.fieldname === "variance" && data && data.variance) {
			value = `<span class="indicator-pill ${data.variance < 0 ? "red" : "orange"}">${value}</span>`;
		}
		return value;
	},
};
