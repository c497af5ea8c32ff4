"""Replacements of Frappe and ERPNext internals, all in this package.

Each module names the Frappe (or ERPNext) release whose function it replaces and is installed through a
Frappe hook (`override_whitelisted_methods`, a `www` page), never by editing the framework. Every
replacement is checked by a test against the behaviour of the function it replaces, and by
`check_versions` at install and migrate: a site whose Frappe or ERPNext is of another major version is
refused, because the replaced functions would no longer be the ones these copies follow.
"""

import frappe
from frappe import _

FOLLOWS = {"frappe": "15.", "erpnext": "15."}  # the major versions the replacements were written against


def check_versions() -> None:
	"""Install/migrate: refuse another major version of Frappe or ERPNext."""
	for app, series in FOLLOWS.items():
		version = frappe.get_attr(f"{app}.__version__")
		if not version.startswith(series):
			frappe.throw(
				_("support_plus replaces parts of {0} {1}; this site runs {0} {2}.").format(
					app, series + "x", version
				)
			)
