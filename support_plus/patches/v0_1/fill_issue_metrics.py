"""ERPNext's Issue metrics were left empty before the SLA engine filled them (support_plus.sla.metrics):
fill them on tickets already answered or resolved, so ERPNext's reports count them."""

from support_plus.sla.backfill import fill_missing_metrics


def execute():
	fill_missing_metrics()
