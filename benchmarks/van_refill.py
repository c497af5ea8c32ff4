"""What the van refill hook costs a stock movement, and what the refill job costs.

    ./scripts/benchmark.sh van_refill [--vans N] [--items N] [--moves N]

Makes N technicians' vans (default 8, the test technician users) with par levels for I items each
(default 25: ERPNext Item Reorder rows) and stock in them and in the stores, then times M Material Issues
(default 150) of one unit each: from a van, every one taking the item below par (the Stock Ledger Entry
hook notes the van), against the same issues from the stores (no van: the hook returns at once),
interleaved. Then the after-commit part of the hook (one deduplicated `frappe.enqueue` per van and
commit, against Redis) and the refill job (`refill_van`: one request with a line per item below par).
Everything is rolled back and the queued jobs are deleted.
Last line: van_refill per_sec=<n> baseline_per_sec=<n> overhead=<ratio> enqueue_ms=<n> refill_job_ms=<n>
"""

import argparse
import random
import time

import click

import frappe
from frappe.utils.background_jobs import get_job

from support_plus.parts import refill, vans
from support_plus.tests.dispatch_fixtures import POOL
from support_plus.tests.van_fixtures import move, stock_item, stores, technician_with_van


def run(args: list[str]) -> dict:
	parser = argparse.ArgumentParser(prog="van_refill")
	parser.add_argument("--vans", type=int, default=8)
	parser.add_argument("--items", type=int, default=25)
	parser.add_argument("--moves", type=int, default=150)
	opts = parser.parse_args(args)
	frappe.flags.in_test = True  # mail is queued, never sent
	rng = random.Random(13)
	van_names = []
	try:
		frappe.db.set_single_value("Support Plus Settings", "van_refill_warehouse", stores())
		items = [stock_item(f"SP-VBENCH-{i:03d}") for i in range(opts.items)]
		with click.progressbar(
			POOL[: opts.vans], label="Vans with par levels and stock", file=click.get_text_stream("stderr")
		) as bar:
			for key in bar:
				_tech, van = technician_with_van(key)
				van_names.append(van)
		for item_code in items:
			doc = frappe.get_doc("Item", item_code)
			doc.set("reorder_levels", [])
			for van in van_names:
				doc.append(
					"reorder_levels",
					{
						"warehouse": van,
						"warehouse_reorder_level": 1000,
						"warehouse_reorder_qty": 10,
						"material_request_type": "Transfer",
					},
				)
			doc.save()
			move(item_code, 10_000, target=stores())
			for van in van_names:
				move(item_code, 500, source=stores(), target=van)
		vans.clear_van_cache()
		vans.par_items(van_names[0])  # the van map, read once as a request would

		van_times, store_times = [], []
		with click.progressbar(
			range(opts.moves), label="Material Issues", file=click.get_text_stream("stderr")
		) as bar:
			for _ in bar:
				item_code = rng.choice(items)
				van = rng.choice(van_names)
				for source, times in ((van, van_times), (stores(), store_times)):
					start = time.perf_counter()
					move(item_code, 1, source=source)
					times.append(time.perf_counter() - start)
		assert refill.pending_refills() == set(van_names) or len(van_names) > opts.moves

		start = time.perf_counter()
		for van in van_names:
			refill.enqueue_refill(van)
		for van in van_names:  # deduplicated: already queued
			refill.enqueue_refill(van)
		enqueue_ms = (time.perf_counter() - start) * 1000 / (2 * len(van_names))

		start = time.perf_counter()
		name = refill.refill_van(van_names[0])
		refill_job_ms = (time.perf_counter() - start) * 1000
		lines = frappe.db.count("Material Request Item", {"parent": name})
		click.echo(f"refill request {name}: {lines} lines", err=True)
	finally:
		frappe.db.rollback()
		refill._forget_pending()
		for van in van_names:
			if job := get_job(refill.job_id(van)):
				job.delete()
		vans._drop_cache()
	per_sec = len(van_times) / sum(van_times)
	baseline = len(store_times) / sum(store_times)
	return {
		"per_sec": round(per_sec, 1),
		"baseline_per_sec": round(baseline, 1),
		"overhead": round(baseline / per_sec, 3),
		"enqueue_ms": round(enqueue_ms, 2),
		"refill_job_ms": round(refill_job_ms, 1),
	}
