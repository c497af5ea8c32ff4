// Return Material Authorization: the status moves only through these actions (support_plus/parts/rma.py).
frappe.ui.form.on("Return Material Authorization", {
	refresh(frm) {
		if (frm.is_new() || !frm.perm[0] || !frm.perm[0].write) return;
		const act = (method, args) =>
			frappe
				.call({ method: `support_plus.api.parts.${method}`, args: { rma_name: frm.doc.name, ...args } })
				.then(() => frm.reload_doc());
		const ask = (title, field, method) =>
			frappe.prompt([field], (values) => act(method, values), title);
		if (frm.doc.status === "Requested") {
			frm.add_custom_button(__("Ship to Supplier"), () =>
				ask(__("Ship to Supplier"), { fieldname: "supplier_reference", fieldtype: "Data", label: __("Supplier's RMA Number") }, "ship_rma")
			);
		}
		if (frm.doc.status === "Shipped") {
			frm.add_custom_button(__("Receive Replacement"), () =>
				frappe.prompt(
					[
						{ fieldname: "serial_no", fieldtype: "Data", label: __("Replacement Serial No") },
						{ fieldname: "warehouse", fieldtype: "Link", options: "Warehouse", label: __("Into Warehouse") },
					],
					(values) => act("receive_rma_replacement", values),
					__("Receive Replacement")
				)
			);
			frm.add_custom_button(__("Credited"), () =>
				ask(__("Credited by the Supplier"), { fieldname: "credit_reference", fieldtype: "Data", label: __("Credit Note") }, "credit_rma")
			);
		}
		if (["Requested", "Shipped"].includes(frm.doc.status)) {
			frm.add_custom_button(__("Rejected"), () =>
				ask(__("Rejected by the Supplier"), { fieldname: "reason", fieldtype: "Small Text", label: __("Reason") }, "reject_rma")
			);
		}
	},
});
