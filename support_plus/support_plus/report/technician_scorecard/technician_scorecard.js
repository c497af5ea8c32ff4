// Copyright (c) 2026, support_plus developers and contributors
// For license information, please see license.txt

frappe.query_reports["Technician Scorecard"] = {
	filters: support_plus.report_filters(),
};
