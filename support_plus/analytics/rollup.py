"""Per-day totals of the tickets, so that support_kpis reads a few hundred rows instead of a million.

support_kpis over two years of a million tickets scanned two covering indexes of a million entries each
(1 s on the 2-core machine; a bare count over one of them is 0.3 s), where the issue asks 0.5 s. Frappe
has no materialised aggregates, so this keeps its own, the way ERPNext keeps Bin (stock per item and
warehouse) beside the Stock Ledger: totals kept by the documents' own hooks, rebuilt and checked by a job.
Not MariaDB triggers: a backup holds them with their DEFINER, and restoring it as another database user
(`bench restore` onto a new site) or on a server writing a binary log without SUPER fails.

How it stays exact:
- Each ticket's *facts* (`FACTS`, one SQL expression over the definitions in
  support_plus.analytics.measures: opening day, team, company, priority, type, first response and its SLA
  outcome, resolution day and time, rating) and, in the Issue column `sp_counted_facts`, the facts its
  totals last counted. `refresh` moves the difference between the two into `__sp_ticket_days` (subtract
  what was counted, add what is now) in the writer's transaction, so a rollback (or a savepoint's) takes it
  back too; it is state-based, so running it twice changes nothing.
- Issue's `on_change` (save, insert, `db_set`) and `on_trash` run it. Code that writes the facts' columns
  with SQL (`frappe.db.set_value`) calls `refresh` itself, as support_plus's own such writers do.
- Anyone else's SQL: the daily `reconcile` (and migrate) refreshes every ticket whose facts differ from what was
  counted (one scan) and, should totals remain that no ticket explains (tickets deleted with SQL),
  rebuilds them from the counted facts.
- The SLA clocks still unanswered past their deadline depend on the moment asked: counted live
  (support_plus.analytics.kpis, on indexes of the unanswered tickets only), never here.

Beside them, `__sp_ticket_buckets`: per day, duration (first response, resolution) and bucket, how many
tickets and the sum of their durations — the histogram pass of the reports' percentiles
(kpis.distribution) for whole-site periods, kept by the same `refresh` from the same facts.

Each row of the totals is a day, the four dimensions and a slot (a hash of the ticket's name, 0-7): tickets opened the
same day with the same dimensions spread over eight rows, so concurrent new tickets do not queue on one
row lock until their commits. test_analytics_rollup checks the totals against the live queries.
"""

import hashlib

import frappe

from support_plus.analytics.measures import (
	BUCKET,
	FIRST_RESPONSE_S,
	RATING,
	RESOLUTION_LATE,
	RESOLUTION_MET,
	RESOLUTION_S,
	RESPONSE_LATE,
	RESPONSE_MET,
)

TABLE = "__sp_ticket_days"
COUNTED = "sp_counted_facts"
SLOTS = 8
DIMENSIONS = ("support_team", "company", "priority", "issue_type")
BATCH = 500

# A ticket's facts as a JSON array; NULL for a cancelled document (never counted). The positions are read
# by CONTRIBUTION below.
FACTS = f"""if(`tabIssue`.docstatus < 2, json_array(
	mod(crc32(`tabIssue`.name), {SLOTS}),
	date(`tabIssue`.creation),
	{", ".join(f"`tabIssue`.{d}" for d in DIMENSIONS)},
	{FIRST_RESPONSE_S},
	case when {RESPONSE_MET} then 1 when {RESPONSE_LATE} then 2 else 0 end,
	case when {RESOLUTION_MET} then 1 when {RESOLUTION_LATE} then 2 else 0 end,
	date(`tabIssue`.resolved_on),
	{RESOLUTION_S},
	{RATING}
), null)"""
SLOT, OPENED, FIRST_DIMENSION = 0, 1, 2
FIRST_RESPONSE, RESPONSE, RESOLUTION, RESOLVED, RESOLUTION_TIME, RATED = 6, 7, 8, 9, 10, 11


# What each row of `__sp_ticket_days` adds up: measure -> (part, SQL of the ticket's share). Part 0 is the
# day the ticket was opened, part 1 the day it was resolved.
def _at(position: int) -> str:
	return f"json_value(f.j, '$[{position}]')"


