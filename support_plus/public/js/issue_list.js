// Issue list: indicators for support_plus's statuses, bulk actions and phone intake.
(() => {
	const settings = (frappe.listview_settings["Issue"] = frappe.listview_settings["Issue"] || {});
	const colors = {
		Open: "red",
		Replied: "blue",
		"In Progress": "orange",
		"Pending Customer": "purple",
		"Pending Parts": "yellow",
		"On Hold": "grey",
		Resolved: "green",
		Closed: "green",
		Cancelled: "darkgrey",
	};
	settings.add_fields = [...(settings.add_fields || []), "status", "is_overdue", "sla_health"];
	settings.formatters = {
		...(settings.formatters || {}),
		sla_health(value) {
			if (!value) return "";
			const color = { "On Track": "green", "At Risk": "orange", Breached: "red" }[value] || "grey";
			return `<span class="indicator-pill ${color} filterable ellipsis">${__(value)}</span>`;
		},
	};
	// The status stays the indicator; an overdue follow-up has its own column and filter.
	settings.get_indicator = (doc) => [__(doc.status), colors[doc.status] || "grey", `status,=,${doc.status}`];

	// Replaces ERPNext's onload, whose only work is the actions "Set as Open" and "Set as Closed": they
	// clash with Set Status below (reopening needs a manager and a reason) and showed no failures.
	settings.onload = function (listview) {
		listview.page.add_inner_button(__("Phone Ticket"), () => support_plus.phone_ticket(listview));

		// Each dialog says how many tickets it changes; failures are listed per ticket.
		const bulk = (label, fields) =>
			listview.page.add_actions_menu_item(label, () => {
				const names = listview.get_checked_items(true);
				frappe.prompt(
					fields,
					(values) =>
						frappe
							.call({
								method: "support_plus.api.bulk_update",
								args: { issues: names, ...values },
								freeze: true,
							})
							.then(({ message }) => support_plus.show_bulk_result(listview, message)),
					__("{0}: {1} tickets", [label, names.length]),
					label
				);
			});
		bulk(__("Set Status"), [
			{
				fieldname: "status",
				fieldtype: "Select",
				label: __("Status"),
				options: Object.keys(colors).join("\n"),
				reqd: 1,
			},
			{
				fieldname: "cancel_reason",
				fieldtype: "Small Text",
				label: __("Cancel Reason"),
				depends_on: "eval:doc.status=='Cancelled'",
				mandatory_depends_on: "eval:doc.status=='Cancelled'",
			},
		]);
		bulk(__("Set Priority"), {
			fieldname: "priority",
			fieldtype: "Link",
			options: "Issue Priority",
			label: __("Priority"),
			reqd: 1,
		});
		// Not "Assign To": Frappe's own action has that label, and a second item with it is never added.
		bulk(__("Add Assignee"), {
			fieldname: "assign_to",
			fieldtype: "Link",
			options: "User",
			label: __("Assign To"),
			reqd: 1,
			description: __("Added to each ticket's assignees; the current ones stay."),
		});
	};
})();

frappe.provide("support_plus");

support_plus.show_bulk_result = (listview, result) => {
	listview.refresh();
	if (result.queued) {
		frappe.msgprint(__("{0} tickets are being updated in the background; you will be notified.", [result.count]));
		return;
	}
	if (!result.failed.length) {
		frappe.show_alert({ message: __("{0} tickets updated", [result.updated.length]), indicator: "green" });
		return;
	}
	const rows = result.failed
		.map((f) => `<li><b>${frappe.utils.escape_html(f.issue)}</b>: ${frappe.utils.escape_html(f.error)}</li>`)
		.join("");
	frappe.msgprint({
		title: __("{0} updated, {1} not updated", [result.updated.length, result.failed.length]),
		message: `<ul>${rows}</ul>`,
		indicator: "orange",
	});
};

support_plus.phone_ticket = (listview) => {
	const dialog = new frappe.ui.Dialog({
		title: __("New Ticket by Phone"),
		fields: [
			{ fieldname: "customer", fieldtype: "Link", options: "Customer", label: __("Customer") },
			{ fieldname: "contact_phone", fieldtype: "Data", options: "Phone", label: __("Contact Phone") },
			{ fieldname: "subject", fieldtype: "Data", label: __("Subject"), reqd: 1 },
			{ fieldname: "priority", fieldtype: "Link", options: "Issue Priority", label: __("Priority") },
			{ fieldname: "issue_type", fieldtype: "Link", options: "Issue Type", label: __("Issue Type") },
			{ fieldname: "description", fieldtype: "Small Text", label: __("What the customer says") },
		],
		primary_action_label: __("Save Ticket"),
		primary_action(values) {
			frappe
				.call({ method: "support_plus.api.create_phone_ticket", args: values, freeze: true })
				.then(({ message: name }) => {
					dialog.hide();
					listview && listview.refresh();
					frappe.msgprint({
						title: __("Ticket saved"),
						message: __("Tell the customer their ticket number: {0}", [
							`<a href="/app/issue/${name}"><b>${name}</b></a>`,
						]),
						indicator: "green",
					});
				});
		},
	});
	dialog.show();
};
