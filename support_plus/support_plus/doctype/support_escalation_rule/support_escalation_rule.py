# Copyright (c) 2026, support_plus developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document


class SupportEscalationRule(Document):
	def validate(self):
		if (self.threshold_percent or 0) <= 0:
			frappe.throw(_("The threshold must be above 0% of the SLA time."))
		if self.reassign_to_user and self.reassign_to_role:
			frappe.throw(_("Reassign to a user or to a role, not both."))
		if not (
			self.notify
			or self.reassign_to_user
			or self.reassign_to_role
			or self.raise_priority_to
			or self.create_todo
		):
			frappe.throw(_("Choose at least one action."))
