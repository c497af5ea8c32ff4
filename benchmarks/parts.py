"""Parts on a job: `use_part` (Installed, from the technician's van) against a plain ERPNext Material Issue.

    ./scripts/benchmark.sh parts [--vans N] [--items M] [--stocked-vans S] [--samples K]

Makes N vans (default 200: leaf warehouses under a "Bench Vans" group) and M parts (default 50), with
ERPNext Item Reorder rows (par levels: level 5, refill 10, Material Transfer) for every van and part
(N x M rows, bulk inserted), and S of the vans (default 20) stocked with 20 units of every part by real
Material Receipts, each stocked van the van of a technician (a user with only the Service Technician
role) assigned to a ticket. Then, K times (default 200), for a random stocked van and part:
- `use_part(ticket, part)` as the van's technician (Installed, from the van; the checks, the locked stock
  check, the Stock Entry, the coverage rule, and every stock hook: the refill check of a merged van
  module included, its background job excepted), and
- a plain ERPNext Material Issue of the same part from the same van (ERPNext's `make_stock_entry`, as
  Administrator), the order alternating.
Everything runs in one transaction, rolled back at the end (nothing is left on the shared test site;
what an interrupted run left is removed first). Target: overhead <= 1.5.
Last line: parts per_sec=<n> baseline_per_sec=<n> overhead=<ratio>
"""

import argparse
import random
import time

import click

import frappe
from frappe.utils import now_datetime

from support_plus.parts import usage
from support_plus.tests.utils import make_customer
from support_plus.tests.warranty_fixtures import company

PREFIX = "BENCH-PART-"
VAN_GROUP = "Bench Vans"
USER = "bench-parts-{:03d}@example.com"
CUSTOMER = "Bench Parts Customer"
PAR, REFILL, STOCK = 5, 10, 20


def run(args: list[str]) -> dict:
	parser = argparse.ArgumentParser(prog="parts")
	parser.add_argument("--vans", type=int, default=200)
	parser.add_argument("--items", type=int, default=50)
	parser.add_argument("--stocked-vans", type=int, default=20)
	parser.add_argument("--samples", type=int, default=200)
	parser.add_argument("--profile", action="store_true", help="print where use_part spends its time")
	opts = parser.parse_args(args)
	rng = random.Random(20261130)
	remove_leftovers()
	try:
		make_customer(CUSTOMER)
		vans = make_vans(opts.vans)
		items = make_items(opts.items)
		make_par_levels(items, vans)
		stocked = vans[: opts.stocked_vans]
		stock_vans(stocked, items)
		crew = make_technicians(stocked)
		per_sec, baseline_per_sec = measure(crew, items, opts.samples, rng, opts.profile)
	finally:
		frappe.db.rollback()
		frappe.db.after_commit.reset()
		frappe.set_user("Administrator")
	return {
		"per_sec": round(per_sec, 2),
		"baseline_per_sec": round(baseline_per_sec, 2),
		"overhead": round(baseline_per_sec / per_sec, 3),
	}


def remove_leftovers() -> None:
	"""What an interrupted run may have left (the run itself never commits)."""
	abbr = frappe.get_cached_value("Company", company(), "abbr")
	vans = frappe.get_all("Warehouse", filters={"name": ("like", f"Bench Van %- {abbr}")}, pluck="name")
	if not vans and not frappe.db.exists("Item", {"name": ("like", f"{PREFIX}%")}):
		return
	click.echo("Removing an earlier run's leftovers", err=True)
	for doctype, field in (("Item Reorder", "parent"), ("Item Default", "parent"), ("Bin", "item_code")):
		frappe.db.delete(doctype, {field: ("like", f"{PREFIX}%")})
	frappe.db.delete("Item", {"name": ("like", f"{PREFIX}%")})
	for name in vans:
		frappe.db.delete("Warehouse", {"name": name})
	for doctype, field in (("Has Role", "parent"), ("Service Technician", "user"), ("User", "name")):
		frappe.db.delete(doctype, {field: ("like", "bench-parts-%@example.com")})
	frappe.db.commit()  # nosemgrep: only leftovers of an earlier run are removed


def make_vans(n: int) -> list[str]:
	root = frappe.db.get_value("Warehouse", {"company": company(), "is_group": 1}, "name", order_by="lft")
	group = frappe.get_doc(
		{
			"doctype": "Warehouse",
			"warehouse_name": VAN_GROUP,
			"company": company(),
			"is_group": 1,
			"parent_warehouse": root,
		}
	).insert()
	vans = []
	with click.progressbar(range(n), label="Making vans", file=click.get_text_stream("stderr")) as bar:
		for i in bar:
			doc = frappe.get_doc(
				{
					"doctype": "Warehouse",
					"warehouse_name": f"Bench Van {i:03d}",
					"company": company(),
					"parent_warehouse": group.name,
				}
			).insert()
			vans.append(doc.name)
	return vans


def make_items(m: int) -> list[str]:
	group = frappe.db.get_value("Item Group", {"is_group": 0}, "name")
	items = []
	with click.progressbar(range(m), label="Making parts", file=click.get_text_stream("stderr")) as bar:
		for i in bar:
			code = f"{PREFIX}{i:03d}"
			frappe.get_doc(
				{
					"doctype": "Item",
					"item_code": code,
					"item_name": f"Bench part {i}",
					"item_group": group,
					"stock_uom": "Nos",
					"is_stock_item": 1,
				}
			).insert()
			items.append(code)
	return items