def _number(position: int) -> str:
	return f"cast({_at(position)} as decimal(30,9))"


MEASURES = {
	"created": (0, "1"),
	"first_response_n": (0, f"{_at(FIRST_RESPONSE)} is not null"),
	"first_response_sum": (0, f"coalesce({_number(FIRST_RESPONSE)}, 0)"),
	"response_met": (0, f"{_at(RESPONSE)} = 1"),
	"response_late": (0, f"{_at(RESPONSE)} = 2"),
	"resolution_met": (0, f"{_at(RESOLUTION)} = 1"),
	"resolution_late": (0, f"{_at(RESOLUTION)} = 2"),
	"resolved": (1, "1"),
	"resolution_n": (1, f"{_at(RESOLUTION_TIME)} is not null"),
	"resolution_sum": (1, f"coalesce({_number(RESOLUTION_TIME)}, 0)"),
	"rating_n": (1, f"{_at(RATED)} is not null"),
	"rating_sum": (1, f"coalesce({_number(RATED)}, 0)"),
}
KEY = ("day", "slot", *DIMENSIONS)

# The histograms of the two durations, for the first pass of the reports' percentiles
# (support_plus.analytics.kpis.distribution): per day the duration is about (first response: the day
# opened; resolution: the day resolved), part (0 first response, 1 resolution) and bucket (measures.BUCKET,
# the rule of Issue's bucket columns): how many tickets and the sum of their durations. No dimensions and
# no slots: a few hundred rows a day instead of a thousand tickets, for whole-site periods.
BUCKETS = "__sp_ticket_buckets"
BUCKET_KEY = ("day", "part", "bucket")
BUCKET_MEASURES = ("n", "total")


def _contribution(source: str) -> str:
	"""SQL: the rows to add to the totals for `source`, a query giving (j: facts, s: +1 or -1)."""
	dimensions = ", ".join(
		f"coalesce({_at(FIRST_DIMENSION + i)}, '') as {d}" for i, d in enumerate(DIMENSIONS)
	)
	sums = ", ".join(
		f"sum(if(p.part = {part}, f.s * coalesce({share}, 0), 0)) as {name}"
		for name, (part, share) in MEASURES.items()
	)
	return f"""select if(p.part = 0, {_at(OPENED)}, {_at(RESOLVED)}) as day, {_at(SLOT)} as slot,
			{dimensions}, {sums}
		from ({source}) f join (select 0 as part union all select 1) p
		where f.j is not null and (p.part = 0 or {_at(RESOLVED)} is not null)
		group by 1, 2, 3, 4, 5, 6"""


def _bucket_contribution(source: str) -> str:
	"""SQL: the rows to add to the histograms for `source` (as `_contribution`)."""
	duration = f"if(p.part = 0, {_at(FIRST_RESPONSE)}, {_at(RESOLUTION_TIME)})"
	value = f"cast({duration} as decimal(30,9))"
	return f"""select if(p.part = 0, {_at(OPENED)}, {_at(RESOLVED)}) as day, p.part as part,
			cast({BUCKET.format(x=value)} as signed) as bucket, cast(sum(f.s) as signed) as n,
			cast(sum(cast(f.s as signed) * {value}) as decimal(30,9)) as total
		from ({source}) f join (select 0 as part union all select 1) p
		where f.j is not null and {duration} is not null and (p.part = 0 or {_at(RESOLVED)} is not null)
		group by 1, 2, 3"""


# The kept tables: name, key columns, summed columns, and the SQL of a source's contribution to them.
KEPT = (
	(TABLE, KEY, tuple(MEASURES), _contribution),
	(BUCKETS, BUCKET_KEY, BUCKET_MEASURES, _bucket_contribution),
)


def _add(source: str, params: dict | None = None) -> None:
	"""Add the contribution of `source`'s rows to the totals and the histograms."""
	for table, key, measures, contribution in KEPT:
		columns = ", ".join((*key, *measures))
		updates = ", ".join(f"{m} = {m} + values({m})" for m in measures)
		frappe.db.sql(
			f"insert into `{table}` ({columns}) {contribution(source)} on duplicate key update {updates}",
			params or {},
		)


