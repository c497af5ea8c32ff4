// Copyright (c) 2026, support_plus developers and contributors
// For license information, please see license.txt

frappe.query_reports["Overdue Maintenance"] = {
	filters: [
		{ fieldname: "company", label: __("Company"), fieldtype: "Link", options: "Company" },
		{ fieldname: "customer", label: __("Customer"), fieldtype: "Link", options: "Customer" },
		{
			fieldname: "sales_person",
			label: __("Technician (Sales Person)"),
			fieldtype: "Link",
			options: "Sales Person",
		},
		{ fieldname: "from_date", label: __("Scheduled From"), fieldtype: "Date" },
		{ fieldname: "to_date", label: __("Scheduled To"), fieldtype: "Date" },
	],
	formatter(value, row, column, data, default_formatter) {
		value = default_formatter(value, row, column, data);
		if (column.fieldname === "days_overdue" && data) {
			const colour = data.days_overdue > 30 ? "red" : data.days_overdue > 7 ? "orange" : "yellow";
			value = `<span class="indicator-pill ${colour}">${value}</span>`;
		}
		return value;
	},
};
