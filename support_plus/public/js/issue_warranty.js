// Issue form: the serial number's coverage as a coloured indicator, and "Warranty Claim" (support_plus).
frappe.ui.form.on("Issue", {
	refresh(frm) {
		support_plus_warranty.show_status(frm);
		support_plus_warranty.add_claim_action(frm);
	},
	serial_no(frm) {
		// Stored on save from the serial (support_plus/warranty/tickets.py); cleared until then.
		frm.set_value("warranty_status", null);
	},
});

const support_plus_warranty = {
	COLOURS: {
		"Under Warranty": "green",
		"Under Contract": "blue",
		"Out of Warranty": "red",
		Unknown: "gray",
	},

	show_status(frm) {
		const status = frm.doc.warranty_status;
		if (!frm.doc.serial_no || !status) return;
		const label = frm.doc.service_contract
			? __("{0} ({1})", [__(status), frm.doc.service_contract])
			: __(status);
		frm.dashboard.add_indicator(label, support_plus_warranty.COLOURS[status] || "gray");
	},

	add_claim_action(frm) {
		const can_write = frm.perm[0] && frm.perm[0].write;
		if (frm.is_new() || !can_write || !frm.doc.serial_no || frm.doc.status === "Cancelled") return;
		if (frm.doc.warranty_claim) {
			frm.add_custom_button(__("Warranty Claim"), () =>
				frappe.set_route("Form", "Warranty Claim", frm.doc.warranty_claim)
			);
			return;
		}
		const covered = ["Under Warranty", "Under Contract"].includes(frm.doc.warranty_status);
		const manager = frappe.user.has_role(["Support Manager", "System Manager"]);
		if (!covered && !manager) return;
		frm.add_custom_button(__("Make Warranty Claim"), () => {
			const fields = [{ fieldname: "complaint", fieldtype: "Small Text", label: __("Complaint") }];
			if (!covered) {
				fields.push({
					fieldname: "override_reason",
					fieldtype: "Small Text",
					label: __("Override Reason"),
					reqd: 1,
					description: __("The serial number is not covered: say why the claim is made anyway."),
				});
			}
			frappe.prompt(
				fields,
				(values) =>
					frappe
						.call({
							method: "support_plus.api.create_warranty_claim",
							args: { issue: frm.doc.name, ...values },
						})
						.then(() => frm.reload_doc()),
				__("Make Warranty Claim")
			);
		});
	},
};
