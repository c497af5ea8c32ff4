"""Data of the Support workspace's charts that Frappe's Group By charts cannot draw (two series, weekly
percentages, age buckets, hours of the day): the Dashboard Chart Source *Support Analytics* passes the
chart's `chart` filter here. Each one query, with the viewer's permissions (support_plus.analytics.kpis).

Frappe's own Group By charts are not used even for the simple ones: their data is cached per chart for
all users (frappe.utils.dashboard.cache_source), so a Sales User would see a manager's numbers.
"""

from datetime import timedelta

import frappe
from frappe import _
from frappe.utils import add_days, formatdate, get_datetime, getdate

from support_plus.analytics import kpis

AGE_BUCKETS = ((1, "< 1 day"), (3, "1-3 days"), (7, "3-7 days"), (30, "7-30 days"), (None, "> 30 days"))


@frappe.read_only()  # a site with a replica (site config read_from_replica) reads it there
def chart(name: str) -> dict:
	builders = {
		"created_vs_resolved": created_vs_resolved,
		"sla_compliance_weekly": sla_compliance_weekly,
		"open_by_age": open_by_age,
		"peak_hours": peak_hours,
		**{f"by_{key}": (lambda key=key: by_field(key)) for key in GROUP_FIELDS},
	}
	if name not in builders:
		frappe.throw(_("Unknown support chart {0}.").format(frappe.bold(name)))
	return builders[name]()


GROUP_FIELDS = {"status": "status", "channel": "channel", "type": "issue_type", "priority": "priority"}


def by_field(key: str, days: int = 30) -> dict:
	"""Tickets opened in the last `days` days by status, channel, type or priority, largest first."""
	scope = kpis.make_scope(default_days=days)
	where, params = kpis.ticket_conditions(scope)
	column = GROUP_FIELDS[key]
	rows = frappe.db.sql(
		f"""select `tabIssue`.{column}, count(*) as n from `tabIssue`
		where creation >= %(start)s and creation < %(end)s and {where}
		group by `tabIssue`.{column} order by n desc, `tabIssue`.{column}""",
		params,
	)
	return {
		"labels": [_(value) if value else _("Not Set") for value, _n in rows],
		"datasets": [{"name": _("Tickets"), "values": [n for _value, n in rows]}],
	}


def created_vs_resolved(days: int = 30) -> dict:
	scope = kpis.make_scope(default_days=days)
	where, params = kpis.ticket_conditions(scope)
	created = dict(
		frappe.db.sql(
			f"""select date(creation), count(*) from `tabIssue`
			where creation >= %(start)s and creation < %(end)s and {where} group by date(creation)""",
			params,
		)
	)
	resolved = dict(
		frappe.db.sql(
			f"""select date(resolved_on), count(*) from `tabIssue`
			where resolved_on >= %(start)s and resolved_on < %(end)s and {where} group by date(resolved_on)""",
			params,
		)
	)
	days_list = [getdate(add_days(scope.from_date, i)) for i in range(days)]
	return {
		"labels": [formatdate(d) for d in days_list],
		"datasets": [
			{"name": _("Created"), "values": [created.get(d, 0) for d in days_list]},
			{"name": _("Resolved"), "values": [resolved.get(d, 0) for d in days_list]},
		],
		"type": "line",
	}


def sla_compliance_weekly(weeks: int = 12) -> dict:
	today = getdate(kpis.clock.now())
	monday = today - timedelta(days=today.weekday())
	first = monday - timedelta(weeks=weeks - 1)
	scope = kpis.make_scope(first, today)
	where, params = kpis.ticket_conditions(scope)
	rows = frappe.db.sql(
		f"""select subdate(date(creation), weekday(creation)) as week,
			sum({kpis.RESPONSE_MET}) as rm, sum({kpis.RESPONSE_MISSED}) as rx,
			sum({kpis.RESOLUTION_MET}) as sm, sum({kpis.RESOLUTION_MISSED}) as sx
		from `tabIssue` where creation >= %(start)s and creation < %(end)s and {where}
		group by week""",
		params,
		as_dict=True,
	)
	by_week = {getdate(row.week): row for row in rows}
	week_list = [first + timedelta(weeks=i) for i in range(weeks)]
	empty = frappe._dict(rm=0, rx=0, sm=0, sx=0)
	return {
		"labels": [formatdate(w) for w in week_list],
		"datasets": [
			{
				"name": _("Response Met %"),
				"values": [
					kpis.percent(by_week.get(w, empty).rm, by_week.get(w, empty).rx) or 0 for w in week_list
				],
			},
			{
				"name": _("Resolution Met %"),
				"values": [
					kpis.percent(by_week.get(w, empty).sm, by_week.get(w, empty).sx) or 0 for w in week_list
				],
			},
		],
		"type": "line",
	}


def age_bucket_sql() -> str:
	"""The age bucket of an open ticket, as SQL (labels untranslated; callers translate)."""
	age = "timestampdiff(second, `tabIssue`.creation, %(now)s) / 86400"
	cases = " ".join(f"when {age} < {limit} then '{label}'" for limit, label in AGE_BUCKETS if limit)
	return f"case {cases} else '{AGE_BUCKETS[-1][1]}' end"


def open_by_age() -> dict:
	scope = kpis.make_scope()
	where, params = kpis.ticket_conditions(scope)
	counts = dict(
		frappe.db.sql(
			f"select {age_bucket_sql()} as bucket, count(*) from `tabIssue` where {kpis.IS_OPEN} and {where}"
			" group by bucket",
			params,
		)
	)
	labels = [label for _limit, label in AGE_BUCKETS]
	return {
		"labels": [_(label) for label in labels],
		"datasets": [{"name": _("Open Tickets"), "values": [counts.get(label, 0) for label in labels]}],
		"type": "bar",
	}


def peak_hours(days: int = 90) -> dict:
	scope = kpis.make_scope(default_days=days)
	where, params = kpis.ticket_conditions(scope)
	counts = dict(
		frappe.db.sql(
			f"""select hour(creation), count(*) from `tabIssue`
			where creation >= %(start)s and creation < %(end)s and {where} group by hour(creation)""",
			params,
		)
	)
	return {
		"labels": [f"{h:02d}:00" for h in range(24)],
		"datasets": [{"name": _("Tickets Created"), "values": [counts.get(h, 0) for h in range(24)]}],
		"type": "bar",
	}
