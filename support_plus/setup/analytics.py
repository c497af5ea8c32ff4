"""Install code for support analytics: the Number Cards and Dashboard Charts of the Support workspace
(Frappe's own doctypes, made from the definitions in support_plus.analytics so a changed card reaches
existing sites on migrate), the indexes the numbers use, and their place on the workspace
(support_plus.setup.desk_views). Idempotent; undone on uninstall.
"""

import json

import frappe

from support_plus.analytics import kpis, rollup
from support_plus.analytics.cards import CARDS, card_name
from support_plus.setup import desk_views

MODULE = "Support Plus"
CHART_SOURCE = "Support Analytics"
REPORTS = (
	"First Response and Resolution Time",
	"SLA Breach Analysis",
	"Technician Scorecard",
	"Customer Satisfaction",
	"Ticket Volume",
	"Backlog and Age",
	"Repeat Issues",
	"Tickets by Product and Category",
	# parts and service billing (support_plus.parts)
	"Parts Usage",
	"Parts Shortage",
	"Service Revenue",
)
# chart key, name, type, width
CHARTS = (
	("by_status", "Support: Tickets by Status", "Donut", "Half"),
	("created_vs_resolved", "Support: Created vs Resolved", "Line", "Half"),
	("sla_compliance_weekly", "Support: SLA Compliance per Week", "Line", "Half"),
	("open_by_age", "Support: Open Tickets by Age", "Bar", "Half"),
	("by_channel", "Support: Tickets by Channel", "Bar", "Half"),
	("by_type", "Support: Tickets by Type", "Bar", "Half"),
	("by_priority", "Support: Tickets by Priority", "Pie", "Half"),
	("peak_hours", "Support: Peak Hours", "Bar", "Full"),
)


def apply_analytics() -> None:
	kpis.ensure_indexes()
	rollup.ensure()  # after the generated columns it reads
	rollup.reconcile(commit=False)  # what patches and scripts wrote with SQL
	ensure_number_cards()
	ensure_dashboard_charts()
	desk_views.add_analytics(
		[card_name(key) for key, *_rest in CARDS],
		[(name, width) for _k, name, _t, width in CHARTS],
		list(REPORTS),
	)


def remove_analytics() -> None:
	desk_views.remove_analytics()
	rollup.drop()
	kpis.drop_generated_columns()
	for key, *_rest in CARDS:
		frappe.delete_doc_if_exists("Number Card", card_name(key), force=True)
	for _key, name, _type, _width in CHARTS:
		frappe.delete_doc_if_exists("Dashboard Chart", name, force=True)


def _upsert(doctype: str, name: str, values: dict) -> None:
	if frappe.db.exists(doctype, name):
		doc = frappe.get_doc(doctype, name)
		if any(doc.get(key) != value for key, value in values.items()):
			doc.update(values)
			doc.save(ignore_permissions=True)
	else:
		doc = frappe.get_doc({"doctype": doctype, "name": name, **values})
		doc.insert(ignore_permissions=True, set_name=name)


def ensure_number_cards() -> None:
	for key, label, color, _source in CARDS:
		_upsert(
			"Number Card",
			card_name(key),
			{
				"label": label,
				"type": "Custom",
				"method": "support_plus.analytics.cards.card",
				"filters_json": json.dumps({"kpi": key}),
				"document_type": "Issue",  # Frappe shows a card to whoever may read its doctype
				"color": color,
				"is_public": 1,
				"is_standard": 0,
				"module": MODULE,
			},
		)


def ensure_dashboard_charts() -> None:
	for key, name, chart_type, _width in CHARTS:
		_upsert(
			"Dashboard Chart",
			name,
			{
				"chart_name": name,
				"chart_type": "Custom",
				"source": CHART_SOURCE,
				"document_type": "Issue",
				"filters_json": json.dumps({"chart": key}),
				"type": chart_type,
				"timeseries": 0,
				# No entry animation: frappe-charts swaps the chart's SVG for 250 ms while animating, and a
				# resize in that time (the workspace's widgets still loading) throws in its redraw.
				"custom_options": json.dumps({"animate": 0, "disableEntryAnimation": 1}),
				"is_public": 1,
				"is_standard": 0,
				"module": MODULE,
			},
		)
