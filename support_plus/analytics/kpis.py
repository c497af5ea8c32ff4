"""The numbers of support analytics, defined once: the workspace's number cards and charts, the scripting
API `support_kpis` and the analytics reports all read their tickets and measures from here.

Everything is set-based SQL on indexed columns (indexes: `ensure_indexes`, install code), never a loop
over tickets, and every query carries the viewer's permissions: Frappe's own match conditions for Issue
(role rights, User Permissions, shares and our `permission_query_conditions`, so a Sales User counts
only the tickets of their projects), exactly what the Issue list shows them.

Definitions (seconds are integers; averages are of the tickets that have the value):
- a ticket is *opened* at `creation`; *resolved* at `resolved_on` (stamped by the lifecycle, also when a
  ticket is closed without passing through Resolved); *closed* at `closed_on`;
- first response: ERPNext's `first_response_time` (business seconds of the ticket's SLA, filled by
  support_plus.sla.metrics) when set, else the calendar time from opening to `first_responded_on`;
- resolution: calendar time from opening to `resolved_on`;
- CSAT: `customer_rating` 1-5 of tickets resolved in the period (0 = not rated);
- SLA met/missed: as the SLA Compliance report, only decided clocks (answered, or past the deadline);
- snapshot counts (Open, In Progress, ...) are the tickets in that state now, whatever the period.
"""

import bisect
import hashlib
import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

import frappe
from frappe import _
from frappe.desk.reportview import build_match_conditions
from frappe.utils import add_days, get_datetime, getdate

from support_plus.analytics import rollup
from support_plus.analytics.measures import (
	BUCKET,
	FIRST_RESPONSE_S,
	FIRST_RESPONSE_SQL,
	RATING,
	RESOLUTION_MET,
	RESOLUTION_MISSED,
	RESOLUTION_OVERDUE,
	RESOLUTION_S,
	RESOLUTION_SQL,
	RESPONSE_MET,
	RESPONSE_MISSED,
	RESPONSE_OVERDUE,
)
from support_plus.utils import clock

DEFAULT_DAYS = 30
MAX_DAYS = 5 * 366  # two years of history is the benchmark; twenty is a typo

OPEN_STATUSES = ("Open", "Replied", "In Progress", "Pending Customer", "Pending Parts", "On Hold")
DONE_STATUSES = ("Resolved", "Closed", "Cancelled")

IS_OPEN = "`tabIssue`.status in ({})".format(", ".join(f"'{s}'" for s in OPEN_STATUSES))


@dataclass
class Scope:
	"""Which tickets a number is about: a period (site datetimes, end exclusive) and optional filters."""

	start: datetime
	end: datetime
	now: datetime
	team: str | None = None
	company: str | None = None
	priority: str | None = None
	issue_type: str | None = None
	customer: str | None = None

	@property
	def from_date(self) -> date:
		return self.start.date()

	@property
	def to_date(self) -> date:
		return (self.end - timedelta(days=1)).date()


FILTER_DOCTYPES = {
	"team": "Support Team",
	"company": "Company",
	"priority": "Issue Priority",
	"issue_type": "Issue Type",
	"customer": "Customer",
}


