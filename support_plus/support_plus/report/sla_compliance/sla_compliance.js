// Copyright (c) 2026, support_plus developers and contributors
// For license information, please see license.txt

frappe.query_reports["SLA Compliance"] = {
	filters: [
		...support_plus.date_range(),
		{
			fieldname: "group_by",
			label: __("Group By"),
			fieldtype: "Select",
			options: ["Priority", "Issue Type", "Customer", "Assignee", "Week"],
			default: "Priority",
			reqd: 1,
		},
		{
			fieldname: "service_level_agreement",
			label: __("Service Level Agreement"),
			fieldtype: "Link",
			options: "Service Level Agreement",
		},
	],
	formatter(value, row, column, data, default_formatter) {
		value = default_formatter(value, row, column, data);
		if (column.fieldname.endsWith("_percent") && data && data[column.fieldname] !== null) {
			const pct = data[column.fieldname];
			const color = pct >= 95 ? "green" : pct >= 80 ? "orange" : "red";
			value = `<span style="color: var(--${color}-600)">${value}</span>`;
		}
		// The last row is the report's own Total, computed from the counts (sla_compliance.py).
		if (data && data.is_total_row) value = `<b>${value}</b>`;
		return value;
	},
};
