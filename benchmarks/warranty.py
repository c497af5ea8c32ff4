"""The coverage rule and the daily coverage alerts at scale.

    ./scripts/benchmark.sh warranty [--serials N] [--contracts N] [--customers N] [--lookups N]

Bulk-loads (SQL) N serial numbers (default 200,000) of 20 items over 2,000 customers, delivered over the
three years before TODAY with a one- or two-year warranty, and 20,000 submitted service contracts
(18,000 on three listed serials each, 2,000 on all of a customer's serials of one item), one contact with
an email address per customer and an account manager for one customer in ten. Then it times
`support_plus.api.warranty_status` on random serials and days (as a Support Agent, permission check
included) and one run of the daily alert job: it selects the due serials of every customer and queues the
emails in chunks of 50 customers for the `long` queue (Frappe builds an email in about 35 ms, so ~1,900
emails are background work); the chunks are then run in this process and timed apart (stderr), and a
second run of the job must find nothing left to announce. Everything is rolled back.
Targets on the 2-core machine: p95 <= 5 ms, alerts <= 10 s.
Last line: warranty p95_ms=<n> alerts_seconds=<n>
"""

import argparse
import random
import time
from datetime import date, timedelta

import click

import frappe

from support_plus.api import warranty_status
from support_plus.tests.utils import AGENT, MANAGER, make_user
from support_plus.warranty import alerts

TODAY = date(2026, 11, 30)
PREFIX = "WBENCH"


def run(args: list[str]) -> dict:
	parser = argparse.ArgumentParser(prog="warranty")
	parser.add_argument("--serials", type=int, default=200_000)
	parser.add_argument("--contracts", type=int, default=20_000)
	parser.add_argument("--customers", type=int, default=2_000)
	parser.add_argument("--lookups", type=int, default=3_000)
	opts = parser.parse_args(args)
	frappe.flags.in_test = True  # mail is queued, never sent
	make_user(AGENT, ["Support Agent"])
	make_user(MANAGER, ["Support Manager"])
	frappe.db.commit()  # nosemgrep: the users outlive the rolled-back data
	remove()  # left by a killed run
	try:
		serials = load(opts)
		timings = lookups(serials, opts.lookups)
		frappe.set_user("Administrator")
		due = sorted(
			{row.customer for row in alerts.due_serials(TODAY, TODAY + timedelta(days=alerts.alert_days()))}
		)
		start = time.perf_counter()
		result = alerts.send_coverage_alerts(TODAY)
		alerts_seconds = time.perf_counter() - start
		# What the background workers then do: the queued chunks, one after the other in this process.
		start = time.perf_counter()
		sent = {"emails": 0, "serials": 0, "failed": 0}
		with click.progressbar(
			range(0, len(due), alerts.CHUNK_SIZE), label="Email chunks", file=click.get_text_stream("stderr")
		) as bar:
			for at in bar:
				alerts.add(sent, alerts.send_chunk(due[at : at + alerts.CHUNK_SIZE], TODAY))
		emails_seconds = time.perf_counter() - start
		again = alerts.send_coverage_alerts(TODAY)
		assert again["emails"] == again["queued_chunks"] == 0, again  # never twice
	finally:
		frappe.set_user("Administrator")
		frappe.db.rollback()
		remove()
	timings.sort()
	click.echo(
		f"lookups={len(timings)} p50_ms={timings[len(timings) // 2]:.2f} max_ms={timings[-1]:.2f}\n"
		f"alert job: {result}\nqueued chunks sent in {emails_seconds:.1f} s by one process: {sent}",
		err=True,
	)
	return {
		"p95_ms": round(timings[int(len(timings) * 0.95)], 2),
		"alerts_seconds": round(alerts_seconds, 2),
	}


