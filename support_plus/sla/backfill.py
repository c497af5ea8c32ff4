"""Give tickets made before support_plus's SLA engine (or while tracking was off) their SLA state, so the
sweep sees them: `bench --site SITE support-plus-sla-backfill`. Idempotent; tickets are not saved (their
`modified` stays), only their SLA fields are written. `fill_missing_metrics` (also a patch) gives tickets
answered or resolved before the engine filled ERPNext's metrics their values."""

from collections.abc import Callable, Iterable

import frappe

from support_plus.analytics import rollup
from support_plus.sla import metrics
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
	"sla_next_event",
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
		rollup.refresh(name)
	fill_missing_metrics()
	return len(names)


def fill_missing_metrics() -> int:
	"""ERPNext's metrics (support_plus.sla.metrics) of SLA tickets answered or resolved without them.
	A ticket that fails is logged (Error Log) and skipped."""
	issue = frappe.qb.DocType("Issue")
	missing = lambda field: field.isnull() | (field == 0)  # noqa: E731
	rows = (
		frappe.qb.from_(issue)
		.select(
			issue.name,
			issue.service_level_agreement,
			issue.service_level_agreement_creation,
			issue.first_responded_on,
			issue.resolution_date,
			issue.avg_response_time,
		)
		.where(
			issue.service_level_agreement.isnotnull()
			& issue.service_level_agreement_creation.isnotnull()
			& (
				(issue.first_responded_on.isnotnull() & missing(issue.first_response_time))
				| (issue.resolution_date.isnotnull() & missing(issue.resolution_time))
			)
		)
	).run(as_dict=True)
	for row in rows:
		frappe.db.savepoint("support_plus_metrics")
		try:
			start = row.service_level_agreement_creation
			conversation = metrics.messages(row.name)
			values = {
				"avg_response_time": row.avg_response_time or metrics.average_response_seconds(conversation)
			}
			if row.first_responded_on:
				cfg = get_config(row.service_level_agreement)
				values["first_response_time"] = metrics.first_response_seconds(
					cfg, start, row.first_responded_on
				)
			if row.resolution_date:
				values.update(metrics.resolution_metrics(row.name, start, row.resolution_date))
			frappe.db.set_value("Issue", row.name, values, update_modified=False)
			rollup.refresh(row.name)
		except Exception:
			frappe.db.rollback(save_point="support_plus_metrics")
			frappe.log_error(
				title=f"SLA metrics of {row.name}", reference_doctype="Issue", reference_name=row.name
			)
	return len(rows)