def make_par_levels(items: list[str], vans: list[str]) -> None:
	now = now_datetime()
	rows = [
		(
			frappe.generate_hash(length=12),
			item,
			"Item",
			"reorder_levels",
			idx,
			van,
			PAR,
			REFILL,
			"Transfer",
			now,
			now,
			"Administrator",
			"Administrator",
		)
		for item in items
		for idx, van in enumerate(vans, start=1)
	]
	fields = ("name", "parent", "parenttype", "parentfield", "idx", "warehouse", "warehouse_reorder_level", "warehouse_reorder_qty", "material_request_type", "creation", "modified", "owner", "modified_by")  # fmt: skip
	frappe.db.bulk_insert("Item Reorder", fields, rows)
	click.echo(f"{len(rows)} par levels (Item Reorder rows)", err=True)


def stock_vans(vans: list[str], items: list[str]) -> None:
	"""A real Material Receipt of every part into each stocked van."""
	accounts = frappe.get_cached_value("Company", company(), ["stock_adjustment_account", "cost_center"])
	with click.progressbar(vans, label="Stocking vans", file=click.get_text_stream("stderr")) as bar:
		for van in bar:
			entry = frappe.get_doc(
				{
					"doctype": "Stock Entry",
					"stock_entry_type": "Material Receipt",
					"purpose": "Material Receipt",
					"company": company(),
					"items": [
						{
							"item_code": item,
							"qty": STOCK,
							"t_warehouse": van,
							"basic_rate": 10,
							"conversion_factor": 1,
							"expense_account": accounts[0],
							"cost_center": accounts[1],
						}
						for item in items
					],
				}
			)
			entry.insert()
			entry.submit()


def make_technicians(vans: list[str]) -> list[tuple[str, str, str]]:
	"""(user, van, ticket assigned to them) for each stocked van."""
	now = now_datetime()
	meta = (now, now, "Administrator", "Administrator")
	users, roles, techs = [], [], []
	for i, van in enumerate(vans):
		user = USER.format(i)
		users.append((user, user, f"Bench Parts Tech {i}", f"Bench Parts Tech {i}", 1, "System User", *meta))
		roles.append((frappe.generate_hash(length=10), user, "User", "roles", 1, "Service Technician"))
		techs.append((user, user, f"Bench Parts Tech {i}", "Active", 50, van, *meta))
	m = ("creation", "modified", "owner", "modified_by")
	frappe.db.bulk_insert(
		"User", ("name", "email", "first_name", "full_name", "enabled", "user_type", *m), users
	)
	frappe.db.bulk_insert("Has Role", ("name", "parent", "parenttype", "parentfield", "idx", "role"), roles)
	frappe.db.bulk_insert(
		"Service Technician", ("name", "user", "full_name", "status", "capacity", "van_warehouse", *m), techs
	)
	crew = []
	for user, van in zip((u[0] for u in users), vans, strict=True):
		issue = frappe.get_doc(
			{"doctype": "Issue", "subject": "Parts benchmark", "customer": CUSTOMER}
		).insert()
		frappe.get_doc(
			{
				"doctype": "ToDo",
				"allocated_to": user,
				"reference_type": "Issue",
				"reference_name": issue.name,
				"description": "Parts benchmark",
				"assigned_by": user,
			}
		).insert(ignore_permissions=True)
		crew.append((user, van, issue.name))
	return crew


def plain_issue(item: str, van: str) -> None:
	from erpnext.stock.doctype.stock_entry.stock_entry_utils import make_stock_entry

	make_stock_entry(item_code=item, qty=1, from_warehouse=van, company=company(), purpose="Material Issue")


_templates: dict[str, dict] = {}


def act_as(user: str) -> None:
	"""Switch the session's user as a long-running worker's next request would find it: Frappe's own caches
	warm (its `set_user` empties them all, which no real request pays twice)."""
	local = frappe.local
	_templates[local.session.user] = local.new_doc_templates
	local.session.user = local.session.sid = user
	local.user_perms = None
	local.new_doc_templates = _templates.get(user, {})


def measure(crew, items, samples: int, rng: random.Random, profile: bool = False) -> tuple[float, float]:
	profiler = None
	if profile:
		import cProfile

		profiler = cProfile.Profile()

	def ours(user, van, issue, item):
		act_as(user)
		try:
			if profiler:
				profiler.enable()
			usage.use_part(issue, item)
		finally:
			if profiler:
				profiler.disable()
			act_as("Administrator")

	def theirs(user, van, issue, item):
		plain_issue(item, van)

	for user, van, issue in crew[:3]:  # warm-up: metadata and caches, as a running worker has them
		ours(user, van, issue, items[0])
		theirs(user, van, issue, items[0])
	spent = {"ours": 0.0, "theirs": 0.0}
	with click.progressbar(
		range(samples), label="use_part and plain Material Issue", file=click.get_text_stream("stderr")
	) as bar:
		for i in bar:
			user, van, issue = rng.choice(crew)
			item = rng.choice(items)
			order = (("ours", ours), ("theirs", theirs)) if i % 2 else (("theirs", theirs), ("ours", ours))
			for key, call in order:
				start = time.perf_counter()
				call(user, van, issue, item)
				spent[key] += time.perf_counter() - start
				frappe.db.after_commit.reset()  # never committed: no refill job is queued
	if profiler:
		import pstats

		stats = pstats.Stats(profiler, stream=click.get_text_stream("stderr")).sort_stats("cumulative")
		stats.print_stats(45)
	return samples / spent["ours"], samples / spent["theirs"]
