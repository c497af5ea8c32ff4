// Copyright (c) 2026, support_plus developers and contributors
// For license information, please see license.txt
//
// Seed 003's Support Tickets Dashboard: four counts that filter the table on click, the status donut
// (its legend filters too), the tickets still needing work with their last follow-up, and a drawer with
// a ticket's details and follow-ups, Add Follow-up and Close, without leaving the page. The numbers and
// the rows come from support_plus.api.analytics.support_tickets_dashboard (one rule for both).

const API = "support_plus.api.analytics.";
const STATES = {
	open: { label: __("Open"), color: "#2490EF" },
	in_progress: { label: __("In Progress"), color: "#ECAD4B" },
	waiting: { label: __("Waiting (Customer / Parts / Hold)"), color: "#7575FF" },
	resolved: { label: __("Resolved"), color: "#29CD42" },
	closed: { label: __("Closed"), color: "#98A1A9" },
	overdue: { label: __("Overdue"), color: "#E24C4C" },
};
const CARDS = ["open", "in_progress", "closed", "overdue"];
const SLICES = ["open", "in_progress", "waiting", "resolved", "closed"];

frappe.pages["support-tickets-dashboard"].on_page_load = function (wrapper) {
	const page = frappe.ui.make_app_page({
		parent: wrapper,
		title: __("Support Tickets Dashboard"),
		single_column: true,
	});
	wrapper.dashboard = new SupportTicketsDashboard(page);
};

frappe.pages["support-tickets-dashboard"].on_page_show = function (wrapper) {
	wrapper.dashboard && wrapper.dashboard.refresh();
};

class SupportTicketsDashboard {
	constructor(page) {
		this.page = page;
		this.state = null;
		this.page.set_secondary_action(__("Refresh"), () => this.refresh(), "refresh");
		this.$body = $(`
			<div class="sp-dashboard">
				<div class="sp-cards row"></div>
				<div class="row">
					<div class="col-md-4"><div class="sp-panel">
						<div class="sp-panel-title">${__("Status Breakdown")}</div>
						<div class="sp-donut"></div><div class="sp-legend"></div>
					</div></div>
					<div class="col-md-8"><div class="sp-panel">
						<div class="sp-panel-title">
							<span class="sp-table-title"></span>
							<button class="btn btn-xs btn-success sp-clear hidden">${__("Clear Filters")}</button>
						</div>
						<div class="sp-table"></div>
					</div></div>
				</div>
			</div>
			<div class="sp-backdrop hidden"></div>
			<div class="sp-drawer hidden" role="dialog" aria-label="${__("Ticket")}"></div>
		`).appendTo(this.page.main);
		this.add_style();
		this.$body.find(".sp-clear").on("click", () => this.filter(null));
		this.$body.filter(".sp-backdrop").on("click", () => this.close_drawer());
		this.$drawer = this.$body.filter(".sp-drawer");
		this.$body.on("click", "[data-ticket]", (e) => {
			e.preventDefault();
			this.open_drawer($(e.currentTarget).attr("data-ticket"));
		});
		this.$body.on("click", "[data-state]", (e) => {
			const state = $(e.currentTarget).attr("data-state");
			this.filter(this.state === state ? null : state);
		});
	}

	refresh() {
		return frappe
			.call({ method: API + "support_tickets_dashboard", type: "GET", args: { state: this.state } })
			.then((r) => this.render(r.message));
	}

	filter(state) {
		this.state = state;
		return this.refresh();
	}

	render(data) {
		this.data = data;
		this.render_cards(data.counts);
		this.render_donut(data.donut);
		this.render_table(data);
	}

	render_cards(counts) {
		const html = CARDS.map(
			(key) => `
			<div class="col-sm-3"><div class="sp-card ${this.state === key ? "active" : ""}" data-state="${key}"
				data-card="${key}" style="border-left-color: ${STATES[key].color}" role="button">
				<div class="sp-card-label">${STATES[key].label}</div>
				<div class="sp-card-value" style="color: ${STATES[key].color}">${counts[key]}</div>
			</div></div>`
		).join("");
		this.$body.find(".sp-cards").html(html);
	}