def load(opts) -> list[str]:
	rng = random.Random(20261130)
	now = frappe.utils.now_datetime()
	base = {"creation": now, "modified": now, "owner": "Administrator", "modified_by": "Administrator"}
	group = frappe.db.get_value("Customer Group", {"is_group": 0}) or "All Customer Groups"
	territory = frappe.db.get_value("Territory", {"is_group": 0}) or "All Territories"
	company = frappe.defaults.get_global_default("company")
	items = [f"{PREFIX}-ITEM-{i:02d}" for i in range(20)]
	customers = [f"{PREFIX}-CUST-{i:05d}" for i in range(opts.customers)]

	def insert(doctype, rows):
		if rows:
			fields = list(rows[0])
			frappe.db.bulk_insert(
				doctype, fields, [tuple(r[f] for f in fields) for r in rows], ignore_duplicates=True
			)

	insert(
		"Item",
		[
			{**base, "name": i, "item_code": i, "item_name": i, "item_group": "All Item Groups", "stock_uom": "Nos",
			 "has_serial_no": 1, "is_stock_item": 1, "warranty_period": "365", "warranty_starts_on": "Delivery"}
			for i in items
		],
	)  # fmt: skip
	insert(
		"Customer",
		[
			{**base, "name": c, "customer_name": c, "customer_type": "Company", "customer_group": group,
			 "territory": territory, "account_manager": MANAGER if n % 10 == 0 else None}
			for n, c in enumerate(customers)
		],
	)  # fmt: skip
	insert(
		"Contact",
		[
			{**base, "name": f"{c}-CONTACT", "first_name": c, "email_id": f"{c.lower()}@example.com"}
			for c in customers
		],
	)
	insert(
		"Dynamic Link",
		[
			{**base, "name": f"{c}-LINK", "parent": f"{c}-CONTACT", "parenttype": "Contact", "parentfield": "links",
			 "idx": 1, "link_doctype": "Customer", "link_name": c}
			for c in customers
		],
	)  # fmt: skip

	serials, rows, owned = [], [], {}
	with click.progressbar(
		range(opts.serials), label="Serial numbers", file=click.get_text_stream("stderr")
	) as bar:
		for n in bar:
			name = f"{PREFIX}{n:07d}"
			customer = customers[n % len(customers)]
			item = items[rng.randrange(len(items))]
			delivered = TODAY - timedelta(days=rng.randrange(0, 3 * 365))
			days = 365 if n % 2 else 730
			serials.append(name)
			owned.setdefault(customer, []).append((name, item))
			rows.append(
				{**base, "name": name, "serial_no": name, "item_code": item, "status": "Delivered", "company": company,
				 "customer": customer, "delivered_on": delivered, "warranty_period": days,
				 "warranty_expiry_date": delivered + timedelta(days=days)}
			)  # fmt: skip
			if len(rows) == 10_000:
				insert("Serial No", rows)
				rows = []
	insert("Serial No", rows)

	contracts, children, by_item = [], [], []
	by_item_count = min(opts.customers, opts.contracts // 10)
	with click.progressbar(
		range(opts.contracts), label="Contracts", file=click.get_text_stream("stderr")
	) as bar:
		for n in bar:
			name = f"{PREFIX}-SC-{n:06d}"
			customer = customers[n % len(customers)]
			start = TODAY - timedelta(days=rng.randrange(0, 2 * 365))
			contracts.append(
				{**base, "name": name, "naming_series": "SC-.YYYY.-", "customer": customer, "customer_name": customer,
				 "company": company, "contract_type": "CMC" if n % 3 == 0 else "AMC", "start_date": start,
				 "end_date": start + timedelta(days=365), "covers_labour": 1, "covers_parts": int(n % 3 == 0),
				 "docstatus": 1, "parts_used_amount": 0, "parts_used_count": 0, "quota_alert_level": 0}
			)  # fmt: skip
			if n < by_item_count:
				by_item.append(
					{**base, "name": f"{name}-I", "parent": name, "parenttype": "Service Contract", "parentfield": "items",
					 "idx": 1, "docstatus": 1, "item_code": rng.choice(items)}
				)  # fmt: skip
			else:
				for idx, (serial, item) in enumerate(
					rng.sample(owned[customer], min(3, len(owned[customer]))), 1
				):
					children.append(
						{**base, "name": f"{name}-{idx}", "parent": name, "parenttype": "Service Contract",
						 "parentfield": "serials", "idx": idx, "docstatus": 1, "serial_no": serial, "item_code": item}
					)  # fmt: skip
			if len(contracts) == 5_000:
				insert("Service Contract", contracts)
				contracts = []
	insert("Service Contract", contracts)
	for start in range(0, len(children), 10_000):
		insert("Service Contract Serial", children[start : start + 10_000])
	insert("Service Contract Item", by_item)
	# The contracts' end dates on their serials, as submitting them would have set.
	frappe.db.sql(
		"""update `tabSerial No` s join (
			select cs.serial_no, max(c.end_date) as end_date from `tabService Contract Serial` cs
			join `tabService Contract` c on c.name = cs.parent where c.name like %s group by cs.serial_no
		) last on last.serial_no = s.name set s.amc_expiry_date = last.end_date""",
		f"{PREFIX}-SC-%",
	)
	return serials


def remove() -> None:
	"""Delete the benchmark's records (nothing is committed by a finished run; this is for a killed one)."""
	like = f"{PREFIX}%"
	for doctype, column in (
		("Serial No", "name"),
		("Service Contract Serial", "parent"),
		("Service Contract Item", "parent"),
		("Service Contract", "name"),
		("Dynamic Link", "name"),
		("Contact", "name"),
		("Customer", "name"),
		("Item", "name"),
	):
		frappe.db.sql(f"delete from `tab{doctype}` where `{column}` like %s", like)  # nosemgrep
	frappe.db.sql(
		"delete from `tabEmail Queue` where reference_doctype = 'Customer' and reference_name like %s", like
	)
	frappe.db.commit()  # nosemgrep


def lookups(serials: list[str], count: int) -> list[float]:
	rng = random.Random(7)
	frappe.set_user(AGENT)
	for name in rng.sample(serials, 50):  # warm the permission and meta caches
		warranty_status(name)
	timings = []
	with click.progressbar(
		range(count), label="warranty_status", file=click.get_text_stream("stderr")
	) as bar:
		for _ in bar:
			name = rng.choice(serials)
			day = TODAY - timedelta(days=rng.randrange(-365, 3 * 365))
			start = time.perf_counter()
			warranty_status(name, day)
			timings.append((time.perf_counter() - start) * 1000)
	return timings
