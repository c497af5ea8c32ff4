// Serial No and Customer forms: the service history (tickets, warranty claims, maintenance visits, service
// contracts), newest first, from support_plus.api.service_history, which reads each kind with the
// user's own permissions. Loaded for both doctypes: registered once.
if (!window.support_plus_service_history) {
	window.support_plus_service_history = {
		SHOWN: 20,
		ARGS: { "Serial No": "serial_no", Customer: "customer" },

		refresh(frm) {
			frm.dashboard.parent.find(".sp-service-history").remove();
			if (frm.is_new()) return;
			const name = frm.doc.name;
			frappe
				.call({
					method: "support_plus.api.service_history",
					args: { [this.ARGS[frm.doctype]]: name },
				})
				.then(({ message }) => {
					if (frm.doc.name !== name) return; // another record was opened meanwhile
					frm.dashboard.parent.find(".sp-service-history").remove();
					this.render(frm, message || []);
				});
		},

		render(frm, entries) {
			const body = frm.dashboard.add_section(
				"",
				__("Service History") + ` (${entries.length})`,
				"custom sp-service-history"
			);
			if (!entries.length) {
				body.html(`<p class="text-muted small">${__("No tickets, claims, visits or contracts yet.")}</p>`);
				return;
			}
			const row = (e) => `
				<tr class="sp-history-row" data-doctype="${frappe.utils.escape_html(e.doctype)}"
					data-name="${frappe.utils.escape_html(e.name)}">
					<td class="text-nowrap">${e.date ? frappe.datetime.str_to_user(e.date, false, true) : ""}</td>
					<td class="text-nowrap">${__(e.doctype)} ${frappe.utils.get_form_link(e.doctype, e.name, true)}</td>
					<td>${frappe.utils.escape_html(e.title || "")}</td>
					<td>${frappe.utils.escape_html(e.status ? __(e.status) : "")}</td>
					${frm.doctype === "Customer" ? `<td>${frappe.utils.escape_html(e.serial_no || "")}</td>` : ""}
				</tr>`;
			const head = [__("Date"), __("Record"), __("Details"), __("Status")];
			if (frm.doctype === "Customer") head.push(__("Serial No"));
			body.html(`
				<table class="table table-sm sp-service-history-table">
					<thead><tr>${head.map((h) => `<th>${h}</th>`).join("")}</tr></thead>
					<tbody>${entries.slice(0, this.SHOWN).map(row).join("")}</tbody>
				</table>
				${
					entries.length > this.SHOWN
						? `<button class="btn btn-xs btn-default sp-history-all">${__("Show all {0}", [
								entries.length,
						  ])}</button>`
						: ""
				}`);
			body.find(".sp-history-all").on("click", (event) => {
				body.find("tbody").html(entries.map(row).join(""));
				$(event.currentTarget).remove();
			});
		},
	};

	for (const doctype of ["Serial No", "Customer"]) {
		frappe.ui.form.on(doctype, {
			refresh(frm) {
				support_plus_service_history.refresh(frm);
			},
		});
	}
}
