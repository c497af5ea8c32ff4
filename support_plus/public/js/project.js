// Project form: open a support ticket for this project (support_plus).
frappe.ui.form.on("Project", {
	refresh(frm) {
		if (frm.is_new()) return;
		frm.add_custom_button(
			__("Support Ticket"),
			() =>
				frappe.prompt(
					[
						{ fieldname: "subject", fieldtype: "Data", label: __("Subject"), reqd: 1 },
						{ fieldname: "description", fieldtype: "Small Text", label: __("Description") },
					],
					(values) =>
						frappe
							.call({
								method: "support_plus.api.create_ticket_from_project",
								args: { project: frm.doc.name, ...values },
								freeze: true,
							})
							.then(({ message }) => frappe.set_route("Form", "Issue", message)),
					__("New Support Ticket for {0}", [frm.doc.project_name])
				),
			__("Create")
		);
	},
});
