"""support_plus's blocks on ERPNext's *Support* workspace (install code): a "Support Analytics" header
with the number cards and charts of support_plus.setup.analytics, above ERPNext's shortcuts.

ERPNext's workspace is a record on the site: rows and blocks are added to it here, each block with an id
of ours (`sp-…`) so a rerun adds nothing twice and uninstall removes exactly ours; ERPNext's files are
never touched. ERPNext's migrate may reload its workspace from its file: our after_migrate adds ours
again.
"""

import json
from contextlib import contextmanager

import frappe

WORKSPACE = "Support"
HEADER_ID = "sp-analytics-header"
PREFIX = "sp-analytics-"


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


def _block_id(kind: str, name: str) -> str:
	return PREFIX + kind + "-" + frappe.scrub(name).replace(":", "")


def add_analytics(cards: list[str], charts: list[tuple[str, str]]) -> None:
	"""Put `cards` (Number Card names) and `charts` ((Dashboard Chart name, "Half"/"Full")) on the
	workspace, first, under a header; keeps whatever else the workspace has."""
	if not frappe.db.exists("Workspace", WORKSPACE):
		return
	ws = frappe.get_doc("Workspace", WORKSPACE)
	have_cards = {row.number_card_name for row in ws.number_cards}
	have_charts = {row.chart_name for row in ws.charts}
	for name in cards:
		if name not in have_cards:
			ws.append("number_cards", {"number_card_name": name, "label": name.removeprefix("Support: ")})
	for name, _width in charts:
		if name not in have_charts:
			ws.append("charts", {"chart_name": name, "label": name.removeprefix("Support: ")})
	content = [b for b in json.loads(ws.content or "[]") if not b.get("id", "").startswith(PREFIX)]
	ours = [
		{
			"id": PREFIX + "header",
			"type": "header",
			"data": {"text": '<span class="h4"><b>Support Analytics</b></span>', "col": 12},
		}
	]
	ours += [
		{"id": _block_id("card", name), "type": "number_card", "data": {"number_card_name": name, "col": 3}}
		for name in cards
	]
	ours += [
		{
			"id": _block_id("chart", name),
			"type": "chart",
			"data": {"chart_name": name, "col": 12 if width == "Full" else 6},
		}
		for name, width in charts
	]
	new_content = json.dumps(ours + content)
	if new_content != ws.content or len(ws.number_cards) != len(have_cards) or len(ws.charts) != len(have_charts):
		ws.content = new_content
		with _not_exported():
			ws.save(ignore_permissions=True)


def remove_analytics() -> None:
	if not frappe.db.exists("Workspace", WORKSPACE):
		return
	ws = frappe.get_doc("Workspace", WORKSPACE)
	ws.number_cards = [row for row in ws.number_cards if not row.number_card_name.startswith("Support: ")]
	ws.charts = [row for row in ws.charts if not row.chart_name.startswith("Support: ")]
	ws.content = json.dumps([b for b in json.loads(ws.content or "[]") if not b.get("id", "").startswith(PREFIX)])
	with _not_exported():
		ws.save(ignore_permissions=True)