	render_donut(donut) {
		// A plain SVG donut (one circle per slice, drawn by its dash): each slice is clickable and filters
		// the table, and redrawing it has no animation to race with (frappe-charts' donut threw when
		// updated or redrawn while animating).
		const total = SLICES.reduce((sum, key) => sum + donut[key], 0);
		let offset = 25; // start at 12 o'clock
		const circles = SLICES.filter((key) => donut[key])
			.map((key) => {
				const part = (100 * donut[key]) / total;
				const circle = `<circle class="sp-slice ${this.state === key ? "active" : ""}" data-state="${key}"
					data-slice="${key}" r="15.9155" cx="21" cy="21" fill="transparent" stroke="${STATES[key].color}"
					stroke-width="${this.state === key ? 7 : 5}" stroke-dasharray="${part} ${100 - part}"
					stroke-dashoffset="${offset}" role="button"><title>${STATES[key].label}: ${donut[key]}</title></circle>`;
				offset -= part;
				return circle;
			})
			.join("");
		this.$body.find(".sp-donut").html(
			total
				? `<svg viewBox="0 0 42 42" class="sp-donut-svg">${circles}
					<text x="21" y="23" text-anchor="middle" class="sp-donut-total">${total}</text></svg>`
				: `<div class="text-muted text-center">${__("No tickets")}</div>`
		);
		this.$body.find(".sp-legend").html(
			SLICES.map(
				(key) => `<span class="sp-chip ${this.state === key ? "active" : ""}" data-state="${key}"
					data-slice="${key}" role="button">
					<span class="sp-dot" style="background: ${STATES[key].color}"></span>
					${STATES[key].label}: ${donut[key]}${
					total ? ` (${Math.round((100 * donut[key]) / total)}%)` : ""
				}</span>`
			).join("")
		);
	}

	render_table(data) {
		const title = data.state
			? __("{0} tickets ({1})", [STATES[data.state].label, data.total])
			: __("Open and in-progress tickets ({0})", [data.total]);
		this.$body.find(".sp-table-title").text(title);
		this.$body.find(".sp-clear").toggleClass("hidden", !data.state);
		const esc = frappe.utils.escape_html;
		const rows = data.rows
			.map(
				(row) => `
				<tr data-name="${esc(row.name)}" class="${row.is_overdue ? "sp-overdue" : ""}">
					<td><a href="#" data-ticket="${esc(row.name)}">${esc(row.name)}</a>
						<div class="text-muted small">${esc(row.subject || "")}</div></td>
					<td>${esc(row.project_name || row.project || "")}
						<div class="text-muted small">${esc(row.customer || "")}</div></td>
					<td><span class="indicator-pill ${status_color(row.status)}">${__(row.status)}</span></td>
					<td>${frappe.datetime.str_to_user(row.creation)}</td>
					<td>${row.last_follow_up_on ? frappe.datetime.str_to_user(row.last_follow_up_on) : "–"}
						${
							row.next_follow_up_date
								? `<div class="small ${row.is_overdue ? "text-danger" : "text-muted"}">${__(
										"next: {0}",
										[frappe.datetime.str_to_user(row.next_follow_up_date)]
								  )}</div>`
								: ""
						}</td>
					<td><button class="btn btn-xs btn-default" data-ticket="${esc(row.name)}">${__(
						"View"
					)}</button></td>
				</tr>`
			)
			.join("");
		const more =
			data.total > data.rows.length
				? `<div class="text-muted small">${__("Showing the newest {0} of {1}.", [
						data.rows.length,
						data.total,
				  ])}</div>`
				: "";
		this.$body.find(".sp-table").html(`
			<table class="table table-hover sp-tickets">
				<thead><tr><th>${__("Ticket")}</th><th>${__("Project")}</th><th>${__("Status")}</th>
					<th>${__("Created")}</th><th>${__("Last Follow-up")}</th><th></th></tr></thead>
				<tbody>${rows || `<tr><td colspan="6" class="text-muted">${__("No tickets")}</td></tr>`}</tbody>
			</table>${more}`);
	}

