"""Give tickets made before support_plus's SLA engine (or while tracking was off) their SLA state, so the
sweep sees them: `bench --site SITE support-plus-sla-backfill`. Idempotent; tickets are not saved (their
`modified` stays), only their SLA fields are written."""

from collections.abc import Callable, Iterable

import frappe

from support_plus.sla.config import get_config, tracking_enabled
from support_plus.sla.engine import RESPONSE_STATUSES, compute
from support_plus.utils import clock

FIELDS = (
	"service_level_agreement_creation",
	"sla_pauses",
	"on_hold_since",
	"total_hold_time",
	"first_responded_on",
	"resolution_date",
	"sla_clock_origin",
	"sla_response_seconds",
	"sla_resolution_seconds",
	"response_by",
	"resolution_by",
	"agreement_status",
	"sla_health",
	"first_response_time",
	"resolution_time",
	"user_resolution_time",
)


def backfill(progress: Callable[[Iterable, str], Iterable] | None = None) -> int:
	if not tracking_enabled():
		return 0
	progress = progress or (lambda items, label: items)
	names = frappe.get_all(
		"Issue",
		filters={
			"service_level_agreement": ("is", "set"),
			"sla_clock_origin": 0,  # numeric columns are NOT NULL: no clock yet is 0
			"status": ("not in", ["Cancelled"]),
		},
		pluck="name",
		order_by="creation",
	)
	now = clock.now()
	for name in progress(names, "SLA backfill"):
		doc = frappe.get_doc("Issue", name)
		cfg = get_config(doc.service_level_agreement)
		if doc.priority not in cfg.priorities:
			continue
		doc.service_level_agreement_creation = doc.service_level_agreement_creation or doc.creation
		if doc.status in RESPONSE_STATUSES and not doc.first_responded_on:
			# Answered before the engine counted answers: the last status change is the best we know.
			doc.first_responded_on = doc.status_changed_on or doc.modified
		if doc.status in cfg.fulfilled_statuses and not doc.resolution_date:
			doc.resolution_date = doc.get("resolved_on") or doc.status_changed_on or doc.modified
		compute(doc, doc, cfg, now)
		frappe.db.set_value("Issue", name, {field: doc.get(field) for field in FIELDS}, update_modified=False)
	return len(names)
