// Issue form: follow-ups, reopening and cancel reasons (support_plus).
frappe.ui.form.on("Issue", {
	refresh(frm) {
		if (frm.is_new()) return;
		const final = ["Closed", "Cancelled"].includes(frm.doc.status);
		const manager = frappe.user.has_role(["Support Manager", "System Manager"]);

		if (!final && frm.doc.raised_by) {
			frm.add_custom_button(__("Reply to Customer"), () => support_plus.reply_to_customer(frm));
		}
		if (!final || manager) {
			frm.add_custom_button(__("Add Follow-up"), () => support_plus.add_follow_up(frm));
		}
		if (!["Resolved", "Closed", "Cancelled"].includes(frm.doc.status)) {
			frm.add_custom_button(__("Escalate"), () => support_plus.escalate(frm));
		}
		support_plus.show_sla_health(frm);
		if (["Resolved", "Closed", "Cancelled"].includes(frm.doc.status) && manager) {
			frm.add_custom_button(__("Reopen"), () => support_plus.reopen(frm));
		}
		if (frm.doc.is_overdue) {
			frm.dashboard.set_headline_alert(
				__("Follow-up overdue since {0}", [frappe.datetime.str_to_user(frm.doc.next_follow_up_date)]),
				"red"
			);
		}
	},
});

frappe.provide("support_plus");

support_plus.add_follow_up = (frm) => {
	const dialog = new frappe.ui.Dialog({
		title: __("Add Follow-up to {0}", [frm.doc.name]),
		fields: [
			{ fieldname: "note", fieldtype: "Small Text", label: __("Note"), reqd: 1 },
			{
				fieldname: "follow_up_date",
				fieldtype: "Date",
				label: __("Follow-up Date"),
				description: __("When the next action is due (optional)"),
			},
		],
		primary_action_label: __("Add Follow-up"),
		primary_action(values) {
			frappe
				.call({
					method: "support_plus.api.add_follow_up",
					args: { issue: frm.doc.name, ...values },
					freeze: true,
				})
				.then(() => {
					dialog.hide();
					frappe.show_alert({ message: __("Follow-up added"), indicator: "green" });
					frm.reload_doc();
				});
		},
	});
	dialog.show();
};

support_plus.reply_to_customer = (frm) => {
	const dialog = new frappe.ui.Dialog({
		title: __("Reply to {0}", [frm.doc.raised_by]),
		fields: [
			{
				fieldname: "message",
				fieldtype: "Text Editor",
				label: __("Reply"),
				reqd: 1,
				description: __("Shown on the customer's ticket page and emailed to them."),
			},
		],
		primary_action_label: __("Send"),
		primary_action({ message }) {
			frappe
				.call({
					method: "support_plus.api.reply_to_customer",
					args: { issue: frm.doc.name, message },
					freeze: true,
				})
				.then(() => {
					dialog.hide();
					frappe.show_alert({ message: __("Reply sent"), indicator: "green" });
					frm.reload_doc();
				});
		},
	});
	dialog.show();
};

support_plus.reopen = (frm) => {
	frappe.prompt(
		{ fieldname: "reason", fieldtype: "Small Text", label: __("Why is it reopened?"), reqd: 1 },
		({ reason }) =>
			frappe
				.call({ method: "support_plus.api.reopen", args: { issue: frm.doc.name, reason }, freeze: true })
				.then(() => frm.reload_doc()),
		__("Reopen {0}", [frm.doc.name]),
		__("Reopen")
	);
};

support_plus.SLA_COLORS = { "On Track": "green", "At Risk": "orange", Breached: "red" };

support_plus.show_sla_health = (frm) => {
	const health = frm.doc.sla_health;
	if (!health) return;
	const due = !frm.doc.first_responded_on ? frm.doc.response_by : frm.doc.resolution_by;
	const what = !frm.doc.first_responded_on ? __("respond") : __("resolve");
	let text = __("SLA {0}", [__(health)]);
	if (frm.doc.on_hold_since && !["Resolved", "Closed"].includes(frm.doc.status)) {
		text += " · " + __("clock paused");
	} else if (due && !["Resolved", "Closed", "Cancelled"].includes(frm.doc.status)) {
		text += " · " + __("{0} by {1} ({2})", [what, frappe.datetime.str_to_user(due), frappe.datetime.comment_when(due)]);
	}
	frm.dashboard.add_indicator(text, support_plus.SLA_COLORS[health] || "grey");
};

support_plus.escalate = (frm) => {
	const dialog = new frappe.ui.Dialog({
		title: __("Escalate {0}", [frm.doc.name]),
		fields: [
			{ fieldname: "reason", fieldtype: "Small Text", label: __("Reason"), reqd: 1 },
			{
				fieldname: "to_user",
				fieldtype: "Link",
				options: "User",
				label: __("Escalate To"),
				description: __("Reassigned to this user, who is notified (optional)"),
			},
		],
		primary_action_label: __("Escalate"),
		primary_action(values) {
			frappe
				.call({ method: "support_plus.api.escalate", args: { issue: frm.doc.name, ...values }, freeze: true })
				.then(() => {
					dialog.hide();
					frappe.show_alert({ message: __("Escalated"), indicator: "orange" });
					frm.reload_doc();
				});
		},
	});
	dialog.show();
};
