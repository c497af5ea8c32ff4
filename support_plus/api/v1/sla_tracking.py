"""API v1 SLA tracking: `/api/method/support_plus.api.v1.sla_tracking.get?ticket_id=...`."""

import frappe

from support_plus.api.v1 import params, shapes
from support_plus.sla import health
from support_plus.utils import clock


@frappe.whitelist(methods=["GET"])
def get(ticket_id: str | None = None) -> dict:
	"""Where the ticket stands against its SLA now: its policy, health, pause, and per clock (response,
	resolution) the deadline, when it was met and whether it is breached (support_plus.sla.health's rule)."""
	doc = params.visible_ticket(ticket_id)
	return shapes.sla_status(doc, clock.now())
