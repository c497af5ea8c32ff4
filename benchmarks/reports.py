"""The analytics reports and support_kpis on many tickets.

    ./scripts/benchmark.sh reports [--tickets N] [--keep]

Bulk-loads N tickets (default 1,000,000) opened over the two years before now, with one INSERT ... SELECT
per chunk from MariaDB's sequence engine (no documents): statuses, priorities, channels, teams, agents,
first responses, resolutions, SLA deadlines, ratings and overdue follow-ups spread by a hash of the
row number. Then runs every analytics report (and SLA Compliance) and support_kpis for the last 90
days and for the whole range, as Administrator and as a Support Manager (Frappe's match conditions
included), and deletes the tickets again (unless --keep).
Targets on the 2-core machine at N=1,000,000: worst_s <= 2, kpis_s <= 0.5.
Last line: reports tickets=<n> worst_s=<s> worst_report=<name> kpis_s=<s>
"""

import argparse
import time

import click

import frappe
from frappe.desk.query_report import run as run_report
from frappe.utils import add_days, getdate, now_datetime

from benchmarks._mariadb import delete_in_batches, require_sequence, settle
from support_plus.analytics import rollup
from support_plus.analytics.kpis import support_kpis
from support_plus.tests.utils import MANAGER, TEST_COMPANY, make_user

PREFIX = "BENCHRPT"
CHUNK = 50_000
DAYS = 730
REPORTS = {
	"First Response and Resolution Time": {"group_by": "Week"},
	"SLA Breach Analysis": {"group_by": "Priority"},
	"Technician Scorecard": {},
	"Customer Satisfaction": {"group_by": "Month"},
	"Ticket Volume": {"group_by": "Hour of Day"},
	"Backlog and Age": {"group_by": "Age"},
	"SLA Compliance": {"group_by": "Week"},
	"Repeat Issues": {"days": 30},
	"Tickets by Product and Category": {"group_by": "Item Group"},
}
AGENTS = [f"bench-agent-{i}@example.com" for i in range(8)]


def run(args: list[str]) -> dict:
	parser = argparse.ArgumentParser(prog="reports")
	parser.add_argument("--tickets", type=int, default=1_000_000)
	parser.add_argument("--keep", action="store_true")
	opts = parser.parse_args(args)
	make_user(MANAGER, ["Support Manager"])
	try:
		load(opts.tickets)
		timings = measure()
	finally:
		if not opts.keep:
			delete()
	worst = max(timings["reports"], key=timings["reports"].get)
	return {
		"tickets": opts.tickets,
		"worst_s": round(timings["reports"][worst], 3),
		"worst_report": worst.replace(" ", "_"),
		"kpis_s": round(timings["kpis"], 3),
	}


