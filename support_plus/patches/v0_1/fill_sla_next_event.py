"""The sweep's due-time index (support_plus.sla.due): give every ticket with an SLA clock its next event,
so the first sweep after the upgrade finds the tickets whose thresholds come (it looks at no other).

Patches run before after_migrate's custom fields: the column and its index are made here first."""

import frappe
from frappe.custom.doctype.custom_field.custom_field import create_custom_fields

from support_plus.setup.custom_fields import get_custom_fields
from support_plus.sla import due
from support_plus.sla.config import tracking_enabled


def execute():
	field = next(f for f in get_custom_fields()["Issue"] if f["fieldname"] == due.FIELD)
	create_custom_fields({"Issue": [field]}, ignore_validate=True)  # with its index (search_index)
	if tracking_enabled():
		due.refresh_all()
