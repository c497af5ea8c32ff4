"""Support Plus Settings: first-install defaults, and keeping what depends on them in step."""

import frappe

from support_plus.tickets.auto_close import DEFAULT_STATUSES
from support_plus.tickets.numbering import sync_ticket_series

DEFAULTS = {"ticket_prefix": "RE", "ticket_digits": 8, "auto_close_after_days": 7, "sla_warning_percent": 80}


def ensure_settings() -> None:
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