def _changed(condition: str) -> str:
	return f"{condition} and not (`tabIssue`.{COUNTED} <=> {FACTS})"


def refresh(names: list[str] | tuple | str) -> None:
	"""Count these tickets as they are now (those not counted so, that is). In the caller's transaction."""
	names = (names,) if isinstance(names, str) else tuple(names)
	if not names or not installed():
		return
	params = {"names": names}
	which = _changed("`tabIssue`.name in %(names)s")
	if not frappe.db.sql(f"select name from `tabIssue` where {which} for update", params):
		return
	_add(
		f"""select `tabIssue`.{COUNTED} as j, -1 as s from `tabIssue` where {which}
		union all select {FACTS} as j, 1 as s from `tabIssue` where {which}""",
		params,
	)
	frappe.db.sql(f"update `tabIssue` set {COUNTED} = {FACTS} where {which}", params)


def on_change(doc, method=None) -> None:
	"""Issue on_change: after insert, save and db_set (and after on_trash, which took the ticket out)."""
	if not doc.flags.in_delete:
		refresh(doc.name)


def on_trash(doc, method=None) -> None:
	"""Issue on_trash: what the ticket counted leaves the totals (with the deletion, or not at all)."""
	if not installed():
		return
	counted = frappe.db.sql(f"select {COUNTED} from `tabIssue` where name = %s", doc.name)
	counted = counted[0][0] if counted else None
	if counted:
		_add("select %(j)s as j, -1 as s", {"j": counted})
		frappe.db.sql(f"update `tabIssue` set {COUNTED} = null where name = %s", doc.name)


def totals(conditions: str, params: dict) -> frappe._dict:
	"""The sums of the measures over the rows matching `conditions` (SQL on the table's columns)."""
	sums = ", ".join(f"sum({m}) as {m}" for m in MEASURES)
	return frappe.db.sql(f"select {sums} from `{TABLE}` where {conditions}", params, as_dict=True)[0]


def histogram(part: int, group: str, from_day, to_day) -> list[tuple]:
	"""(group, bucket, count, sum) of the tickets' first responses (`part` 0, by the day opened) or
	resolutions (1, by the day resolved) from `from_day` to `to_day`, every ticket but cancelled ones;
	`group`: SQL on the column `day`."""
	return frappe.db.sql(
		f"""select {group}, bucket, sum(n), sum(total) from `{BUCKETS}`
		where part = %(part)s and day >= %(from_day)s and day <= %(to_day)s
		group by 1, 2 having sum(n) > 0 order by null""",
		{"part": part, "from_day": from_day, "to_day": to_day},
	)


# Keeping the totals right after SQL writes, and (re)making them.


def reconcile(commit: bool = True) -> dict:
	"""Daily (and on migrate): refresh the tickets whose facts are not what was counted (written with SQL),
	in batches (a failing batch is logged and the rest go on), then rebuild the totals if some remain that
	the counted facts do not explain (tickets deleted with SQL). Returns what it did. Safe to run at any
	time; `commit=False` leaves the transaction to the caller (a test, a script's own)."""
	if not installed():
		return {"refreshed": 0, "rebuilt": False}
	names = frappe.db.sql_list(f"select name from `tabIssue` where {_changed('1 = 1')}")
	refreshed = 0
	for start in range(0, len(names), BATCH):
		batch = names[start : start + BATCH]
		frappe.db.savepoint("sp_rollup")
		try:
			refresh(batch)
			refreshed += len(batch)
		except Exception:
			frappe.db.rollback(save_point="sp_rollup")
			frappe.log_error(title="Support Plus: ticket totals", message=frappe.get_traceback())
		if commit:
			frappe.db.commit()  # nosemgrep: a batch at a time, so one bad batch loses only itself
	rebuilt = False
	if not agrees():
		rebuild_totals()
		if commit:
			frappe.db.commit()  # nosemgrep: the rebuilt totals as one
		rebuilt = True
	return {"refreshed": refreshed, "rebuilt": rebuilt}