def make_scope(
	from_date: str | date | datetime | None = None,
	to_date: str | date | datetime | None = None,
	default_days: int = DEFAULT_DAYS,
	**filters,
) -> Scope:
	"""A checked Scope: dates as strings or date/datetime objects (whole days); without dates the last
	`default_days` days up to today. Bad input is a clear, translated error."""
	now = clock.now()
	to_day = _day(to_date, _("To Date")) if to_date else getdate(now)
	from_day = _day(from_date, _("From Date")) if from_date else getdate(add_days(to_day, 1 - default_days))
	if to_day < from_day:
		frappe.throw(
			_("The period ends ({0}) before it starts ({1}).").format(to_day, from_day),
			title=_("Invalid Period"),
		)
	if (to_day - from_day).days + 1 > MAX_DAYS:
		frappe.throw(
			_("The period is {0} days long; choose at most {1} days.").format(
				(to_day - from_day).days + 1, MAX_DAYS
			),
			title=_("Invalid Period"),
		)
	for key, value in filters.items():
		if key not in FILTER_DOCTYPES:
			frappe.throw(_("Unknown filter {0}.").format(key))
		if value and not frappe.db.exists(FILTER_DOCTYPES[key], value):
			frappe.throw(
				_("{0} {1} does not exist.").format(_(FILTER_DOCTYPES[key]), frappe.bold(value)),
				frappe.DoesNotExistError,
			)
	start = get_datetime(from_day)
	end = get_datetime(add_days(to_day, 1))
	return Scope(start=start, end=end, now=now, **{k: v or None for k, v in filters.items()})


def _day(value, label: str) -> date:
	try:
		return getdate(value)
	except Exception:
		frappe.throw(_("{0} is not a date: {1}").format(label, frappe.bold(str(value))))


# A Scope's filters: Issue's column of each.
SCOPE_COLUMNS = {
	"team": "support_team",
	"company": "company",
	"priority": "priority",
	"issue_type": "issue_type",
	"customer": "customer",
}


def ticket_conditions(scope: Scope, user: str | None = None) -> tuple[str, dict]:
	"""The tickets this viewer may read within the scope's filters (not its period): SQL and params.
	Refuses a user without read access to tickets."""
	user = user or frappe.session.user
	if not frappe.has_permission("Issue", "read", user=user):
		frappe.throw(_("You are not permitted to read tickets."), frappe.PermissionError)
	conditions = ["`tabIssue`.docstatus < 2"]
	params = {"now": scope.now, "start": scope.start, "end": scope.end}
	for key, column in SCOPE_COLUMNS.items():
		if getattr(scope, key):
			conditions.append(f"`tabIssue`.{column} = %({key})s")
			params[key] = getattr(scope, key)
	match = build_match_conditions("Issue", user=user)
	if match:
		conditions.append(f"({match})")
	return " and ".join(conditions), params


# The snapshot cards: each a SQL condition and the same rule as Issue list filters (the card opens the
# list with them). test_analytics checks that both count the same tickets.
SNAPSHOT = {
	"open": ("`tabIssue`.status = 'Open'", {"status": "Open"}),
	"in_progress": ("`tabIssue`.status = 'In Progress'", {"status": "In Progress"}),
	"pending": (
		"`tabIssue`.status in ('Pending Customer', 'Pending Parts')",
		{"status": ["in", ["Pending Customer", "Pending Parts"]]},
	),
	"overdue_follow_ups": (
		f"{IS_OPEN} and `tabIssue`.is_overdue = 1",
		{"status": ["in", list(OPEN_STATUSES)], "is_overdue": 1},
	),
	"sla_breached": (
		f"{IS_OPEN} and `tabIssue`.sla_health = 'Breached'",
		{"status": ["in", list(OPEN_STATUSES)], "sla_health": "Breached"},
	),
	"at_risk": (
		f"{IS_OPEN} and `tabIssue`.sla_health = 'At Risk'",
		{"status": ["in", list(OPEN_STATUSES)], "sla_health": "At Risk"},
	),
}


# Seed 003's Support Tickets Dashboard: each count is also the filter of its table and the slice of its
# donut (support_plus.analytics.dashboard), the same SQL for both.
WAITING_STATUSES = ("Replied", "Pending Customer", "Pending Parts", "On Hold")
DASHBOARD = {
	"open": SNAPSHOT["open"][0],
	"in_progress": SNAPSHOT["in_progress"][0],
	"waiting": "`tabIssue`.status in ({})".format(", ".join(f"'{s}'" for s in WAITING_STATUSES)),
	"resolved": "`tabIssue`.status = 'Resolved'",
	"closed": "`tabIssue`.status = 'Closed'",
	"overdue": SNAPSHOT["overdue_follow_ups"][0],
}


