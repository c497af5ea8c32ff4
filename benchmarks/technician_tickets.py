"""A technician's ticket list and My Work card on a large site: the row rule costs what the technician's own
tickets cost, not what the site holds.

    ./scripts/benchmark.sh technician_tickets [--n N] [--keep]

Bulk-loads N tickets (default 1,000,000), each with one open assignment (ToDo) to one of 500 made-up
technicians, with one INSERT ... SELECT per chunk from MariaDB's sequence engine (no documents). A real
technician-only user (sp-tech-ana) holds about 20 of them and has 5 more shared with them. Then, as that user
(median of 7 runs each):

- list_ms: the first page of their ticket list (frappe.get_list, 20 rows, newest first);
- card_ms: My Work's In Progress card (support_plus.dispatch.my_work.count);
- doc_ms: has_permission on one of their tickets and on one of someone else's;
- exists_list_ms, exists_card_ms: the same list page and count with the rule written as an EXISTS on ToDo
  and DocShare per ticket (the form support_plus.permissions.issue does not use), for comparison.

Everything made is deleted at the end (unless --keep).
Last line: technician_tickets tickets=<n> list_ms=<ms> card_ms=<ms> doc_ms=<ms> exists_list_ms=<ms>
exists_card_ms=<ms>
"""

import argparse
import json
import statistics
import time

import click

import frappe

from benchmarks._mariadb import delete_in_batches, require_sequence
from support_plus.dispatch.my_work import count as card_count
from support_plus.permissions.issue import own_tickets
from support_plus.setup.my_work import CARDS
from support_plus.tests.dispatch_fixtures import tech_user

PREFIX = "BENCHTECH"
CHUNK = 50_000
TECHNICIANS = 500
STATUSES = ("Open", "In Progress", "Pending Customer", "Resolved", "Closed")
RUNS = 7
EXISTS = """(exists (select 1 from `tabToDo` t where t.reference_type = 'Issue'
		and t.reference_name = `tabIssue`.name and t.allocated_to = {user} and t.status = 'Open')
	or exists (select 1 from `tabDocShare` s where s.share_doctype = 'Issue' and s.share_name = `tabIssue`.name
		and s.`read` = 1 and (s.user = {user} or s.everyone = 1)))"""


def run(args: list[str]) -> dict:
	parser = argparse.ArgumentParser(prog="technician_tickets")
	parser.add_argument("--n", type=int, default=1_000_000)
	parser.add_argument("--keep", action="store_true")
	options = parser.parse_args(args)
	user = tech_user("ana")
	frappe.db.commit()  # nosemgrep
	try:
		load(options.n, user)
		return measure(options.n, user)
	finally:
		frappe.set_user("Administrator")
		if not options.keep:
			delete()


