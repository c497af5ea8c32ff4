"""What the million-row benchmarks share about MariaDB: its sequence engine for bulk loads, waiting for it
to write out a load before measuring, and deleting the loaded rows in committed batches."""

import sys
import time

import click

import frappe


def require_sequence() -> None:
	"""Stop the benchmark, saying why, without MariaDB's sequence engine (seq_1_to_N tables) for its
	INSERT ... SELECT loads."""
	try:
		frappe.db.sql("select 1 from seq_1_to_1")
	except Exception:
		sys.exit("MariaDB's sequence engine (seq_1_to_N tables) is needed to load the tickets.")


def settle(limit_s: int = 180) -> None:
	"""Wait (up to `limit_s`) for MariaDB to write out the pages a load changed: what follows is measured,
	not the load's aftermath flushing beside it."""
	total = _status("Innodb_buffer_pool_pages_total")
	with click.progressbar(
		length=limit_s, label="Waiting for MariaDB to flush the load", file=click.get_text_stream("stderr")
	) as bar:
		for _second in range(limit_s):
			if _status("Innodb_buffer_pool_pages_dirty") < total // 200:
				break
			time.sleep(1)
			bar.update(1)


def _status(name: str) -> int:
	return int(frappe.db.sql("show global status like %s", name)[0][1])


def delete_in_batches(table: str, condition: str, batch: int = 50_000) -> None:
	"""Delete the rows of `table` matching `condition` (SQL), `batch` at a time, each batch committed (a
	million rows in one transaction would swamp the undo log)."""
	while True:
		frappe.db.sql(f"delete from `{table}` where {condition} limit {int(batch)}")
		count = frappe.db.sql("select row_count()")[0][0]
		frappe.db.commit()  # nosemgrep: the benchmark's own rows, a batch at a time
		if not count:
			break
		print(f"deleted {count} from {table}", file=sys.stderr)
