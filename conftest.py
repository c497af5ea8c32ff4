"""pytest bootstrap: connect to the test site before any test module is imported.

The suite is made of FrappeTestCase classes; under pytest they need what `bench run-tests` gives them:
a site connection, `frappe.flags.in_test`, and the `before_tests` bootstrap. Run it with
./scripts/test.sh, which creates the site and sets SUPPORT_PLUS_TEST_SITE and SUPPORT_PLUS_SITES_PATH.
"""

import os
from pathlib import Path

import pytest


def _sites_path() -> str:
	if os.environ.get("SUPPORT_PLUS_SITES_PATH"):
		return os.environ["SUPPORT_PLUS_SITES_PATH"]
	# This file sits in <bench>/apps/support_plus when the suite runs inside a bench.
	return str(Path(__file__).resolve().parent.parent.parent / "sites")


def pytest_configure(config):
	import frappe

	site = os.environ.get("SUPPORT_PLUS_TEST_SITE", "test.localhost")
	sites_path = _sites_path()
	if not os.path.isfile(os.path.join(sites_path, site, "site_config.json")):
		raise pytest.UsageError(f"no site {site} in {sites_path}: run ./scripts/test.sh")
	os.chdir(sites_path)  # as bench does: Frappe resolves some paths from the sites folder
	frappe.init(site=site, sites_path=sites_path)
	if not frappe.conf.allow_tests:
		raise pytest.UsageError(
			f"{site} does not allow tests (bench --site {site} set-config allow_tests true)"
		)
	frappe.connect()
	frappe.flags.in_test = True
	frappe.set_user("Administrator")

	from support_plus.tests.utils import before_tests

	before_tests()


def pytest_unconfigure(config):
	import frappe

	if getattr(frappe.local, "site", None):
		frappe.destroy()
