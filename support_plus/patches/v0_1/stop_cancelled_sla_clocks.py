"""Tickets cancelled before the SLA engine stopped cancelled clocks: stop them where they were cancelled,
with no deadline and no health, as a save in Cancelled now does (a reopened one goes on from there)."""

import frappe
from frappe.query_builder.functions import Coalesce


def execute():
	issue = frappe.qb.DocType("Issue")
	cancelled = (
		(issue.status == "Cancelled")
		& issue.service_level_agreement.isnotnull()
		& issue.on_hold_since.isnull()
	)
	frappe.qb.update(issue).set(issue.response_by, None).where(
		cancelled & issue.first_responded_on.isnull()
	).run()
	stopped_at = Coalesce(issue.status_changed_on, issue.modified)
	(
		frappe.qb.update(issue)
		.set(issue.on_hold_since, stopped_at)
		.set(issue.resolution_by, None)
		.set(issue.sla_health, None)
		.where(cancelled)
	).run()
