// Issue form: one set of actions, follow-ups, reopening, escalation and the SLA line (support_plus).
frappe.ui.form.on("Issue", {
	onload(frm) {
		// Runs after ERPNext's onload, which adds its own Close and Reopen buttons.
		support_plus.set_actions(frm);
		support_plus.limit_priorities(frm);
	},
	refresh(frm) {
		support_plus.set_actions(frm);
		support_plus.show_acceptance(frm);
		support_plus.show_sla_health(frm);
		if (frm.doc.is_overdue) {
			frm.dashboard.set_headline_alert(
				__("Follow-up overdue since {0}", [frappe.datetime.str_to_user(frm.doc.next_follow_up_date)]),
				"red"
			);
		}
	},
});

frappe.provide("support_plus");

// Statuses as in support_plus/tickets/lifecycle.py: Close from any of these; Reopen from DONE.
support_plus.CLOSABLE = ["Open", "Replied", "In Progress", "Pending Customer", "Pending Parts", "On Hold", "Resolved"];
support_plus.DONE = ["Resolved", "Closed", "Cancelled"];
// Labels of the buttons this script owns. ERPNext's Issue script adds a Close that also "closes" a
// Cancelled ticket and a Reopen that saves status Open (refused): same labels, so they are removed first
// (Frappe keeps an existing button's action when a button with the same label is added).
support_plus.ACTIONS = ["Reply to Customer", "Add Follow-up", "Escalate", "Close", "Reopen"];

support_plus.set_actions = (frm) => {
	support_plus.ACTIONS.forEach((label) => frm.remove_custom_button(label));
	if (frm.is_new()) return;
	const status = frm.doc.status;
	const final = ["Closed", "Cancelled"].includes(status);
	const manager = frappe.user.has_role(["Support Manager", "System Manager"]);
	const can_write = frm.perm[0] && frm.perm[0].write;

	if (can_write && !final && frm.doc.raised_by) {
		frm.add_custom_button(__("Reply to Customer"), () => support_plus.reply_to_customer(frm));
	}
	if (frappe.model.can_create("Issue Follow Up") && (!final || manager)) {
		frm.add_custom_button(__("Add Follow-up"), () => support_plus.add_follow_up(frm));
	}
	if (can_write && !support_plus.DONE.includes(status)) {
		frm.add_custom_button(__("Escalate"), () => support_plus.escalate(frm));
	}
	if (can_write && support_plus.CLOSABLE.includes(status)) {
		frm.add_custom_button(__("Close"), () => support_plus.close(frm));
	}
	if (manager && support_plus.DONE.includes(status)) {
		frm.add_custom_button(__("Reopen"), () => support_plus.reopen(frm));
	}
};

// A refused change (lifecycle rule, permission) shows its reason; the form then shows what is saved.
support_plus.call_and_reload = (frm, method, args) =>
	frappe.call({
		method,
		args,
		freeze: true,
		callback: () => frm.reload_doc(),
		error: () => frm.reload_doc(),
	});

support_plus.close = (frm) => {
	frappe.confirm(__("Close ticket {0}?", [frm.doc.name]), () =>
		support_plus.call_and_reload(frm, "support_plus.api.tickets.set_status", {
			name: frm.doc.name,
			status: "Closed",
		})
	);
};

// The priority picker offers the priorities of the ticket's SLA (ERPNext's form did; see sla/desk.py).
support_plus.limit_priorities = (frm) => {
	if (!frm.doc.service_level_agreement) return;
	frappe.call({
		method: "erpnext.support.doctype.service_level_agreement.service_level_agreement.get_service_level_agreement_filters",
		args: { doctype: frm.doctype, name: frm.doc.service_level_agreement, customer: frm.doc.customer },
		callback: ({ message }) => {
			if (!message) return;
			frm.set_query("priority", () => ({ filters: { name: ["in", message.priority] } }));
			frm.set_query("service_level_agreement", () => ({
				filters: { name: ["in", message.service_level_agreements] },
			}));
		},
	});
};

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
					// Posted on the ticket; the server says so when it could not be emailed.
					frappe.show_alert({ message: __("Reply posted"), indicator: "green" });
					frm.reload_doc();
				});
		},
	});
	dialog.show();
};

