// Issue form: the parts used on the ticket, their cost and the chargeable total (support_plus/parts/usage.py).
frappe.ui.form.on("Issue", {
	refresh(frm) {
		if (frm.is_new()) return;
		frappe.call({
			method: "support_plus.api.parts.ticket_parts",
			type: "GET",
			args: { issue: frm.doc.name },
			callback: (r) => support_plus_parts.show(frm, r.message),
		});
	},
});

const support_plus_parts = {
	show(frm, data) {
		if (!data || !data.parts.length) return;
		const money = (v) => format_currency(v || 0);
		const rows = data.parts
			.map(
				(p) => `<tr>
					<td><a href="/app/service-part-usage/${encodeURIComponent(p.name)}">${frappe.utils.escape_html(p.item_name || p.item_code)}</a></td>
					<td>${frappe.utils.escape_html(__(p.usage_type))}</td>
					<td class="text-right">${p.qty}</td>
					<td>${frappe.utils.escape_html((p.serial_no || "").replace(/\n/g, ", "))}</td>
					<td>${p.chargeable ? __("Chargeable") : frappe.utils.escape_html(__(p.coverage || "Not charged"))}</td>
					<td class="text-right">${money(p.cost_amount)}</td>
				</tr>`
			)
			.join("");
		const html = `<table class="table table-sm small">
				<thead><tr><th>${__("Part")}</th><th>${__("Usage")}</th><th class="text-right">${__("Qty")}</th>
				<th>${__("Serial Numbers")}</th><th>${__("Billing")}</th><th class="text-right">${__("Cost")}</th></tr></thead>
				<tbody>${rows}</tbody>
			</table>
			<div class="small">${__("Cost {0}; chargeable: {1} part(s), cost {2}, amount {3}", [
				money(data.cost),
				data.chargeable_count,
				money(data.chargeable_cost),
				money(data.chargeable_amount),
			])}</div>`;
		frm.dashboard.add_section(html, __("Parts Used"));
	},
};