	open_drawer(name) {
		return frappe
			.call({ method: API + "dashboard_ticket", type: "GET", args: { name } })
			.then((r) => this.render_drawer(r.message));
	}

	close_drawer() {
		this.$drawer.addClass("hidden").empty();
		this.$body.filter(".sp-backdrop").addClass("hidden");
		this.ticket = null;
	}

	render_drawer(t) {
		this.ticket = t;
		const esc = frappe.utils.escape_html;
		const when = (value) => (value ? frappe.datetime.str_to_user(value) : "–");
		const timeline = t.follow_ups.length
			? t.follow_ups
					.map(
						(f) => `<div class="sp-follow-up">
						<div class="small text-muted">${when(f.creation)} · ${esc(f.by)}${
							f.follow_up_date ? " · " + __("next: {0}", [when(f.follow_up_date)]) : ""
						}</div>
						<div>${esc(f.note)}</div></div>`
					)
					.join("")
			: `<div class="text-muted">${__("No follow-ups yet.")}</div>`;
		this.$drawer.html(`
			<div class="sp-drawer-head">
				<div><b>${esc(t.name)}</b>
					<span class="indicator-pill ${status_color(t.status)}">${__(t.status)}</span></div>
				<button class="btn btn-xs btn-default sp-drawer-close" aria-label="${__("Close")}">✕</button>
			</div>
			<h4>${esc(t.subject || "")}</h4>
			<div class="sp-description">${t.description || ""}</div>
			<table class="table table-condensed small">
				<tr><th>${__("Project")}</th><td>${esc(t.project_name || t.project || "–")}</td></tr>
				<tr><th>${__("Customer")}</th><td>${esc(t.customer_name || t.customer || "–")}</td></tr>
				<tr><th>${__("Created")}</th><td>${when(t.creation)} · ${esc(t.created_by)}</td></tr>
				<tr><th>${__("Closed")}</th><td>${when(t.closed_on)}</td></tr>
				<tr><th>${__("Next Follow-up")}</th><td class="${t.is_overdue ? "text-danger" : ""}">${when(
			t.next_follow_up_date
		)}</td></tr>
			</table>
			<div class="sp-actions">
				<a class="btn btn-xs btn-default" href="/app/issue/${encodeURIComponent(t.name)}">${__(
			"Open Form"
		)}</a>
				${t.can_close ? `<button class="btn btn-xs btn-danger sp-close-ticket">${__("Close Ticket")}</button>` : ""}
			</div>
			${t.can_follow_up ? `<div class="sp-panel-title">${__("Add Follow-up")}</div><div class="sp-follow-up-form"></div>` : ""}
			<div class="sp-panel-title">${__("Activity")}</div>
			<div class="sp-timeline">${timeline}</div>
		`);
		this.$drawer.removeClass("hidden");
		this.$body.filter(".sp-backdrop").removeClass("hidden");
		this.$drawer.find(".sp-drawer-close").on("click", () => this.close_drawer());
		this.$drawer.find(".sp-close-ticket").on("click", () => this.close_ticket());
		if (t.can_follow_up) this.make_follow_up_form();
	}

	make_follow_up_form() {
		const $form = this.$drawer.find(".sp-follow-up-form");
		this.follow_up = new frappe.ui.FieldGroup({
			parent: $form.get(0),
			fields: [
				{ fieldname: "note", fieldtype: "Small Text", label: __("Note"), reqd: 1 },
				{ fieldname: "follow_up_date", fieldtype: "Date", label: __("Follow-up Date") },
				{
					fieldname: "add",
					fieldtype: "Button",
					label: __("Add Follow-up"),
					click: () => this.add_follow_up(),
				},
			],
		});
		this.follow_up.make();
	}