def dashboard_counts(scope: Scope, user: str | None = None) -> dict:
	"""The tickets in each of the dashboard's states now (the viewer's permitted tickets within the scope's
	filters, whatever its period), in one pass over the state index."""
	where, params = ticket_conditions(scope, user)
	sums = ", ".join(f"sum({condition}) as {key}" for key, condition in DASHBOARD.items())
	row = frappe.db.sql(f"select {sums} from `tabIssue` where {where}", params, as_dict=True)[0]
	return {key: int(row[key] or 0) for key in DASHBOARD}


def snapshot(scope: Scope, user: str | None = None) -> dict:
	"""Tickets in each state now (open ones only: one indexed range on status)."""
	where, params = ticket_conditions(scope, user)
	sums = ", ".join(f"sum({condition}) as {key}" for key, (condition, _filters) in SNAPSHOT.items())
	row = frappe.db.sql(f"select {sums} from `tabIssue` where {IS_OPEN} and {where}", params, as_dict=True)[0]
	return {key: int(row[key] or 0) for key in SNAPSHOT}


def recent(scope: Scope, user: str | None = None) -> dict:
	"""Resolved today and closed this week (Monday to now), by the site's clock."""
	where, params = ticket_conditions(scope, user)
	today = get_datetime(getdate(scope.now))
	params.update(today=today, week=today - timedelta(days=today.weekday()))
	resolved = frappe.db.sql(
		f"select count(*) from `tabIssue` where resolved_on >= %(today)s and {where}", params
	)[0][0]
	closed = frappe.db.sql(
		f"select count(*) from `tabIssue` where closed_on >= %(week)s and {where}", params
	)[0][0]
	return {"resolved_today": int(resolved), "closed_this_week": int(closed)}


RECENT_FILTERS = {
	"resolved_today": {"resolved_on": ["Timespan", "today"]},
	"closed_this_week": {"closed_on": ["Timespan", "this week"]},
}


def _totals_answer(scope: Scope, user: str | None) -> bool:
	"""Whether the per-day totals (support_plus.analytics.rollup) give the period's numbers: for a viewer
	who may read every ticket (no match conditions) and any filter but the customer (not a dimension)."""
	return (
		not scope.customer
		and rollup.installed()
		and not build_match_conditions("Issue", user=user or frappe.session.user)
	)


def _totals(scope: Scope) -> frappe._dict:
	conditions, params = ["day >= %(from_day)s", "day <= %(to_day)s"], {}
	params.update(from_day=scope.from_date, to_day=scope.to_date)
	for key, column in SCOPE_COLUMNS.items():
		if getattr(scope, key) and column in rollup.DIMENSIONS:
			conditions.append(f"{column} = %({key})s")
			params[key] = getattr(scope, key)
	return rollup.totals(" and ".join(conditions), params)


def opened_in_period(scope: Scope, user: str | None = None, live: bool = False) -> dict:
	"""Tickets opened in the period: how many, their first response, their SLA clocks. From the per-day
	totals when they answer (see `_totals_answer`; `live` forces the scan of the tickets), with the clocks
	overdue now counted live, on the index of unanswered tickets."""
	where, params = ticket_conditions(scope, user)
	period = f"`tabIssue`.creation >= %(start)s and `tabIssue`.creation < %(end)s and {where}"
	if not live and _totals_answer(scope, user):
		row = _totals(scope)
		for name, overdue in (("response", RESPONSE_OVERDUE), ("resolution", RESOLUTION_OVERDUE)):
			late = frappe.db.sql(f"select count(*) from `tabIssue` where {overdue} and {period}", params)
			row[f"{name}_missed"] = int(row[f"{name}_late"] or 0) + late[0][0]
	else:
		row = frappe.db.sql(
			f"""select count(*) as created, count({FIRST_RESPONSE_S}) as first_response_n,
				sum({FIRST_RESPONSE_S}) as first_response_sum,
				sum({RESPONSE_MET}) as response_met, sum({RESPONSE_MISSED}) as response_missed,
				sum({RESOLUTION_MET}) as resolution_met, sum({RESOLUTION_MISSED}) as resolution_missed
			from `tabIssue` where {period}""",
			params,
			as_dict=True,
		)[0]
	return {
		"created": int(row.created or 0),
		"avg_first_response_s": _average(row.first_response_sum, row.first_response_n),
		"sla_response_met_percent": percent(row.response_met, row.response_missed),
		"sla_resolution_met_percent": percent(row.resolution_met, row.resolution_missed),
	}


