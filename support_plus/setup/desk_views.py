"""The views an agent works from every day, made with Frappe's own records (install code, idempotent, undone
on uninstall):

- the Issue list's columns (Frappe's *List View Settings*, made only when the site has none, so a
  manager's own choice is kept): status, SLA health, the escalated marker, priority and the overdue flag,
  seven columns at every width (Frappe shows four at 1366 px and less, which dropped SLA Health);
- shortcuts and links on ERPNext's *Support* workspace: My Open Tickets, Escalated Tickets, Phone Ticket,
  SLA Compliance, escalation rules and records, follow-ups, Support Plus Settings. ERPNext's workspace is
  a record on the site: rows are added to it here, ERPNext's files are never touched;
- the analytics blocks on the same workspace (`add_analytics`, called by support_plus.setup.analytics with
  its Number Cards and Dashboard Charts): a "Support Analytics" header, the cards and the charts above
  ERPNext's shortcuts, each block with an id of ours (`sp-analytics-…`). ERPNext's migrate may reload its
  workspace from its file: our after_migrate adds ours again.

Sorting by the response and resolution deadlines is a property setter (support_plus.setup.customizations).
"""

import json
from contextlib import contextmanager

import frappe

WORKSPACE = "Support"
LIST_COLUMNS = (
	("status_field", "Status"),
	("sla_health", "SLA Health"),
	("escalation_count", "Escalations"),
	("priority", "Priority"),
	("is_overdue", "Follow-up Overdue"),
)
TOTAL_COLUMNS = "7"  # subject, tags (hidden when none) and the five above

DONE = '["Resolved", "Closed", "Cancelled"]'
MY_OPEN_TICKETS = (
	'[["Issue", "_assign", "like", "%" + frappe.session.user + "%"], ["Issue", "status", "not in", '
	+ DONE
	+ "]]"
)
ESCALATED_TICKETS = '[["Issue", "escalation_count", ">", 0], ["Issue", "status", "not in", ' + DONE + "]]"
PHONE_TICKET_URL = "/app/issue?phone_ticket=1"

SHORTCUTS = (
	{
		"label": "My Open Tickets",
		"type": "DocType",
		"link_to": "Issue",
		"doc_view": "List",
		"stats_filter": MY_OPEN_TICKETS,
		"format": "{} open",
		"color": "Blue",
	},
	{
		"label": "Escalated Tickets",
		"type": "DocType",
		"link_to": "Issue",
		"doc_view": "List",
		"stats_filter": ESCALATED_TICKETS,
		"format": "{} escalated",
		"color": "Red",
	},
	{"label": "Phone Ticket", "type": "URL", "url": PHONE_TICKET_URL},
	{"label": "Support Tickets Dashboard", "type": "Page", "link_to": "support-tickets-dashboard"},
)
CARD = "Support Plus"
LINKS = (
	("Report", "SLA Compliance", "SLA Compliance", 1),
	("DocType", "Support Escalation Rule", "Escalation Rules", 0),
	("DocType", "Issue Escalation", "Escalations", 0),
	("DocType", "Issue Follow Up", "Follow-ups", 0),
	("DocType", "Support Plus Settings", "Support Plus Settings", 0),
)
BLOCK_IDS = {
	"My Open Tickets": "sp-my-open-tickets",
	"Escalated Tickets": "sp-escalated-tickets",
	"Phone Ticket": "sp-phone-ticket",
	"Support Tickets Dashboard": "sp-tickets-dashboard",
	CARD: "sp-support-plus-card",
}


def apply_desk_views() -> None:
	ensure_issue_list_columns()
	add_to_support_workspace()


def remove_desk_views() -> None:
	if _list_settings_are_ours():
		frappe.delete_doc("List View Settings", "Issue", ignore_permissions=True, force=True)
	remove_from_support_workspace()


def _list_columns_json() -> str:
	return json.dumps([{"fieldname": f, "label": label} for f, label in LIST_COLUMNS])


def _list_settings_are_ours() -> bool:
	return frappe.db.get_value("List View Settings", "Issue", "fields") == _list_columns_json()


