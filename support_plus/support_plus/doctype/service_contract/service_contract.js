// Copyright (c) 2026, support_plus developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("Service Contract", {
	setup(frm) {
		// Only the customer's own equipment can be covered.
		frm.set_query("serial_no", "serials", () => ({ filters: { customer: frm.doc.customer } }));
		frm.set_query("service_level_agreement", () => ({
			filters: { enabled: 1, document_type: "Issue" },
		}));
	},
	contract_type(frm) {
		if (frm.doc.contract_type === "CMC") {
			frm.set_value({ covers_parts: 1, covers_labour: 1 });
		}
	},
});