support_plus.reopen = (frm) => {
	frappe.prompt(
		{ fieldname: "reason", fieldtype: "Small Text", label: __("Why is it reopened?"), reqd: 1 },
		({ reason }) => support_plus.call_and_reload(frm, "support_plus.api.reopen", { issue: frm.doc.name, reason }),
		__("Reopen {0}", [frm.doc.name]),
		__("Reopen")
	);
};

support_plus.SLA_COLORS = { "On Track": "green", "At Risk": "orange", Breached: "red" };

// One SLA line: health and the time left in words ("respond within 3 hours"), none on Closed or
// Cancelled tickets (nothing is owed any more). Deadlines are in business time (support_plus/sla).
support_plus.show_sla_health = (frm) => {
	const health = frm.doc.sla_health;
	if (!health || ["Closed", "Cancelled"].includes(frm.doc.status)) return;
	frm.dashboard.add_indicator(support_plus.sla_text(frm.doc), support_plus.SLA_COLORS[health] || "grey");
};

support_plus.sla_text = (doc, now) => {
	let text = __("SLA {0}", [__(doc.sla_health)]);
	if (doc.status === "Resolved") return text;
	if (doc.on_hold_since) return text + " · " + __("clock paused");
	const responding = !doc.first_responded_on;
	const due = responding ? doc.response_by : doc.resolution_by;
	if (!due) return text;
	// Both in the system timezone, as stored (ERPNext's SLA banner compares them the same way).
	const left = moment(due).diff(now || frappe.datetime.system_datetime(true));
	const words = moment.duration(Math.abs(left)).humanize();
	const when = frappe.datetime.str_to_user(due);
	if (left >= 0) {
		return text + " · " + (responding
			? __("respond within {0} (by {1})", [words, when])
			: __("resolve within {0} (by {1})", [words, when]));
	}
	return text + " · " + (responding
		? __("response overdue by {0} (due {1})", [words, when])
		: __("resolution overdue by {0} (due {1})", [words, when]));
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

// Accept / Decline for the assignee of a Pending assignment (support_plus/dispatch/acceptance.py).
support_plus.ACCEPTANCE_ACTIONS = ["Accept", "Decline"];

support_plus.show_acceptance = (frm) => {
	support_plus.ACCEPTANCE_ACTIONS.forEach((label) => frm.remove_custom_button(label));
	const user = frappe.session.user;
	// The form's docinfo lists the open assignments (Frappe does not send the ticket's `_assign` to forms).
	const assignments = (!frm.is_new() && frm.get_docinfo().assignments) || [];
	if (!assignments.some((a) => a.owner === user || a.allocated_to === user)) return;
	frappe.db
		.get_value(
			"ToDo",
			{ reference_type: "Issue", reference_name: frm.doc.name, allocated_to: user, status: "Open" },
			"acceptance"
		)
		.then(({ message }) => {
			if (!message || message.acceptance !== "Pending") return;
			frm.add_custom_button(__("Accept"), () => support_plus.respond(frm, true));
			frm.add_custom_button(__("Decline"), () =>
				frappe.prompt(
					{ fieldname: "reason", fieldtype: "Small Text", label: __("Why do you decline it?"), reqd: 1 },
					({ reason }) => support_plus.respond(frm, false, reason),
					__("Decline {0}", [frm.doc.name]),
					__("Decline")
				)
			);
		});
};

support_plus.respond = (frm, accept, reason) =>
	support_plus.call_and_reload(frm, "support_plus.api.respond_to_assignment", {
		issue: frm.doc.name,
		accept: accept ? 1 : 0,
		reason,
	});