def resolved_in_period(scope: Scope, user: str | None = None, live: bool = False) -> dict:
	"""Tickets resolved in the period: how many, how long it took, how the customers rated them. From the
	per-day totals when they answer (as `opened_in_period`)."""
	if not live and _totals_answer(scope, user):
		ticket_conditions(scope, user)  # the permission check
		row = _totals(scope)
	else:
		where, params = ticket_conditions(scope, user)
		row = frappe.db.sql(
			f"""select count(*) as resolved, count({RESOLUTION_S}) as resolution_n,
				sum({RESOLUTION_S}) as resolution_sum, count({RATING}) as rating_n, sum({RATING}) as rating_sum
			from `tabIssue`
			where resolved_on >= %(start)s and resolved_on < %(end)s and {where}""",
			params,
			as_dict=True,
		)[0]
	csat = _average(row.rating_sum, row.rating_n, digits=2)
	return {
		"resolved": int(row.resolved or 0),
		"avg_resolution_s": _average(row.resolution_sum, row.resolution_n),
		"csat_average": csat,
		"ratings": int(row.rating_n or 0),
	}


@frappe.read_only()  # a site with a replica (site config read_from_replica) reads it there
def support_kpis(
	from_date=None, to_date=None, team: str | None = None, user: str | None = None, **filters
) -> dict:
	"""All the workspace's numbers in one dict (see the module docstring for each definition)."""
	scope = make_scope(from_date, to_date, team=team, **filters)
	return {
		"from_date": str(scope.from_date),
		"to_date": str(scope.to_date),
		**snapshot(scope, user),
		**recent(scope, user),
		**opened_in_period(scope, user),
		**resolved_in_period(scope, user),
	}


def percent(met, missed) -> float | None:
	decided = int(met or 0) + int(missed or 0)
	return round(100.0 * int(met or 0) / decided, 1) if decided else None


def _average(total, n, digits: int | None = None) -> int | float | None:
	"""total / n rounded (to whole seconds unless `digits`), None without values."""
	if not n:
		return None
	return round(float(Decimal(total or 0) / Decimal(n)), digits)


# The first assignee as a generated column of Issue: `_assign` is a JSON list Frappe rewrites whenever an
# assignment changes (frappe.desk.form.assign_to, without Issue hooks); a VIRTUAL column computed from it
# by MariaDB is always equal to its first element, and its index is what the reports group on (the JSON
# extracted per row cost seconds at a million tickets).
FIRST_ASSIGNEE_COLUMN = "sp_first_assignee"
# `_assign` that is not JSON (an empty string written by some code path) has no first assignee: without
# json_valid MariaDB refuses to compute the column, so saving such a ticket or indexing the table fails.
FIRST_ASSIGNEE_SQL = "if(json_valid(`_assign`), json_unquote(json_extract(`_assign`, '$[0]')), null)"

