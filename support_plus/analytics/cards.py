"""The Support workspace's number cards: Frappe *Number Card* records of type Custom (made by
support_plus.setup.analytics) whose value comes from `card` below, so each card shows the number
support_kpis gives for the viewer, and opens the Issue list filtered to the tickets it counts.

Custom cards, not Document Type cards: an average over the last 30 days needs a date computed when the
card is drawn, and Frappe's Document Type cards can only average a stored field.
"""

import frappe
from frappe import _
from frappe.utils import flt

from support_plus.analytics import kpis

HOURS = 3600.0

# key, label, color, what gives the number
CARDS = (
	("open", "Open Tickets", "#2490EF", "snapshot"),
	("in_progress", "In Progress", "#7575FF", "snapshot"),
	("pending", "Pending (Customer / Parts)", "#ECAD4B", "snapshot"),
	("resolved_today", "Resolved Today", "#29CD42", "recent"),
	("closed_this_week", "Closed This Week", "#29CD42", "recent"),
	("overdue_follow_ups", "Overdue Follow-ups", "#FF5858", "snapshot"),
	("sla_breached", "SLA Breached", "#FF5858", "snapshot"),
	("at_risk", "SLA At Risk", "#ECAD4B", "snapshot"),
	("avg_first_response_h", "Avg First Response (h, 30 days)", "#5E64FF", "opened"),
	("avg_resolution_h", "Avg Resolution (h, 30 days)", "#5E64FF", "resolved"),
	("csat_average", "CSAT Average (30 days)", "#29CD42", "resolved"),
)
BY_KEY = {key: (label, color, source) for key, label, color, source in CARDS}


def card_name(key: str) -> str:
	return "Support: " + BY_KEY[key][0]


@frappe.whitelist()
@frappe.read_only()  # a site with a replica (site config read_from_replica) reads it there
def card(filters: str | dict | None = None) -> dict:
	"""The value of one card for the current user: {"value", "fieldtype", "route", "route_options"}."""
	key = (frappe.parse_json(filters) or {}).get("kpi")
	if key not in BY_KEY:
		frappe.throw(_("Unknown support number {0}.").format(frappe.bold(key)))
	source = BY_KEY[key][2]
	scope = kpis.make_scope()
	route_options = {}
	if source == "snapshot":
		value = kpis.snapshot(scope)[key]
		route_options = kpis.SNAPSHOT[key][1]
	elif source == "recent":
		value = kpis.recent(scope)[key]
		route_options = kpis.RECENT_FILTERS[key]
	elif source == "opened":
		value = kpis.opened_in_period(scope)["avg_first_response_s"]
		route_options = {"creation": [">=", str(scope.from_date)], "first_responded_on": ["is", "set"]}
	else:
		numbers = kpis.resolved_in_period(scope)
		value = numbers["avg_resolution_s"] if key == "avg_resolution_h" else numbers["csat_average"]
		route_options = {"resolved_on": [">=", str(scope.from_date)]}
		if key == "csat_average":
			route_options["customer_rating"] = [">", 0]
	if key.endswith("_h") and value is not None:
		value = round(value / HOURS, 1)
	return {
		"value": flt(value) if value is not None else 0,
		"fieldtype": "Float" if key.endswith("_h") or key == "csat_average" else "Int",
		"route": ["List", "Issue", "List"],
		"route_options": route_options,
	}
