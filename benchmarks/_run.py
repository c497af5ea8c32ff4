"""Runs one benchmark on the test site: `./scripts/benchmark.sh NAME [args]`.

A benchmark is a module benchmarks/NAME.py with `run(args: list[str]) -> dict`; it makes the data it
needs (showing progress on stderr) and returns its measurements, printed here as the last line of the
output: `NAME key=value key=value ...` (keys in the order returned, no spaces in values).
"""

import importlib
import os
import sys

import frappe


def main() -> None:
	if len(sys.argv) < 2:
		sys.exit("usage: python -m benchmarks._run NAME [args]")
	name, args = sys.argv[1], sys.argv[2:]
	module = importlib.import_module(f"benchmarks.{name}")  # before leaving the checkout folder

	site = os.environ.get("SUPPORT_PLUS_TEST_SITE", "test.localhost")
	sites_path = os.environ["SUPPORT_PLUS_SITES_PATH"]
	os.chdir(sites_path)
	frappe.init(site=site, sites_path=sites_path)
	frappe.connect()
	frappe.set_user("Administrator")
	try:
		from support_plus.tests.utils import before_tests

		# As under pytest (in_test): the test outbox account is saved without an SMTP connection check, so a
		# benchmark also runs on a test site no test has run on yet. Benchmarks themselves run without it.
		frappe.flags.in_test = True
		try:
			before_tests()
		finally:
			frappe.flags.in_test = False
		result = module.run(args)
	finally:
		frappe.destroy()
	print(" ".join([name, *(f"{key}={value}" for key, value in result.items())]))


if __name__ == "__main__":
	main()