# The generated columns of Issue: name -> (type, expression).
# Not Custom Fields: nobody edits them; Frappe leaves columns it does not know alone, and its inserts and
# updates never name them. Each column's comment carries a hash of its definition, so a changed
# definition replaces the column on migrate (`ensure_generated_columns`).
GENERATED_COLUMNS = {
	FIRST_ASSIGNEE_COLUMN: ("varchar(140)", FIRST_ASSIGNEE_SQL),
	"sp_first_response_s": ("decimal(21,9)", FIRST_RESPONSE_SQL),  # as first_response_time (Duration)
	"sp_resolution_s": ("bigint", RESOLUTION_SQL),
	# Of the base columns, not of the measure's column: no generated column depends on another.
	"sp_first_response_b": ("smallint", BUCKET.format(x=f"({FIRST_RESPONSE_SQL})")),
	"sp_resolution_b": ("smallint", BUCKET.format(x=f"({RESOLUTION_SQL})")),
}
# A measure's bucket column (distribution reads it from the index instead of computing a logarithm).
BUCKET_COLUMNS = {
	FIRST_RESPONSE_S: "`tabIssue`.sp_first_response_b",
	RESOLUTION_S: "`tabIssue`.sp_resolution_b",
}


def _column_comment(sql_type: str, expression: str) -> str:
	return "support_plus " + hashlib.sha1(f"{sql_type} {expression}".encode()).hexdigest()[:12]


def _generated_columns_on_site() -> dict:
	"""Our generated columns on the site's Issue table: name -> comment."""
	return dict(
		frappe.db.sql(
			"""select column_name, column_comment from information_schema.columns
			where table_schema = database() and table_name = 'tabIssue' and column_name in %s""",
			[tuple(GENERATED_COLUMNS)],
		)
	)


def ensure_generated_columns() -> None:
	"""The generated columns as defined above; when one is missing or its definition changed, all of them
	are made again (with their indexes). VIRTUAL columns cost no table copy."""
	on_site = _generated_columns_on_site()
	wanted = {name: _column_comment(*definition) for name, definition in GENERATED_COLUMNS.items()}
	if on_site == wanted:
		return
	drop_generated_columns()
	for name, (sql_type, expression) in GENERATED_COLUMNS.items():
		frappe.db.sql_ddl(
			f"alter table `tabIssue` add column `{name}` {sql_type} as ({expression}) virtual"
			f" comment '{wanted[name]}'"
		)


def drop_generated_columns() -> None:
	"""The generated columns and every index on them (also on uninstall)."""
	on_site = _generated_columns_on_site()
	if not on_site:
		return
	for (index,) in frappe.db.sql(
		"""select distinct index_name from information_schema.statistics
		where table_schema = database() and table_name = 'tabIssue' and column_name in %s""",
		[tuple(on_site)],
	):
		frappe.db.sql_ddl(f"alter table `tabIssue` drop index `{index}`")
	for name in reversed(list(GENERATED_COLUMNS)):
		if name in on_site:
			frappe.db.sql_ddl(f"alter table `tabIssue` drop column `{name}`")


