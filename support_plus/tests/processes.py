"""Several OS processes working on the test site at once, as Frappe's workers do in production."""

import subprocess
import sys

import frappe


def run_in_processes(script: str, *args: str, count: int, timeout: int = 600) -> list[str]:
	"""Run `python -c script SITE SITES_PATH *args` in `count` processes at once; their outputs, in order.
	What they must see is committed by the caller first. A process that fails fails the test, with the
	end of its error output."""
	processes = [
		subprocess.Popen(
			[sys.executable, "-c", script, frappe.local.site, frappe.local.sites_path, *args],
			stdout=subprocess.PIPE,
			stderr=subprocess.PIPE,
			text=True,
		)
		for _ in range(count)
	]
	outputs = []
	for process in processes:
		out, err = process.communicate(timeout=timeout)
		if process.returncode != 0:
			raise AssertionError(err[-3000:])
		outputs.append(out)
	return outputs