def load(n: int) -> None:
	delete()
	require_sequence()
	now = now_datetime().replace(microsecond=0)
	span = DAYS * 86400
	agents = "json_array(elt(1 + h %% 8, {}))".format(", ".join(frappe.db.escape(a) for a in AGENTS))
	# h: a hash of the row; created spreads the rows evenly over the two years, mostly in working hours.
	select = f"""
		select concat('{PREFIX}', lpad(seq, 8, '0')), 'Benchmark ticket', created, created, 'Administrator',
			'Administrator', 0, date(created), time(created), {frappe.db.escape(TEST_COMPANY)},
			elt(1 + h %% 4, 'Low', 'Medium', 'High', 'Critical'),
			elt(1 + (h >> 3) %% 4, 'Email', 'Web Portal', 'Phone', 'Chat'),
			if(h %% 3 = 0, null, {agents}),
			case
				when resolved is not null and resolved < %(now)s - interval 7 day then 'Closed'
				when resolved is not null and resolved < %(now)s then 'Resolved'
				else elt(1 + (h >> 5) %% 6, 'Open', 'Replied', 'In Progress', 'Pending Customer', 'Pending Parts', 'On Hold')
			end,
			responded, if(responded is null, null, timestampdiff(second, created, responded)),
			created + interval 4 hour, created + interval 2 day,
			if(resolved < %(now)s, resolved, null), if(resolved < %(now)s, resolved, null),
			if(resolved < %(now)s - interval 7 day, resolved + interval 1 day, null),
			if(resolved < %(now)s and h %% 5 < 3, 1 + (h >> 7) %% 5, 0),
			case when coalesce(if(resolved < %(now)s, resolved, null), %(now)s) > created + interval 2 day
				then 'Breached' else 'On Track' end,
			if(resolved is null or resolved >= %(now)s, (h >> 9) %% 10 = 0, 0),
			(h >> 11) %% 20 = 0, 'Bench SLA', created
		from (
			select seq, h, created,
				if(created + interval ((h >> 13) %% 28800) second < %(now)s,
					created + interval ((h >> 13) %% 28800) second, null) as responded,
				if((h >> 17) %% 100 < 97, created + interval ((h >> 19) %% 432000) second, null) as resolved
			from (
				select seq, crc32(seq) as h,
					%(now)s - interval (%(span)s * (%(n)s - seq) div %(n)s) second
						- interval ((crc32(seq) >> 2) %% 43200) second as created
				from seq_1_to_{n} where seq between %(first)s and %(last)s
			) numbered
		) t"""
	columns = (
		"name, subject, creation, modified, owner, modified_by, docstatus, opening_date, opening_time, company,"
		" priority, channel, _assign, status, first_responded_on, first_response_time, response_by,"
		" resolution_by, resolution_date, resolved_on, closed_on, customer_rating, sla_health, is_overdue,"
		" reopen_count, service_level_agreement, service_level_agreement_creation"
	)
	start = time.perf_counter()
	with click.progressbar(
		range(1, n + 1, CHUNK), label=f"Loading {n} tickets", file=click.get_text_stream("stderr")
	) as bar:
		for first in bar:
			frappe.db.sql(
				f"insert into `tabIssue` ({columns}) {select}",
				{"now": now, "span": span, "n": n, "first": first, "last": min(n, first + CHUNK - 1)},
			)
			frappe.db.commit()  # nosemgrep: a million rows in one transaction would swamp the undo log
	click.echo(f"loaded in {time.perf_counter() - start:.0f} s", err=True)
	frappe.db.sql("analyze table `tabIssue`")
	# Loaded with SQL, past the documents' hooks: the per-day totals of support_kpis counted anew, as the
	# daily reconcile would.
	start = time.perf_counter()
	click.echo("Counting the per-day totals of support_kpis", err=True)
	rollup.rebuild()
	frappe.db.commit()  # nosemgrep
	click.echo(f"counted in {time.perf_counter() - start:.0f} s", err=True)
	settle()


def measure() -> dict:
	today = getdate(now_datetime())
	ranges = {
		"90d": (add_days(today, -89), today),
		"all": (add_days(today, -DAYS), today),
	}
	reports, kpis = {}, 0.0
	for user in ("Administrator", MANAGER):
		frappe.set_user(user)
		for label, (from_date, to_date) in ranges.items():
			for name, extra in REPORTS.items():
				filters = {"from_date": str(from_date), "to_date": str(to_date), **extra}
				start = time.perf_counter()
				run_report(name, filters=filters, ignore_prepared_report=True)
				seconds = time.perf_counter() - start
				reports[name] = max(reports.get(name, 0), seconds)
				click.echo(f"{user:30} {label:4} {name:40} {seconds:7.3f} s", err=True)
			start = time.perf_counter()
			support_kpis(from_date, to_date)
			seconds = time.perf_counter() - start
			kpis = max(kpis, seconds)
			click.echo(f"{user:30} {label:4} {'support_kpis':40} {seconds:7.3f} s", err=True)
	frappe.set_user("Administrator")
	parts(ranges["all"])
	start = time.perf_counter()
	done = rollup.reconcile(commit=False)
	click.echo(
		f"the daily rollup.reconcile with nothing to do: {done}, {time.perf_counter() - start:.2f} s",
		err=True,
	)
	return {"reports": reports, "kpis": kpis}


def parts(period) -> None:
	"""Where the whole range's time goes (stderr only): support_kpis' queries and one percentile query."""
	from support_plus.analytics import kpis as k

	scope = k.make_scope(*period)
	for name in ("snapshot", "recent", "opened_in_period", "resolved_in_period"):
		start = time.perf_counter()
		getattr(k, name)(scope)
		click.echo(f"{'all':4} kpis.{name:35} {time.perf_counter() - start:7.3f} s", err=True)
	group = k.group_sql("Week", "creation")
	for fn in (k.distribution, k.distribution_by_percentile_cont):
		start = time.perf_counter()
		fn(scope, k.FIRST_RESPONSE_S, "creation", group)
		click.echo(f"{'all':4} kpis.{fn.__name__:36} {time.perf_counter() - start:7.3f} s", err=True)


def delete() -> None:
	delete_in_batches("tabIssue", f"name like '{PREFIX}%%'", batch=100_000)
	rollup.rebuild_totals()  # deleted with SQL
	frappe.db.commit()  # nosemgrep