# Covering indexes: the period queries read only the index, not the wide Issue rows (with a million
# tickets the rows do not fit in MariaDB's buffer pool, the indexes do). Each has two columns or more:
# Frappe's schema sync drops a one-column index on a field that is not a search index.
INDEXES = {
	"sp_analytics_state": ["status", "docstatus", "sla_health", "is_overdue", "creation"],
	# Opened in the period: support_kpis, SLA Breach Analysis, first response percentiles, Ticket Volume.
	"sp_analytics_opened": [
		"creation",
		"docstatus",
		"priority",
		"sp_first_response_b",
		"sp_first_response_s",
		"response_by",
		"first_responded_on",
		"resolution_by",
		"resolution_date",
	],
	# Resolved in the period: support_kpis, resolution percentiles, Customer Satisfaction.
	"sp_analytics_resolved": [
		"resolved_on",
		"docstatus",
		"sp_resolution_b",
		"sp_resolution_s",
		"customer_rating",
	],
	# The values of a few buckets (distribution's second pass reads only those).
	"sp_analytics_first_response_rank": [
		"sp_first_response_b",
		"sp_first_response_s",
		"creation",
		"docstatus",
	],
	"sp_analytics_resolution_rank": ["sp_resolution_b", "sp_resolution_s", "resolved_on", "docstatus"],
	"sp_analytics_closed": ["closed_on", "docstatus"],
	# SLA clocks unanswered past their deadline: support_kpis counts them live beside the per-day totals.
	"sp_analytics_unanswered": ["first_responded_on", "response_by", "creation", "docstatus"],
	"sp_analytics_unresolved": ["resolution_date", "resolution_by", "creation", "docstatus"],
	"sp_analytics_team": ["support_team", "creation"],
	"sp_analytics_customer": ["customer", "creation", "serial_no", "issue_type"],  # Repeat Issues
	# Technician Scorecard: per first assignee, every measure it averages, without reading the rows.
	"sp_analytics_agent": [
		"creation",
		"docstatus",
		FIRST_ASSIGNEE_COLUMN,
		"sp_first_response_s",
		"sp_resolution_s",
		"first_responded_on",
		"response_by",
		"customer_rating",
		"reopen_count",
	],
	# Tickets by Product and Category.
	"sp_analytics_product": [
		"creation",
		"docstatus",
		"item_code",
		"issue_type",
		"status",
		"sp_resolution_s",
		"customer_rating",
	],
	# SLA Compliance: the clocks by the day the SLA started (support_plus.sla.health's columns).
	"sp_analytics_sla": [
		"service_level_agreement_creation",
		"status",
		"service_level_agreement",
		"on_hold_since",
		"sla_clock_origin",
		"first_responded_on",
		"response_by",
		"resolution_date",
		"resolution_by",
		"priority",
	],
}


def _index_columns(name: str) -> list[str]:
	return [
		column
		for (column,) in frappe.db.sql(
			"""select column_name from information_schema.statistics where table_schema = database()
			and table_name = 'tabIssue' and index_name = %s order by seq_in_index""",
			name,
		)
	]


def ensure_indexes() -> None:
	"""Install/migrate: the generated columns, and the indexes as defined (an index whose columns changed
	is made again)."""
	ensure_generated_columns()
	for name, columns in INDEXES.items():
		on_site = _index_columns(name)
		if on_site == columns:
			continue
		if on_site:
			frappe.db.sql_ddl(f"alter table `tabIssue` drop index `{name}`")
		frappe.db.sql_ddl(
			"alter table `tabIssue` add index `{}` ({})".format(name, ", ".join(f"`{c}`" for c in columns))
		)


# Report building blocks: the groupings every analytics report offers, and the scope of its filters.
AGENT = f"`tabIssue`.{FIRST_ASSIGNEE_COLUMN}"  # _assign's first element (test_analytics_dashboard)


def period_group(column: str, period: str) -> str:
	return {
		"Day": f"date({column})",
		"Week": f"subdate(date({column}), weekday({column}))",
		"Month": f"date_format({column}, '%%Y-%%m-01')",
	}[period]


GROUP_COLUMNS = {
	"Agent": AGENT,
	"Team": "`tabIssue`.support_team",
	"Priority": "`tabIssue`.priority",
	"Channel": "`tabIssue`.channel",
	"Issue Type": "`tabIssue`.issue_type",
	"Customer": "`tabIssue`.customer",
}
PERIODS = ("Day", "Week", "Month")


def group_sql(group_by: str, date_column: str) -> str:
	"""The SQL of a report grouping; periods group on `date_column` (the date the measure is about)."""
	if group_by in PERIODS:
		return period_group(f"`tabIssue`.{date_column}", group_by)
	if group_by not in GROUP_COLUMNS:
		frappe.throw(_("Group By must be one of {0}.").format(", ".join((*PERIODS, *GROUP_COLUMNS))))
	return GROUP_COLUMNS[group_by]


