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
	settings.add_fields = [
		...(settings.add_fields || []),
		"status",
		"is_overdue",
		"sla_health",
		"escalation_count",
	];
	settings.formatters = {
		...(settings.formatters || {}),
		sla_health(value) {
			if (!value) return "";
			const color = { "On Track": "green", "At Risk": "orange", Breached: "red" }[value] || "grey";
			return `<span class="indicator-pill ${color} filterable ellipsis">${__(value)}</span>`;
		},
		// The escalated marker: how many times the ticket was escalated (by a rule or by hand).
		escalation_count(value) {
			if (!cint(value)) return "";
			return `<span class="indicator-pill red ellipsis" title="${__("Escalated")}">${__(
				"Escalated"
			)}${cint(value) > 1 ? " ×" + cint(value) : ""}</span>`;
		},
	};
	// The status stays the indicator; an overdue follow-up has its own column and filter.
	settings.get_indicator = (doc) => [__(doc.status), colors[doc.status] || "grey", `status,=,${doc.status}`];

	// Replaces ERPNext's onload, whose only work is the actions "Set as Open" and "Set as Closed": they
	// clash with Set Status below (reopening needs a manager and a reason) and showed no failures.
	settings.onload = function (listview) {
		// A technician reads their own tickets only: no ticket to create, none to change in bulk.
		if (frappe.model.can_create("Issue")) {
			listview.page.add_inner_button(__("Phone Ticket"), () => support_plus.phone_ticket(listview));
		}

		// Each dialog says how many tickets it changes; failures are listed per ticket.
		const bulk = (label, fields) =>
			frappe.model.can_write("Issue") &&
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
		bulk(__("Change Assignee"), [
			{
				fieldname: "assign_to",
				fieldtype: "Link",
				options: "User",
				label: __("User"),
				reqd: 1,
			},
			{
				fieldname: "assign_mode",
				fieldtype: "Select",
				label: __("Mode"),
				options: [
					{ value: "Replace", label: __("Replace the current assignees") },
					{ value: "Add", label: __("Add to the current assignees") },
				],
				default: "Replace",
				reqd: 1,
				description: __(
					"Replace: the user becomes each ticket's only assignee (the others' to-dos are cancelled)."
				),
			},
		]);

		// "My open tickets", one click away (also a shortcut on the Support workspace).
		listview.page.add_inner_button(__("My Open Tickets"), () =>
			listview.filter_area
				.clear(false)
				.then(() => listview.filter_area.set(support_plus.my_open_tickets_filters()))
		);
		// The Support workspace's "Phone Ticket" shortcut opens the list with ?phone_ticket=1.
		if (new URLSearchParams(window.location.search).has("phone_ticket")) {
			if (frappe.route_options) delete frappe.route_options.phone_ticket;
			window.history.replaceState(null, "", window.location.pathname);
			support_plus.phone_ticket(listview);
		}
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

support_plus.DONE_STATUSES = ["Resolved", "Closed", "Cancelled"];

support_plus.my_open_tickets_filters = () => [
	["Issue", "_assign", "like", `%${frappe.session.user}%`],
	["Issue", "status", "not in", support_plus.DONE_STATUSES],
];

// Phone intake: find the caller by the number they call from (or pick the contact), so the ticket is
// raised by the contact (replies go to them) and assigned to the agent on the call.
support_plus.phone_ticket = (listview) => {
	let lookup = 0;
	const show_caller = (email) =>
		dialog.fields_dict.caller_info.$wrapper.html(
			email
				? `<p class="text-muted small">${__("Replies go to {0}", [frappe.utils.escape_html(email)])}</p>`
				: ""
		);
	const choose = (match, customer) => {
		dialog.set_value("customer", customer || match.customers[0] || "");
		dialog.set_value("contact", match.contact);
	};
	const find_callers = () => {
		const phone = dialog.get_value("contact_phone");
		const $matches = dialog.fields_dict.matches.$wrapper.empty();
		if (!phone || phone.replace(/\D/g, "").length < 4) return;
		const asked = ++lookup;
		frappe
			.call({ method: "support_plus.api.find_callers", args: { phone }, type: "GET" })
			.then(({ message: matches }) => {
				if (asked !== lookup) return; // a newer number was typed meanwhile
				if (!matches.length) {
					$matches.html(`<p class="text-muted small">${__("No contact has this number.")}</p>`);
					return;
				}
				if (matches.length === 1 && matches[0].customers.length <= 1 && !dialog.get_value("contact")) {
					choose(matches[0]);
				}
				const rows = [];
				matches.forEach((m, i) =>
					(m.customers.length ? m.customers : [""]).forEach((customer) =>
						rows.push(
							`<button type="button" class="btn btn-xs btn-default sp-caller" data-index="${i}"
								data-customer="${frappe.utils.escape_html(customer)}" style="margin: 0 4px 4px 0">
								${frappe.utils.escape_html(m.full_name)}${
									customer ? " · " + frappe.utils.escape_html(customer) : ""
								}${m.email_id ? " · " + frappe.utils.escape_html(m.email_id) : ""}</button>`
						)
					)
				);
				$matches.html(`<div>${rows.join("")}</div>`);
				$matches.find(".sp-caller").on("click", (e) => {
					const $b = $(e.currentTarget);
					choose(matches[cint($b.attr("data-index"))], $b.attr("data-customer"));
				});
			});
	};
	const dialog = new frappe.ui.Dialog({
		title: __("New Ticket by Phone"),
		fields: [
			{
				fieldname: "contact_phone",
				fieldtype: "Data",
				options: "Phone",
				label: __("Caller's Number"),
				description: __("Type the number to find the caller."),
				onchange: find_callers,
			},
			{ fieldname: "matches", fieldtype: "HTML" },
			{
				fieldname: "customer",
				fieldtype: "Link",
				options: "Customer",
				label: __("Customer"),
				onchange() {
					const contact = dialog.get_value("contact");
					if (contact && dialog.contact_customers && !dialog.contact_customers.includes(this.value)) {
						dialog.set_value("contact", "");
					}
				},
			},
			{
				fieldname: "contact",
				fieldtype: "Link",
				options: "Contact",
				label: __("Contact"),
				get_query: () => {
					const customer = dialog.get_value("customer");
					return customer
						? {
								query: "frappe.contacts.doctype.contact.contact.contact_query",
								filters: { link_doctype: "Customer", link_name: customer },
						  }
						: {};
				},
				onchange() {
					const contact = this.value;
					dialog.contact_customers = null;
					show_caller("");
					if (!contact) return;
					frappe.db.get_doc("Contact", contact).then((doc) => {
						if (dialog.get_value("contact") !== contact) return;
						dialog.contact_customers = (doc.links || [])
							.filter((l) => l.link_doctype === "Customer")
							.map((l) => l.link_name);
						if (!dialog.get_value("customer") && dialog.contact_customers.length === 1) {
							dialog.set_value("customer", dialog.contact_customers[0]);
						}
						if (!dialog.get_value("contact_phone") && (doc.phone || doc.mobile_no)) {
							dialog.set_value("contact_phone", doc.phone || doc.mobile_no);
						}
						show_caller(doc.email_id || __("nobody: this contact has no email address"));
					});
				},
			},
			{ fieldname: "caller_info", fieldtype: "HTML" },
			{
				fieldname: "new_contact_name",
				fieldtype: "Data",
				label: __("New Caller's Name"),
				depends_on: "eval:!doc.contact",
				description: __("A caller not on file is added as a contact of the customer."),
			},
			{
				fieldname: "new_contact_email",
				fieldtype: "Data",
				options: "Email",
				label: __("New Caller's Email"),
				depends_on: "eval:!doc.contact",
			},
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
	support_plus.phone_dialog = dialog; // for the browser test
	return dialog;
};
