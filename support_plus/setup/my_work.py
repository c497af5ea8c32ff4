"""The desk workspace "My Work": a technician's counts, each a Number Card that opens the filtered list on
click. Made by install code, idempotent; removed on uninstall.

The current user is a dynamic filter (`frappe.session.user`, evaluated in the browser, as Frappe's own
cards do), so one public card serves every user. The cards are Custom cards counted by
support_plus.dispatch.my_work: Frappe's Document Type card opens its list without the dynamic filters
(every ticket in progress, not the user's). Each keeps its `document_type`, by which Frappe shows a card
only to a user whose roles read that doctype (a technician reads tickets: support_plus.setup.permissions).

Today's appointments, in order, are a Custom HTML Block (Frappe v15's workspace block with a script): a
Quick List orders by last change and shows four rows, a shortcut shows a count. The block asks
`support_plus.api.field.my_appointments_today` for the session user's own visits, the list /field shows.
"""

import json

import frappe

WORKSPACE = "My Work"
MODULE = "Support Plus"
METHOD = "support_plus.api.my_work.card"
ASSIGNED_TO_ME = ["Issue", "_assign", "like", "'%' + frappe.session.user + '%'"]
OPEN = ["Issue", "status", "not in", ["Resolved", "Closed", "Cancelled"]]

# label -> (doctype, filters, dynamic filters, colour)
CARDS = {
	"New Assignments": (
		"ToDo",
		[
			["ToDo", "reference_type", "=", "Issue"],
			["ToDo", "status", "=", "Open"],
			["ToDo", "acceptance", "=", "Pending"],
		],
		[["ToDo", "allocated_to", "=", "frappe.session.user"]],
		"#ECAD4B",
	),
	"In Progress": ("Issue", [["Issue", "status", "=", "In Progress"]], [ASSIGNED_TO_ME], "#5E64FF"),
	"Pending Customer": (
		"Issue",
		[["Issue", "status", "=", "Pending Customer"]],
		[ASSIGNED_TO_ME],
		"#7575FF",
	),
	"Due Today": (
		"Issue",
		[OPEN, ["Issue", "resolution_by", "Timespan", "today"]],
		[ASSIGNED_TO_ME],
		"#F39C12",
	),
	"Overdue": ("Issue", [OPEN, ["Issue", "sla_health", "=", "Breached"]], [ASSIGNED_TO_ME], "#E24C4C"),
}


TODAY_BLOCK = "My Work: Today's Appointments"
TODAY_LABEL = "Today's Appointments"
TODAY_HTML = """<div class="sp-today"><div class="sp-today-title">Today's Appointments</div>
<div class="sp-today-list">…</div></div>"""
TODAY_STYLE = """
.sp-today { padding: 12px 4px; }
.sp-today-title { font-weight: 600; margin-bottom: 8px; }
.sp-today-row { display: flex; gap: 12px; padding: 6px 0; border-bottom: 1px solid var(--border-color); }
.sp-today-when { min-width: 96px; font-variant-numeric: tabular-nums; }
.sp-today-status { color: var(--text-muted); min-width: 72px; }
.sp-today-empty { color: var(--text-muted); }
"""
TODAY_SCRIPT = """
const esc = (value) => frappe.utils.escape_html(value || "");
root_element.querySelector(".sp-today-title").textContent = __("Today's Appointments");
frappe
	.call({ method: "support_plus.api.field.my_appointments_today", type: "GET" })
	.then(({ message }) => {
		const list = root_element.querySelector(".sp-today-list");
		const rows = message || [];
		list.innerHTML = rows.length
			? rows
					.map(
						(a) => `<div class="sp-today-row" data-appointment="${esc(a.name)}">
				<span class="sp-today-when">${esc(a.when)}</span>
				<span class="sp-today-status">${esc(__(a.status))}</span>
				<span class="sp-today-what">
					<a href="/app/service-appointment/${encodeURIComponent(a.name)}">${esc(a.customer || a.name)}</a>
					${a.issue ? `· <a href="/app/issue/${encodeURIComponent(a.issue)}">${esc(a.subject || a.issue)}</a>` : ""}
					${a.address ? `<div class="text-muted small">${esc(a.address)}</div>` : ""}
				</span></div>`
					)
					.join("")
			: `<div class="sp-today-empty">${__("No appointments today.")}</div>`;
	});
"""


def card_name(label: str) -> str:
	return f"My Work: {label}"


def ensure_my_work() -> None:
	for label, (doctype, filters, dynamic, color) in CARDS.items():
		name = card_name(label)
		card = frappe.get_doc("Number Card", name) if frappe.db.exists("Number Card", name) else None
		values = {
			"label": name,
			"type": "Custom",
			"method": METHOD,
			"document_type": doctype,
			"function": "Count",
			"filters_json": json.dumps(filters),
			"dynamic_filters_json": json.dumps(dynamic),
			"is_public": 1,
			"color": color,
			"module": MODULE,
		}
		if card:
			card.update(values)
			card.save(ignore_permissions=True)
		else:
			frappe.get_doc({"doctype": "Number Card", "name": name, **values}).insert(ignore_permissions=True)
	ensure_today_block()
	content = [
		{
			"id": "my-work-header",
			"type": "header",
			"data": {"text": '<span class="h4"><b>My Work</b></span>', "col": 12},
		},
		*(
			{
				"id": f"my-work-{i}",
				"type": "number_card",
				# The desk finds a block's widget by the row's label (frappe/.../workspace/blocks/block.js).
				"data": {"number_card_name": label, "col": 4},
			}
			for i, label in enumerate(CARDS)
		),
		{
			"id": "my-work-today",
			"type": "custom_block",
			"data": {"custom_block_name": TODAY_LABEL, "col": 12},
		},
	]
	workspace = (
		frappe.get_doc("Workspace", WORKSPACE)
		if frappe.db.exists("Workspace", WORKSPACE)
		else frappe.new_doc("Workspace")
	)
	workspace.update(
		{
			"label": WORKSPACE,
			"title": WORKSPACE,
			"module": MODULE,
			"public": 1,
			"icon": "list",
			"content": json.dumps(content),
		}
	)
	workspace.set("number_cards", [{"number_card_name": card_name(label), "label": label} for label in CARDS])
	workspace.set("custom_blocks", [{"custom_block_name": TODAY_BLOCK, "label": TODAY_LABEL}])
	if workspace.is_new():
		workspace.insert(ignore_permissions=True)
	else:
		workspace.save(ignore_permissions=True)


def ensure_today_block() -> None:
	values = {"html": TODAY_HTML, "script": TODAY_SCRIPT, "style": TODAY_STYLE, "private": 0}
	if frappe.db.exists("Custom HTML Block", TODAY_BLOCK):
		block = frappe.get_doc("Custom HTML Block", TODAY_BLOCK)
		block.update(values)
		block.save(ignore_permissions=True)
	else:
		block = frappe.get_doc({"doctype": "Custom HTML Block", **values})
		block.insert(ignore_permissions=True, set_name=TODAY_BLOCK)


def remove_my_work() -> None:
	frappe.db.delete("Workspace", {"name": WORKSPACE})
	frappe.db.delete("Workspace Custom Block", {"parent": WORKSPACE})
	frappe.db.delete("Custom HTML Block", {"name": TODAY_BLOCK})
	frappe.db.delete("Workspace Number Card", {"parent": WORKSPACE})
	frappe.db.delete("Number Card", {"name": ("in", [card_name(label) for label in CARDS])})