def report_scope(filters: dict) -> Scope:
	"""The Scope of an analytics report's standard filters (dates, company, team, priority, issue type,
	customer)."""
	filters = frappe._dict(filters or {})
	return make_scope(
		filters.get("from_date"),
		filters.get("to_date"),
		team=filters.get("support_team"),
		company=filters.get("company"),
		priority=filters.get("priority"),
		issue_type=filters.get("issue_type"),
		customer=filters.get("customer"),
	)


PERCENTILES = (("median", 0.5), ("p90", 0.9))


# The histograms the per-day totals keep (support_plus.analytics.rollup): measure -> (part, its date column).
KEPT_HISTOGRAMS = {FIRST_RESPONSE_S: (0, "creation"), RESOLUTION_S: (1, "resolved_on")}


def _kept_histogram(scope: Scope, measure: str, date_column: str, group: str) -> list | None:
	"""The histogram of `distribution` from the kept per-day histograms, when they answer: a duration they
	keep, by its own date, grouped by a period, for a viewer who reads every ticket and no filter (they
	have no dimensions); else None."""
	part, kept_column = KEPT_HISTOGRAMS.get(measure, (None, None))
	if date_column != kept_column or any(getattr(scope, key) for key in SCOPE_COLUMNS):
		return None
	period = next((p for p in PERIODS if group == period_group(f"`tabIssue`.{date_column}", p)), None)
	if not period or not _totals_answer(scope, None):
		return None
	return rollup.histogram(part, period_group("day", period), scope.from_date, scope.to_date)


def distribution(
	scope: Scope, measure: str, date_column: str, group: str, lists: bool = True, live: bool = False
) -> dict:
	"""Per group, of the tickets whose `date_column` is in the period and that have the measure: count,
	average, median and 90th percentile, exactly as PERCENTILE_CONT computes them (linear interpolation
	between the values of 0-based ranks floor and ceil of p x (n - 1)), with no sort of the rows: the
	histogram (per group and bucket: count, sum) from one scan of the covering index, then the values of
	only the few buckets that hold the wanted ranks, a range of the (bucket, value) index. PERCENTILE_CONT's
	windows cost 3.3 s for one distribution at a million tickets, this about a third of it.
	test_analytics_dashboard checks both forms give the same numbers (`lists=False`: the values by the
	slower form of `_fill_values` only). The histogram comes from the per-day histograms the totals keep
	when they answer (`_kept_histogram`: a few hundred rows a day instead of each ticket; `live` forces the
	scan; test_analytics_rollup checks both give the same)."""
	where, params = ticket_conditions(scope)
	bucket = BUCKET_COLUMNS.get(measure) or BUCKET.format(x=measure)
	rows_in = f"""from `tabIssue`
		where `tabIssue`.{date_column} >= %(start)s and `tabIssue`.{date_column} < %(end)s
			and {measure} is not null and {where}"""
	kept = _kept_histogram(scope, measure, date_column, group) if not live else None
	histogram: dict = {}
	for g, b, count, total in (
		kept
		if kept is not None
		else frappe.db.sql(
			f"select {group}, {bucket}, count(*), sum({measure}) {rows_in} group by 1, 2 order by null",
			params,
		)
	):
		histogram.setdefault(g, []).append((int(b), int(count), total))
	ranks: dict = {}  # group -> {label: (low rank, high rank, fraction)}
	at: dict = {}  # (group, rank) -> (bucket, 1-based place in the bucket)
	needed: dict = {}  # (group, bucket, place) -> value
	out = {}
	for g, buckets in histogram.items():
		buckets.sort()
		n = sum(count for _b, count, _t in buckets)
		out[g] = frappe._dict(g=g, n=n, average=sum(float(t) for _b, _c, t in buckets) / n)
		firsts, first = [], 0
		for b, count, _t in buckets:
			firsts.append((first, b))
			first += count
		ranks[g] = {}
		for label, p in PERCENTILES:
			position = p * (n - 1)
			low, high = math.floor(position), math.ceil(position)
			ranks[g][label] = (low, high, position - low)
			for rank in (low, high):
				first, b = firsts[bisect.bisect_right(firsts, (rank, math.inf)) - 1]
				at[(g, rank)] = (b, rank - first + 1)
				needed[(g, b, rank - first + 1)] = None
	if needed:
		_fill_values(needed, histogram if lists else {}, group, bucket, measure, rows_in, params)
	for g, row in out.items():
		for label, (low, high, fraction) in ranks[g].items():
			low_value, high_value = (float(needed[(g, *at[(g, rank)])]) for rank in (low, high))
			row[label] = low_value + fraction * (high_value - low_value)
	return out


