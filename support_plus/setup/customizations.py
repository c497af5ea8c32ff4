"""Property setters (and, later, custom fields) support_plus adds to ERPNext's doctypes.

Defined once here, applied by install and migrate, removed on uninstall. Nothing of ERPNext is edited.
"""

import frappe
from frappe.custom.doctype.custom_field.custom_field import create_custom_fields

from support_plus.dispatch.skill_based_rule import RULE_OPTIONS
from support_plus.setup.custom_fields import get_custom_fields
from support_plus.tickets.lifecycle import STATUSES

# (doctype, fieldname or None for the doctype itself, property, value, property type)
PROPERTY_SETTERS = (
	# ERPNext's five statuses keep their meaning; support_plus.tickets.lifecycle adds four.
	("Issue", "status", "options", "\n".join(STATUSES), "Text"),
	# A ticket number is given once (support_plus.tickets.numbering refuses renames as well).
	("Issue", None, "allow_rename", "0", "Check"),
	# ERPNext fills the date only in the desk form; a script or REST insert failed as "mandatory".
	("Maintenance Schedule", "transaction_date", "default", "Today", "Text"),
	# Required with no default: a visit logged through the API failed until the status was given.
	("Maintenance Visit", "completion_status", "default", "Fully Completed", "Text"),
	# The list's sort menu offers bold fields: an agent sorts by the SLA deadlines (support_plus.setup.desk_views).
	("Issue", "response_by", "bold", "1", "Check"),
	("Issue", "resolution_by", "bold", "1", "Check"),
	# Frappe's three rule kinds and "Skill Based" (support_plus/dispatch/skill_based_rule.py).
	("Assignment Rule", "rule", "options", "\n".join(RULE_OPTIONS), "Text"),
)


def apply_customizations():
	create_custom_fields(get_custom_fields(), ignore_validate=True)
	for doctype, fieldname, prop, value, prop_type in PROPERTY_SETTERS:
		current = frappe.db.get_value(
			"Property Setter",
			{"doc_type": doctype, "field_name": fieldname, "property": prop},
			"value",
		)
		if current == value:
			continue
		frappe.make_property_setter(
			{
				"doctype_or_field": "DocField" if fieldname else "DocType",
				"doctype": doctype,
				"fieldname": fieldname,
				"property": prop,
				"value": value,
				"property_type": prop_type,
			},
			is_system_generated=True,
		)
	for doctype in {ps[0] for ps in PROPERTY_SETTERS}:
		frappe.clear_cache(doctype=doctype)


def remove_customizations():
	for doctype, fields in get_custom_fields().items():
		frappe.db.delete(
			"Custom Field", {"dt": doctype, "fieldname": ("in", [f["fieldname"] for f in fields])}
		)
		frappe.clear_cache(doctype=doctype)
	for doctype, fieldname, prop, _value, _type in PROPERTY_SETTERS:
		frappe.db.delete("Property Setter", {"doc_type": doctype, "field_name": fieldname, "property": prop})
		frappe.clear_cache(doctype=doctype)
