// Issue form: "Service Invoice" makes (or brings up to date) the ticket's draft Sales Invoice of its
// chargeable parts and labour (support_plus/parts/billing.py), and opens it.
frappe.ui.form.on("Issue", {
	refresh(frm) {
		if (frm.is_new() || frm.doc.status === "Cancelled") return;
		if (!frappe.user.has_role(["Support Agent", "Support Manager", "Accounts User", "System Manager"])) return;
		frm.add_custom_button(
			__("Service Invoice"),
			() =>
				frappe.call({
					method: "support_plus.api.make_service_invoice",
					args: { issue: frm.doc.name },
					freeze: true,
					callback: (r) => {
						if (r.message) frappe.set_route("Form", "Sales Invoice", r.message);
						else frappe.msgprint(__("Nothing on this ticket is chargeable: warranty or contract covers it."));
					},
				}),
			__("Create")
		);
	},
});
