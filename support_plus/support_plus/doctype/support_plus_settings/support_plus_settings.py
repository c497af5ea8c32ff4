# Copyright (c) 2026, support_plus developers and contributors
# For license information, please see license.txt

import re

import frappe
from frappe import _
from frappe.model.document import Document

from support_plus.sla.due import on_settings_change
from support_plus.tickets.numbering import sync_ticket_series

PREFIX_PATTERN = re.compile(r"^[A-Za-z0-9]{1,10}$")


class SupportPlusSettings(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from support_plus.support_plus.doctype.support_plus_auto_close_status.support_plus_auto_close_status import (
			SupportPlusAutoCloseStatus,
		)

		accept_within_minutes: DF.Int
		auto_close_after_days: DF.Int
		auto_close_statuses: DF.Table[SupportPlusAutoCloseStatus]
		auto_route_new_tickets: DF.Check
		portal_allow_priority: DF.Check
		portal_customer_wide_visibility: DF.Check
		sla_warning_percent: DF.Percent
		ticket_digits: DF.Int
		ticket_prefix: DF.Data
	# end: auto-generated types

	def validate(self):
		self.ticket_prefix = (self.ticket_prefix or "").strip()
		if not PREFIX_PATTERN.match(self.ticket_prefix):
			frappe.throw(
				_("Ticket Prefix must be 1 to 10 letters or digits, without spaces: {0}").format(
					frappe.bold(self.ticket_prefix)
				),
				title=_("Invalid Ticket Prefix"),
			)
		if not 4 <= (self.ticket_digits or 0) <= 12:
			frappe.throw(_("Ticket Number Digits must be between 4 and 12."), title=_("Invalid Digits"))
		if (self.auto_close_after_days or 0) < 0:
			frappe.throw(_("Auto-close After Days cannot be negative; 0 turns auto-close off."))
		if not 0 < (self.sla_warning_percent or 80) < 100:
			frappe.throw(_("Warn At must be between 0 and 100 percent."))
		seen = set()
		for row in self.auto_close_statuses:
			if row.status in seen:
				frappe.throw(_("Row {0}: {1} is listed twice.").format(row.idx, _(row.status)))
			seen.add(row.status)

	def on_update(self):
		sync_ticket_series(self)
		on_settings_change(self)