	add_follow_up() {
		const values = this.follow_up.get_values();
		if (!values) return;
		const name = this.ticket.name;
		return frappe
			.call({
				method: "support_plus.api.add_follow_up",
				args: { issue: name, note: values.note, follow_up_date: values.follow_up_date || null },
				freeze: true,
			})
			.then(() => {
				frappe.show_alert({ message: __("Follow-up added"), indicator: "green" });
				return Promise.all([this.open_drawer(name), this.refresh()]);
			});
	}

	close_ticket() {
		const name = this.ticket.name;
		frappe.confirm(__("Close ticket {0}?", [name]), () =>
			frappe
				.call({
					method: "support_plus.api.tickets.set_status",
					args: { name, status: "Closed" },
					freeze: true,
				})
				.then(() => {
					frappe.show_alert({ message: __("Ticket {0} closed", [name]), indicator: "green" });
					return Promise.all([this.open_drawer(name), this.refresh()]);
				})
		);
	}

	add_style() {
		if (document.getElementById("sp-dashboard-style")) return;
		$(`<style id="sp-dashboard-style">
			.sp-dashboard .sp-card { background: var(--card-bg); border: 1px solid var(--border-color);
				border-left: 4px solid; border-radius: var(--border-radius-md); padding: 12px 16px;
				margin-bottom: 16px; cursor: pointer; }
			.sp-dashboard .sp-card:hover, .sp-dashboard .sp-card.active { box-shadow: var(--shadow-md); }
			.sp-dashboard .sp-card.active { background: var(--control-bg); }
			.sp-dashboard .sp-card-label { color: var(--text-muted); font-size: var(--text-sm); }
			.sp-dashboard .sp-card-value { font-size: 28px; font-weight: 600; }
			.sp-dashboard .sp-panel { background: var(--card-bg); border: 1px solid var(--border-color);
				border-radius: var(--border-radius-md); padding: 12px 16px; margin-bottom: 16px; }
			.sp-panel-title { font-weight: 600; margin: 8px 0; display: flex; justify-content: space-between; }
			.sp-chip { display: inline-block; margin: 2px 6px 2px 0; padding: 2px 8px; border-radius: 12px;
				cursor: pointer; font-size: var(--text-sm); border: 1px solid var(--border-color); }
			.sp-chip.active { background: var(--control-bg); font-weight: 600; }
			.sp-dot { display: inline-block; width: 8px; height: 8px; border-radius: 4px; margin-right: 4px; }
			.sp-donut-svg { display: block; width: 200px; height: 200px; margin: 8px auto; }
			.sp-slice { cursor: pointer; }
			.sp-donut-total { font-size: 6px; font-weight: 600; fill: var(--text-color); }
			.sp-tickets tr.sp-overdue td:first-child { border-left: 3px solid #E24C4C; }
			.sp-backdrop { position: fixed; inset: 0; background: rgba(0,0,0,0.25); z-index: 1030; }
			.sp-drawer { position: fixed; top: 0; right: 0; bottom: 0; width: min(480px, 100vw);
				background: var(--card-bg); box-shadow: var(--shadow-lg); z-index: 1031; overflow-y: auto;
				padding: 16px 20px; }
			.sp-drawer-head { display: flex; justify-content: space-between; align-items: center; }
			.sp-drawer .sp-actions { margin: 8px 0 12px; display: flex; gap: 8px; }
			.sp-follow-up { border-left: 2px solid var(--border-color); padding: 4px 10px; margin-bottom: 8px; }
		</style>`).appendTo(document.head);
	}
}

function status_color(status) {
	return (
		{
			Open: "blue",
			"In Progress": "yellow",
			Replied: "purple",
			"Pending Customer": "orange",
			"Pending Parts": "orange",
			"On Hold": "gray",
			Resolved: "green",
			Closed: "gray",
			Cancelled: "red",
		}[status] || "gray"
	);
}
