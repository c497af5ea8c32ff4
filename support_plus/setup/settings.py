"""Support Plus Settings: first-install defaults, and keeping what depends on them in step."""

import frappe

from support_plus.tickets.auto_close import DEFAULT_STATUSES
from support_plus.tickets.numbering import sync_ticket_series

DEFAULTS = {
	"ticket_prefix": "RE",
	"ticket_digits": 8,
	"auto_close_after_days": 7,
	"sla_warning_percent": 80,
	"coverage_alert_days": 30,
	"maintenance_reminder_days": 2,
}


# Switches that are on unless a site turns them off; added after the first release, so a site installed
# before gets them switched on by ensure_settings.
ON_BY_DEFAULT = ("send_acknowledgement", "notify_customer_status_change", "notify_customer_assignment")


def ensure_settings() -> None:
	for field in ON_BY_DEFAULT:
		if not frappe.db.exists("Singles", {"doctype": "Support Plus Settings", "field": field}):
			frappe.db.set_single_value("Support Plus Settings", field, 1)
	# Added after the first release: a site installed before gets the default once, and keeps a 0 it sets.
	for field in ("coverage_alert_days", "maintenance_reminder_days"):
		if not frappe.db.exists("Singles", {"doctype": "Support Plus Settings", "field": field}):
			frappe.db.set_single_value("Support Plus Settings", field, DEFAULTS[field])
	settings = frappe.get_single("Support Plus Settings")
	if settings.ticket_prefix:
		sync_ticket_series(settings)  # the property setters may have been edited by hand
		return
	# Never saved (first install): a Single's defaults are not stored until it is.
	settings.update(DEFAULTS)
	settings.set("auto_close_statuses", [{"status": status} for status in DEFAULT_STATUSES])
	settings.save(ignore_permissions=True)  # on_update sets up the ticket series


def set_auto_close_defaults() -> None:
	"""Patch: sites installed before auto-close existed get its defaults."""
	settings = frappe.get_single("Support Plus Settings")
	if not settings.auto_close_after_days and not settings.auto_close_statuses:
		settings.auto_close_after_days = DEFAULTS["auto_close_after_days"]
		settings.set("auto_close_statuses", [{"status": status} for status in DEFAULT_STATUSES])
		settings.save(ignore_permissions=True)
