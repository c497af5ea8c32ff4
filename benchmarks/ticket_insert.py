"""Ticket creation throughput with support_plus against plain ERPNext behaviour, in the same run.

    ./scripts/benchmark.sh ticket_insert [COUNT]

Inserts COUNT tickets (default 400) through `frappe.get_doc(...).insert()` with support_plus's hooks and
numbering, and COUNT with them bypassed (support_plus's doc_events removed from the hook map, so the Issue
keeps ERPNext's own naming series), alternating in rounds so both see the same machine state. Everything is
rolled back. Target: overhead <= 1.3.
Last line: ticket_insert per_sec=<n> baseline_per_sec=<n> overhead=<ratio>
"""

import time

import click

import frappe

from support_plus.tests.utils import forget_doc_hooks, make_customer

ROUNDS = 8
ERPNEXT_SERIES = "ISS-.YYYY.-"  # Issue's naming series in ERPNext's issue.json


def run(args: list[str]) -> dict:
	count = int(args[0]) if args else 400
	per_round = max(1, count // ROUNDS)
	customer = make_customer("Benchmark Customer")
	timings = {"support_plus": 0.0, "baseline": 0.0}
	made = {"support_plus": 0, "baseline": 0}
	try:
		insert(customer, 20)  # warm caches
		with click.progressbar(
			length=2 * per_round * ROUNDS, label="Inserting tickets", file=click.get_text_stream("stderr")
		) as bar:
			for _ in range(ROUNDS):
				for mode in ("support_plus", "baseline"):
					with plain_erpnext(enabled=mode == "baseline"):
						start = time.perf_counter()
						names = insert(customer, per_round)
						timings[mode] += time.perf_counter() - start
					made[mode] += len(names)
					expected = (
						"RE" if mode == "support_plus" else "ISS-"
					)  # ERPNext's series, our doc_events bypassed
					assert all(n.startswith(expected) for n in names), (mode, names[:3])
					bar.update(per_round)
	finally:
		frappe.db.rollback()
		forget_doc_hooks()
	per_sec = made["support_plus"] / timings["support_plus"]
	baseline = made["baseline"] / timings["baseline"]
	return {
		"per_sec": round(per_sec, 1),
		"baseline_per_sec": round(baseline, 1),
		"overhead": round(baseline / per_sec, 3),
	}


def insert(customer: str, n: int) -> list[str]:
	return [
		frappe.get_doc(
			{
				"doctype": "Issue",
				"subject": f"Benchmark ticket {i}",
				"customer": customer,
				"priority": ("Low", "Medium", "High", "Critical")[i % 4],
				"description": "Created by benchmarks/ticket_insert.py",
				# As a script may ask; support_plus numbers it RE all the same, plain ERPNext follows it.
				"naming_series": ERPNEXT_SERIES,
			}
		)
		.insert()
		.name
		for i in range(n)
	]


class plain_erpnext:
	"""Within the block, Issues are made as if support_plus were not installed (when enabled): its
	doc_events are left out of the hook map (no lifecycle, numbering or follow-up hook runs) and this
	process's Issue meta gets back ERPNext's own naming series."""

	def __init__(self, enabled: bool):
		self.enabled = enabled

	def __enter__(self):
		if self.enabled:
			hooks = frappe.get_doc_hooks()
			frappe.local.doc_events_hooks = {
				doctype: {
					event: [h for h in handlers if not h.startswith("support_plus.")]
					for event, handlers in events.items()
				}
				for doctype, events in hooks.items()
			}
			self.field = frappe.get_meta("Issue").get_field("naming_series")
			self.saved = (self.field.options, self.field.default)
			self.field.options = self.field.default = ERPNEXT_SERIES

	def __exit__(self, *exc):
		if self.enabled:
			forget_doc_hooks()
			self.field.options, self.field.default = self.saved
