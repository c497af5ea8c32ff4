// Service Part Usage: take a loaner back, or send a replaced part back to its vendor (support_plus/parts/).
frappe.ui.form.on("Service Part Usage", {
	refresh(frm) {
		if (frm.doc.docstatus !== 1) return;
		if (frm.doc.usage_type === "Loaner" && !frm.doc.returned_on) {
			frm.add_custom_button(__("Loaner Returned"), () =>
				frappe
					.call({ method: "support_plus.api.parts.return_loaner", args: { usage: frm.doc.name } })
					.then(() => frm.reload_doc())
			);
		}
		if (frm.doc.old_serial_no && frappe.model.can_create("Return Material Authorization")) {
			frm.add_custom_button(__("Return to Supplier"), () =>
				frappe.prompt(
					[
						{ fieldname: "supplier", fieldtype: "Link", options: "Supplier", label: __("Supplier"), reqd: 1 },
						{ fieldname: "reason", fieldtype: "Small Text", label: __("Reason"), reqd: 1 },
					],
					(values) =>
						frappe
							.call({
								method: "support_plus.api.parts.create_rma",
								args: { ...values, service_part_usage: frm.doc.name },
							})
							.then((r) => frappe.set_route("Form", "Return Material Authorization", r.message)),
					__("Return to Supplier")
				)
			);
		}
	},
});