COUNTED_FACTS = f"select `tabIssue`.{COUNTED} as j, 1 as s from `tabIssue`"


def _agree(table: str, contribution: str, key: tuple, measures) -> bool:
	"""Whether `table` holds what `contribution` (SQL) gives, rows of nothing aside."""
	counted = {
		tuple(str(row[k]) for k in key): row
		for row in frappe.db.sql(contribution, as_dict=True)
		if any(row[m] for m in measures)
	}
	kept = {
		tuple(str(row[k]) for k in key): row
		for row in frappe.db.sql(f"select * from `{table}`", as_dict=True)
		if any(row[m] for m in measures)
	}
	return set(kept) == set(counted) and all(
		all(kept[k][m] == row[m] for m in measures) for k, row in counted.items()
	)


def agrees() -> bool:
	"""Whether the totals and the histograms are those of the counted facts (two scans of the tickets)."""
	return all(
		_agree(table, contribution(COUNTED_FACTS), key, measures)
		for table, key, measures, contribution in KEPT
	)


def rebuild_totals() -> None:
	for table, *_ in KEPT:
		frappe.db.sql(f"delete from `{table}`")
	_add(COUNTED_FACTS)


def rebuild() -> None:
	"""Count every ticket anew (install, a changed definition, a bulk load with SQL). Set-based."""
	frappe.db.sql(f"update `tabIssue` set {COUNTED} = {FACTS} where {_changed('1 = 1')}")
	rebuild_totals()


# Schema (install code): the table, the column, and a hash of the definitions in the table's comment, so
# that a changed definition counts everything anew on migrate.


def _definition_hash() -> str:
	return hashlib.sha1(
		f"{FACTS} {MEASURES} {KEY} {_bucket_contribution('')} {BUCKET_KEY}".encode()
	).hexdigest()[:12]


def installed() -> bool:
	"""Whether the site has the totals (Frappe's cached list of Issue's columns: no query per save)."""
	return frappe.db.has_column("Issue", COUNTED)


def _forget_columns() -> None:
	frappe.cache.hdel("table_columns", "tabIssue")


def ensure() -> None:
	"""The tables and column as defined here; counted anew when missing or when the definition changed."""
	comment = f"support_plus {_definition_hash()}"
	tables = frappe.db.sql(
		"""select table_name, table_comment from information_schema.tables
		where table_schema = database() and table_name in %s""",
		(tuple(table for table, *_ in KEPT),),
	)
	_forget_columns()
	if dict(tables) == {table: comment for table, *_ in KEPT} and installed():
		return
	drop()
	dimensions = ", ".join(f"`{d}` varchar(140) not null default ''" for d in DIMENSIONS)
	measures = ", ".join(
		f"`{m}` {'decimal(30,9)' if m.endswith('_sum') else 'int'} not null default 0" for m in MEASURES
	)
	frappe.db.sql_ddl(
		f"""create table `{TABLE}` (`day` date not null, `slot` tinyint unsigned not null, {dimensions},
		{measures}, primary key ({", ".join(f"`{k}`" for k in ("day", *DIMENSIONS, "slot"))}))
		engine=InnoDB default charset=utf8mb4 collate=utf8mb4_unicode_ci comment='{comment}'"""
	)
	frappe.db.sql_ddl(
		f"""create table `{BUCKETS}` (`day` date not null, `part` tinyint unsigned not null,
		`bucket` smallint not null, `n` int not null default 0, `total` decimal(30,9) not null default 0,
		primary key (`part`, `day`, `bucket`))
		engine=InnoDB default charset=utf8mb4 collate=utf8mb4_unicode_ci comment='{comment}'"""
	)
	frappe.db.sql_ddl(f"alter table `tabIssue` add column `{COUNTED}` text null")
	_forget_columns()
	rebuild()


def drop() -> None:
	"""The tables and the column (a changed definition, uninstall)."""
	for table, *_ in KEPT:
		frappe.db.sql_ddl(f"drop table if exists `{table}`")
	_forget_columns()
	if installed():
		frappe.db.sql_ddl(f"alter table `tabIssue` drop column `{COUNTED}`")
	_forget_columns()