def _fill_values(needed: dict, histogram: dict, group, bucket, measure, rows_in, params) -> None:
	"""The values at the wanted places: `needed` maps (group, bucket, 1-based place in the bucket) to None.
	First each wanted bucket's values sorted by MariaDB and sent as one string per group and bucket (a
	hundred thousand rows sent one by one cost more than the scan), checked against the histogram's count:
	MariaDB 10.11 leaves a group's list out now and then (with its rowid filter on, always with some
	filters; a CI run with it off). What is missing then comes numbered by MariaDB (row_number over those
	buckets only, the slower form), and nothing missing is ever guessed."""
	counts = {(g, b): count for g, buckets in histogram.items() for b, count, _t in buckets}
	in_buckets = ", ".join(str(b) for b in sorted({b for _g, b, _p in needed}))
	listed: dict = {}
	for g, b, values in (
		()
		if not counts
		else frappe.db.sql(
			f"""set statement group_concat_max_len = 4294967295, optimizer_switch = 'rowid_filter=off' for
		select {group}, {bucket}, group_concat({measure} order by {measure})
		{rows_in} and {bucket} in ({in_buckets}) group by 1, 2""",
			params,
		)
	):
		values = values.split(",")
		if len(values) == counts.get((g, int(b))):
			listed[(g, int(b))] = values
	missing = set()
	for g, b, place in needed:
		if (g, b) in listed:
			needed[(g, b, place)] = listed[(g, b)][place - 1]
		else:
			missing.add(b)
	if missing:
		places = ", ".join(str(p) for p in sorted({p for _g, b, p in needed if b in missing}))
		for g, b, place, value in frappe.db.sql(
			f"""select g, b, place, x from (
				select {group} as g, {bucket} as b, {measure} as x,
					row_number() over (partition by {group}, {bucket} order by {measure}) as place
				{rows_in} and {bucket} in ({", ".join(str(b) for b in sorted(missing))})
			) numbered where place in ({places})""",
			params,
		):
			if (g, int(b), int(place)) in needed:
				needed[(g, int(b), int(place))] = value
	if any(value is None for value in needed.values()):
		frappe.throw(_("MariaDB did not return every value a percentile needs."))


def distribution_by_percentile_cont(scope: Scope, measure: str, date_column: str, group: str) -> dict:
	"""The same numbers with MariaDB's PERCENTILE_CONT, the plain form (the tests compare the two)."""
	where, params = ticket_conditions(scope)
	rows = frappe.db.sql(
		f"""select g, count(*) as n, avg(x) as average, max(median) as median, max(p90) as p90 from (
			select {group} as g, {measure} as x,
				percentile_cont(0.5) within group (order by {measure}) over (partition by {group}) as median,
				percentile_cont(0.9) within group (order by {measure}) over (partition by {group}) as p90
			from `tabIssue`
			where `tabIssue`.{date_column} >= %(start)s and `tabIssue`.{date_column} < %(end)s
				and {measure} is not null and {where}
		) measured group by g""",
		params,
		as_dict=True,
	)
	return {row.g: row for row in rows}