def ensure_issue_list_columns() -> None:
	if frappe.db.exists("List View Settings", "Issue"):
		return  # the site's own choice (or ours, already made)
	doc = frappe.new_doc("List View Settings")
	doc.name = "Issue"
	doc.total_fields = TOTAL_COLUMNS
	doc.fields = _list_columns_json()
	doc.insert(ignore_permissions=True, set_name="Issue")


@contextmanager
def _not_exported():
	"""Frappe exports a saved public workspace into its module's files in developer mode unless it is
	saved during install or migrate: this save must never write into ERPNext's folder."""
	flag = frappe.flags.in_install
	frappe.flags.in_install = True
	try:
		yield
	finally:
		frappe.flags.in_install = flag


def add_to_support_workspace() -> None:
	if not frappe.db.exists("Workspace", WORKSPACE):
		return
	ws = frappe.get_doc("Workspace", WORKSPACE)
	changed = False
	have = {row.label for row in ws.shortcuts}
	for shortcut in SHORTCUTS:
		if shortcut["label"] not in have:
			ws.append("shortcuts", shortcut)
			changed = True
	if not any(row.type == "Card Break" and row.label == CARD for row in ws.links):
		ws.append("links", {"type": "Card Break", "label": CARD, "link_count": len(LINKS)})
		for link_type, link_to, label, is_report in LINKS:
			ws.append(
				"links",
				{
					"type": "Link",
					"link_type": link_type,
					"link_to": link_to,
					"label": label,
					"is_query_report": is_report,
				},
			)
		changed = True
	content = json.loads(ws.content or "[]")
	ids = {block.get("id") for block in content}
	last_shortcut = max((i for i, b in enumerate(content) if b.get("type") == "shortcut"), default=-1)
	for shortcut in reversed(SHORTCUTS):
		if BLOCK_IDS[shortcut["label"]] not in ids:
			content.insert(
				last_shortcut + 1,
				{
					"id": BLOCK_IDS[shortcut["label"]],
					"type": "shortcut",
					"data": {"shortcut_name": shortcut["label"], "col": 3},
				},
			)
			changed = True
	if BLOCK_IDS[CARD] not in ids:
		content.append({"id": BLOCK_IDS[CARD], "type": "card", "data": {"card_name": CARD, "col": 4}})
		changed = True
	if changed:
		ws.content = json.dumps(content)
		with _not_exported():
			ws.save(ignore_permissions=True)


def remove_from_support_workspace() -> None:
	if not frappe.db.exists("Workspace", WORKSPACE):
		return
	ws = frappe.get_doc("Workspace", WORKSPACE)
	ours = {s["label"] for s in SHORTCUTS}
	ws.shortcuts = [row for row in ws.shortcuts if row.label not in ours]
	ws.links = [row for row in _without_card(ws.links)]
	ws.content = json.dumps(
		[b for b in json.loads(ws.content or "[]") if b.get("id") not in BLOCK_IDS.values()]
	)
	with _not_exported():
		ws.save(ignore_permissions=True)


def _without_card(links, card=CARD):
	"""The workspace's links without our card (its Card Break and the links up to the next card)."""
	inside = False
	for row in links:
		if row.type == "Card Break":
			inside = row.label == card
		if not inside:
			yield row


def _card_links(links, card: str) -> list:
	"""The Link rows of a card of the workspace."""
	inside, out = False, []
	for row in links:
		if row.type == "Card Break":
			inside = row.label == card
		elif inside:
			out.append(row)
	return out


ANALYTICS_PREFIX = "sp-analytics-"


def _block_id(kind: str, name: str) -> str:
	return ANALYTICS_PREFIX + kind + "-" + frappe.scrub(name).replace(":", "")


ANALYTICS_CARD = "Support Analytics"


def add_missing_report_links(ws, reports: list[str]) -> bool:
	"""A report added to the analytics after a site was installed joins its links card on migrate; the
	return value says whether the workspace still needs a save (never: the rows are written here)."""
	rows = list(ws.links)
	start = next(i for i, row in enumerate(rows) if row.type == "Card Break" and row.label == ANALYTICS_CARD)
	end = start + 1
	while end < len(rows) and rows[end].type != "Card Break":
		end += 1
	have = {row.link_to for row in rows[start + 1 : end]}
	missing = [report for report in reports if report not in have]
	if not missing:
		return False
	added = [
		ws.append(
			"links",
			{"type": "Link", "link_type": "Report", "link_to": report, "label": report, "is_query_report": 1},
		)
		for report in missing
	]
	ws.links = rows[:end] + added + rows[end:]
	for idx, row in enumerate(ws.links, 1):
		row.idx = idx
	rows[start].link_count = end - start - 1 + len(added)
	# Written row by row: saving the workspace would validate every link on it, and a link of another app
	# that is gone (a removed page) would stop the migrate.
	for row in ws.links:
		row.db_insert() if row in added else row.db_update()
	ws.clear_cache()
	return False


