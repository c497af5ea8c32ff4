"""Ticket numbers: RE00000001, RE00000002, ... on ERPNext's Issue.

A Frappe naming series ("RE.########", from Support Plus Settings) numbers Issues: its counter row in
`tabSeries` is read FOR UPDATE and incremented in one transaction, so concurrent inserts (other workers,
other processes) never share a number. The Issue's `naming_series` field offers only that series, and
`before_naming` sets it, so a script cannot pick another. Renaming an Issue is refused.

Frappe's Document Naming Rule would do the same job, but its counter update evicts the rule's cached
document, so every insert reloads it: three extra queries a ticket (benchmarks/ticket_insert.py).
"""

from pypika.functions import Cast, Substring

import frappe
from frappe import _
from frappe.core.doctype.doctype.doctype import validate_fields_for_doctype
from frappe.query_builder import DocType
from frappe.query_builder.functions import Max


def ticket_series(prefix: str, digits: int) -> str:
	return f"{prefix}.{'#' * digits}"


def sync_ticket_series(settings=None) -> str:
	"""Point the Issue's naming series at the settings' prefix and width; return the series."""
	settings = settings or frappe.get_single("Support Plus Settings")
	series = ticket_series(settings.ticket_prefix, settings.ticket_digits)
	changed = False
	for prop in ("options", "default"):
		current = frappe.db.get_value(
			"Property Setter", {"doc_type": "Issue", "field_name": "naming_series", "property": prop}, "value"
		)
		if current != series:
			frappe.make_property_setter(
				{
					"doctype": "Issue",
					"fieldname": "naming_series",
					"property": prop,
					"value": series,
					"property_type": "Text",
				},
				validate_fields_for_doctype=False,  # options and default change together: checked below
				is_system_generated=True,
			)
			changed = True
	if changed:
		frappe.clear_cache(doctype="Issue")
		validate_fields_for_doctype("Issue")
	ensure_counter_above_existing(settings.ticket_prefix)  # tabSeries: not part of the cached meta
	return series


def ensure_counter_above_existing(prefix: str) -> None:
	"""The series' counter exists (no first-insert race) and is above every ticket already numbered with
	this prefix, so a reinstall or a prefix used before never gives a number twice."""
	series = DocType("Series")
	current = frappe.qb.from_(series).select(series.current).where(series.name == prefix).for_update().run()
	highest = highest_ticket_number(prefix)
	if not current:
		frappe.qb.into(series).columns(series.name, series.current).insert(prefix, highest).run()
	elif (current[0][0] or 0) < highest:
		frappe.qb.update(series).set(series.current, highest).where(series.name == prefix).run()


def highest_ticket_number(prefix: str) -> int:
	"""The highest number among Issues named `prefix` + digits (0 when there is none)."""
	issue = frappe.qb.DocType("Issue")
	highest = (
		frappe.qb.from_(issue)
		.select(Max(Cast(Substring(issue.name, len(prefix) + 1, 64), "UNSIGNED")))
		.where(issue.name.regexp(f"^{prefix}[0-9]+$"))
	).run()
	return int(highest[0][0] or 0)


def set_ticket_series(doc, method=None) -> None:
	"""Issue `before_naming`: every new ticket takes the ticket series, whatever it was given."""
	series = frappe.get_meta("Issue").get_field("naming_series").default
	if series:
		doc.naming_series = series


def remove_ticket_series() -> None:
	"""Uninstall: Issues go back to ERPNext's own naming series (the counter row stays)."""
	frappe.db.delete("Property Setter", {"doc_type": "Issue", "field_name": "naming_series"})
	frappe.clear_cache(doctype="Issue")


def prevent_rename(doc, method=None, old=None, new=None, merge=False):
	"""Issue `before_rename`: a ticket number is given once and never changes."""
	frappe.throw(
		_("Ticket numbers cannot be changed: {0} keeps its number.").format(frappe.bold(old or doc.name)),
		title=_("Renaming not allowed"),
	)
