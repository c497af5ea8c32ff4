// Copyright (c) 2026, support_plus developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("Issue Follow Up", {
	refresh(frm) {
		frm.set_query("issue", () => ({ filters: { status: ["not in", ["Closed", "Cancelled"]] } }));
	},
});