def add_analytics(cards: list[str], charts: list[tuple[str, str]], reports: list[str]) -> None:
	"""Put `cards` (Number Card names) and `charts` ((Dashboard Chart name, "Half"/"Full")) on the
	workspace, first, under a header, and a links card of the analytics `reports`; keeps whatever else
	the workspace has."""
	if not frappe.db.exists("Workspace", WORKSPACE):
		return
	ws = frappe.get_doc("Workspace", WORKSPACE)
	links_changed = False
	have_reports = [row.link_to for row in _card_links(ws.links, ANALYTICS_CARD)]
	if have_reports and have_reports != list(reports):  # a report added or removed since the last migrate
		ws.links = list(_without_card(ws.links, ANALYTICS_CARD))
		links_changed = True
	if not any(row.type == "Card Break" and row.label == ANALYTICS_CARD for row in ws.links):
		ws.append("links", {"type": "Card Break", "label": ANALYTICS_CARD, "link_count": len(reports)})
		for report in reports:
			ws.append(
				"links",
				{
					"type": "Link",
					"link_type": "Report",
					"link_to": report,
					"label": report,
					"is_query_report": 1,
				},
			)
		links_changed = True
	else:
		links_changed = add_missing_report_links(ws, reports)
	have_cards = {row.number_card_name for row in ws.number_cards}
	have_charts = {row.chart_name for row in ws.charts}
	for name in cards:
		if name not in have_cards:
			ws.append("number_cards", {"number_card_name": name, "label": _label(name)})
	for name, _width in charts:
		if name not in have_charts:
			ws.append("charts", {"chart_name": name, "label": _label(name)})
	content = [b for b in json.loads(ws.content or "[]") if not b.get("id", "").startswith(ANALYTICS_PREFIX)]
	ours = [
		{
			"id": ANALYTICS_PREFIX + "header",
			"type": "header",
			"data": {"text": '<span class="h4"><b>Support Analytics</b></span>', "col": 12},
		}
	]
	# A block names its row by the row's label (Frappe's workspace finds the widget by label), not by
	# the Number Card's or Dashboard Chart's name.
	ours += [
		{
			"id": _block_id("card", name),
			"type": "number_card",
			"data": {"number_card_name": _label(name), "col": 3},
		}
		for name in cards
	]
	ours += [
		{
			"id": _block_id("chart", name),
			"type": "chart",
			"data": {"chart_name": _label(name), "col": 12 if width == "Full" else 6},
		}
		for name, width in charts
	]
	content.append(
		{"id": ANALYTICS_PREFIX + "reports", "type": "card", "data": {"card_name": ANALYTICS_CARD, "col": 4}}
	)
	new_content = json.dumps(ours + content)
	if (
		links_changed
		or new_content != ws.content
		or len(ws.number_cards) != len(have_cards)
		or len(ws.charts) != len(have_charts)
	):
		ws.content = new_content
		with _not_exported():
			ws.save(ignore_permissions=True)


def _label(name: str) -> str:
	return name.removeprefix("Support: ")


def remove_analytics() -> None:
	if not frappe.db.exists("Workspace", WORKSPACE):
		return
	ws = frappe.get_doc("Workspace", WORKSPACE)
	ws.number_cards = [row for row in ws.number_cards if not row.number_card_name.startswith("Support: ")]
	ws.charts = [row for row in ws.charts if not row.chart_name.startswith("Support: ")]
	ws.links = list(_without_card(ws.links, ANALYTICS_CARD))
	ws.content = json.dumps(
		[b for b in json.loads(ws.content or "[]") if not b.get("id", "").startswith(ANALYTICS_PREFIX)]
	)
	with _not_exported():
		ws.save(ignore_permissions=True)
