// Copyright (c) 2026, support_plus developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("Service Appointment", {
	refresh(frm) {
		if (!frm.is_new()) {
			frm.add_custom_button(__("Calendar"), () =>
				frappe.set_route("List", "Service Appointment", "Calendar", "Default")
			);
		}
	},
});
