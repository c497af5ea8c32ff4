# Copyright (c) 2026, support_plus developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document

from support_plus.tickets import follow_ups
from support_plus.tickets.lifecycle import FINAL
from support_plus.utils.roles import is_manager


class IssueFollowUp(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		customer: DF.Link | None
		follow_up_date: DF.Date | None
		issue: DF.Link
		issue_subject: DF.Data | None
		note: DF.SmallText
	# end: auto-generated types

	def validate(self):
		self.note = (self.note or "").strip()
		if not self.note:
			frappe.throw(_("A follow-up needs a note."), frappe.MandatoryError)
		# Following up a ticket needs the right to see it (row rules included), whoever asks.
		frappe.has_permission("Issue", "read", self.issue, throw=True)
		status = frappe.db.get_value("Issue", self.issue, "status")
		if status in FINAL and not is_manager():
			frappe.throw(
				_("Ticket {0} is {1}: only a Support Manager can add follow-ups to it.").format(
					frappe.bold(self.issue), _(status)
				),
				frappe.PermissionError,
			)

	def after_insert(self):
		follow_ups.refresh_issue(self.issue)
		follow_ups.add_to_timeline(self)

	def after_delete(self):
		follow_ups.refresh_issue(self.issue)
