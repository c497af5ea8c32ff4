"""The desk workspace "My Work": a technician's counts, each a Number Card that opens the filtered list on
click (Frappe's number card widget routes to the list with the card's filters). Made by install code,
idempotent; removed on uninstall.

The current user is a dynamic filter (`frappe.session.user`, evaluated in the browser, as Frappe's own
cards do), so one public card serves every user.
"""

import json

import frappe

WORKSPACE = "My Work"
MODULE = "Support Plus"
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


def card_name(label: str) -> str:
	return f"My Work: {label}"


def ensure_my_work() -> None:
	for label, (doctype, filters, dynamic, color) in CARDS.items():
		name = card_name(label)
		card = frappe.get_doc("Number Card", name) if frappe.db.exists("Number Card", name) else None
		values = {
			"label": name,
			"type": "Document Type",
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
				"data": {"number_card_name": card_name(label), "col": 4},
			}
			for i, label in enumerate(CARDS)
		),
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
	if workspace.is_new():
		workspace.insert(ignore_permissions=True)
	else:
		workspace.save(ignore_permissions=True)


def remove_my_work() -> None:
	frappe.db.delete("Workspace", {"name": WORKSPACE})
	frappe.db.delete("Workspace Number Card", {"parent": WORKSPACE})
	frappe.db.delete("Number Card", {"name": ("in", [card_name(label) for label in CARDS])})