def load(n: int, user: str) -> None:
	delete()
	require_sequence()
	statuses = ", ".join(frappe.db.escape(s) for s in STATUSES)
	# Ticket i belongs to technician i mod 500, except every own_every(n)th ticket: the measured user's.
	own_every = _own_every(n)
	assignee = (
		f"if(q.seq %% {own_every} = 0, {frappe.db.escape(user)},"
		f" concat('bench-tech-', q.seq %% {TECHNICIANS}, '@example.com'))"
	)
	issue = f"""insert into `tabIssue` (name, subject, status, creation, modified, owner, modified_by,
			docstatus, opening_date, _assign)
		select concat('{PREFIX}', lpad(q.seq, 8, '0')), 'Bench ticket', elt(1 + q.seq %% 5, {statuses}),
			timestampadd(second, q.seq, '2026-01-01'), timestampadd(second, q.seq, '2026-01-01'),
			'Administrator', 'Administrator', 0, '2026-01-01', json_array({assignee})
		from seq_1_to_{n} q where q.seq between %(first)s and %(last)s"""
	todo = f"""insert into `tabToDo` (name, status, priority, allocated_to, reference_type, reference_name,
			description, creation, modified, owner, modified_by, docstatus, `date`)
		select concat('{PREFIX}', lpad(q.seq, 8, '0')), 'Open', 'Medium', {assignee}, 'Issue',
			concat('{PREFIX}', lpad(q.seq, 8, '0')), 'bench', now(), now(), 'Administrator',
			'Administrator', 0, '2026-01-01'
		from seq_1_to_{n} q where q.seq between %(first)s and %(last)s"""
	start = time.perf_counter()
	with click.progressbar(
		range(1, n + 1, CHUNK), label=f"Loading {n} assigned tickets", file=click.get_text_stream("stderr")
	) as bar:
		for first in bar:
			values = {"first": first, "last": min(n, first + CHUNK - 1)}
			frappe.db.sql(issue, values)
			frappe.db.sql(todo, values)
			frappe.db.commit()  # nosemgrep: a million rows in one transaction would swamp the undo log
	# Five tickets of others shared with the user.
	for i in range(1, 6):
		name = f"{PREFIX}{i * 7 + 1:08d}"
		frappe.share.add_docshare("Issue", name, user, flags={"ignore_share_permission": True})
	frappe.db.commit()  # nosemgrep
	click.echo(f"loaded in {time.perf_counter() - start:.0f} s", err=True)
	frappe.db.sql("analyze table `tabIssue`, `tabToDo`, `tabDocShare`")


def _own_every(n: int) -> int:
	return n // 20 + 1  # about 20 tickets, not all of one status (i mod 5 is the status)


def timed(fn) -> tuple[float, object]:
	times, result = [], None
	for _ in range(RUNS):
		start = time.perf_counter()
		result = fn()
		times.append((time.perf_counter() - start) * 1000)
	return round(statistics.median(times), 2), result


def measure(n: int, user: str) -> dict:
	frappe.set_user(user)
	mine = own_tickets(user)
	assert len(mine) == n // _own_every(n) + 5, len(mine)
	frappe.clear_cache(user=user)
	list_ms, page = timed(
		lambda: frappe.get_list("Issue", fields=["name", "status"], order_by="modified desc", limit=20)
	)
	assert {row.name for row in page} <= set(mine) and len(page) == 20, page
	_doctype, filters, dynamic, _color = CARDS["In Progress"]
	card_filters = [*filters, *([d[0], d[1], d[2], f"%{user}%"] for d in dynamic)]
	card_ms, card = timed(lambda: card_count(json.dumps(card_filters)))
	theirs = f"{PREFIX}{2:08d}"
	doc_ms, allowed = timed(
		lambda: (
			frappe.has_permission("Issue", "read", mine[0], user=user),
			frappe.has_permission("Issue", "read", theirs, user=user),
		)
	)
	assert allowed == (True, False), allowed
	frappe.set_user("Administrator")
	condition = EXISTS.format(user=frappe.db.escape(user))
	exists_list_ms, rows = timed(
		lambda: frappe.db.sql(
			f"select name, status from `tabIssue` where {condition} order by modified desc limit 20"
		)
	)
	assert [r[0] for r in rows] == [r.name for r in page], (rows, page)
	exists_card_ms, exists_card = timed(
		lambda: frappe.db.sql(
			f"""select count(*) from `tabIssue` where status = 'In Progress' and _assign like %s
			and {condition}""",
			f"%{user}%",
		)[0][0]
	)
	assert exists_card == card["value"], (exists_card, card)
	click.echo(f"the user's tickets: {len(mine)}; In Progress: {card['value']}", err=True)
	return {
		"tickets": n,
		"list_ms": list_ms,
		"card_ms": card_ms,
		"doc_ms": doc_ms,
		"exists_list_ms": exists_list_ms,
		"exists_card_ms": exists_card_ms,
	}


def delete() -> None:
	frappe.db.sql(f"delete from `tabDocShare` where share_doctype = 'Issue' and share_name like '{PREFIX}%%'")
	for table in ("tabToDo", "tabIssue"):
		delete_in_batches(table, f"name like '{PREFIX}%%'")
