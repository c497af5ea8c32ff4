# Copyright (c) 2026, support_plus developers and contributors
# For license information, please see license.txt
"""SLA Compliance: the share of tickets that met their response and resolution targets, grouped by
priority, issue type, customer, assignee or week. One aggregate query, whatever the number of tickets.

A clock counts once it is decided: answered (or resolved), or past its deadline. Tickets whose clock
is still running within its time are not counted yet.
"""

import frappe
from frappe import _
from frappe.query_builder import Case, CustomFunction
from frappe.query_builder.functions import Coalesce, Count, Date, Sum

from support_plus.utils import clock

JsonExtract = CustomFunction("JSON_EXTRACT", ["doc", "path"])
JsonUnquote = CustomFunction("JSON_UNQUOTE", ["value"])
Weekday = CustomFunction("WEEKDAY", ["date"])
SubDays = CustomFunction("SUBDATE", ["date", "days"])

GROUPS = ("Priority", "Issue Type", "Customer", "Assignee", "Week")


def execute(filters=None):
	filters = frappe._dict(filters or {})
	group_by = filters.get("group_by") or "Priority"
	if group_by not in GROUPS:
		frappe.throw(_("Group By must be one of {0}.").format(", ".join(GROUPS)))
	if not filters.get("from_date") or not filters.get("to_date"):
		frappe.throw(_("Choose a date range."))
	return columns(group_by), data(filters, group_by)


def columns(group_by: str) -> list[dict]:
	group = {"label": _(group_by), "fieldname": "group", "fieldtype": "Data", "width": 200}
	if group_by == "Customer":
		group.update(fieldtype="Link", options="Customer")
	elif group_by == "Assignee":
		group.update(fieldtype="Link", options="User")
	elif group_by == "Week":
		group.update(label=_("Week Starting"), fieldtype="Date")
	int_col = lambda label, name: {"label": label, "fieldname": name, "fieldtype": "Int", "width": 110}  # noqa: E731
	pct_col = lambda label, name: {"label": label, "fieldname": name, "fieldtype": "Percent", "width": 130}  # noqa: E731
	return [
		group,
		int_col(_("Tickets"), "tickets"),
		int_col(_("Response Met"), "response_met"),
		int_col(_("Response Missed"), "response_missed"),
		pct_col(_("Response Met %"), "response_percent"),
		int_col(_("Resolution Met"), "resolution_met"),
		int_col(_("Resolution Missed"), "resolution_missed"),
		pct_col(_("Resolution Met %"), "resolution_percent"),
	]


def data(filters, group_by: str) -> list[dict]:
	issue = frappe.qb.DocType("Issue")
	now = clock.now()
	started = Date(issue.service_level_agreement_creation)
	group = {
		"Priority": issue.priority,
		"Issue Type": issue.issue_type,
		"Customer": issue.customer,
		"Assignee": JsonUnquote(JsonExtract(issue._assign, "$[0]")),
		"Week": SubDays(started, Weekday(started)),
	}[group_by]

	responded = issue.first_responded_on.isnotnull()
	response_met = responded & (issue.first_responded_on <= issue.response_by)
	response_missed = (responded & (issue.first_responded_on > issue.response_by)) | (
		~responded & (issue.response_by < now)
	)
	resolved = issue.resolution_date.isnotnull()
	resolution_met = resolved & (issue.resolution_date <= issue.resolution_by)
	resolution_missed = (resolved & (issue.resolution_date > issue.resolution_by)) | (
		~resolved & (issue.resolution_by < now)
	)
	count_if = lambda condition: Sum(Case().when(condition, 1).else_(0))  # noqa: E731

	query = (
		frappe.qb.from_(issue)
		.select(
			Coalesce(group, _("Not Set")).as_("group"),
			Count(issue.name).as_("tickets"),
			count_if(response_met).as_("response_met"),
			count_if(response_missed).as_("response_missed"),
			count_if(resolution_met).as_("resolution_met"),
			count_if(resolution_missed).as_("resolution_missed"),
		)
		.where(
			issue.service_level_agreement.isnotnull()
			& (started >= filters.from_date)
			& (started <= filters.to_date)
			& (issue.status != "Cancelled")
		)
		.groupby(group)
		.orderby(group)
	)
	if filters.get("service_level_agreement"):
		query = query.where(issue.service_level_agreement == filters.service_level_agreement)
	rows = query.run(as_dict=True)
	for row in rows:
		row.response_percent = percent(row.response_met, row.response_missed)
		row.resolution_percent = percent(row.resolution_met, row.resolution_missed)
	return rows


def percent(met, missed):
	decided = (met or 0) + (missed or 0)
	return round(100.0 * met / decided, 1) if decided else None
