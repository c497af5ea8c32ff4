"""Replacements of Frappe and ERPNext internals, all in this package.

Each module names the Frappe (or ERPNext) release whose function it replaces and is installed through a
Frappe hook (`override_whitelisted_methods`, a `www` page, `before_request`, a doc event), never by
editing the framework (or, for `assign_to.assign`, called by support_plus's own code in place of
Frappe's function). Every
replacement is checked by a test against the behaviour of the function it replaces, and by
`check_versions` at install and migrate: a site whose Frappe or ERPNext is of another major version is
refused, because the replaced functions would no longer be the ones these copies follow.
"""

import frappe
from frappe import _

FOLLOWS = {"frappe": "15.", "erpnext": "15."}  # the major versions the replacements were written against


# Functions replaced by assignment in their modules: they must still be there to be replaced.
REPLACED_BY_ASSIGNMENT = (
	"erpnext.support.doctype.service_level_agreement.service_level_agreement.on_communication_update",
	"erpnext.support.doctype.issue.issue.set_first_response_time",
	"frappe.app.make_form_dict",
	# For the daily reorder's call only (support_plus/overrides/reorder_item.py).
	"erpnext.stock.reorder_item.get_items_for_reorder",
)


def check_versions() -> None:
	"""Install/migrate: refuse another major version of Frappe or ERPNext, or one without a function the
	replacements take over."""
	for app, series in FOLLOWS.items():
		version = frappe.get_attr(f"{app}.__version__")
		if not version.startswith(series):
			frappe.throw(
				_("support_plus replaces parts of {0} {1}; this site runs {0} {2}.").format(
					app, series + "x", version
				)
			)
	for path in REPLACED_BY_ASSIGNMENT:
		module, name = path.rsplit(".", 1)
		if not callable(getattr(frappe.get_module(module), name, None)):
			frappe.throw(
				_("support_plus replaces {0}, which this site's ERPNext does not have.").format(path)
			)
