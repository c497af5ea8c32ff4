# Copyright (c) 2026, support_plus developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document

from support_plus.sla.config import get_config
from support_plus.sla.due import on_rule_change


class SupportEscalationRule(Document):
	def on_update(self):
		on_rule_change(self)  # the tickets it reaches have a new next event

	def on_trash(self):
		on_rule_change(self, "on_trash")

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
		self.validate_priorities()

	def validate_priorities(self):
		"""A ticket can only have a priority its SLA has targets for: raising it to another fails on every
		ticket, and a priority filter its SLA lacks matches none. Without an SLA filter the rule reaches
		the tickets of every enabled SLA. (An SLA changed later is caught by the sweep: logged, skipped.)"""
		slas = (
			[self.service_level_agreement]
			if self.service_level_agreement
			else frappe.get_all(
				"Service Level Agreement", filters={"enabled": 1, "document_type": "Issue"}, pluck="name"
			)
		)
		priorities = {sla: get_config(sla).priorities for sla in slas}
		if self.raise_priority_to:
			lacking = [sla for sla in slas if self.raise_priority_to not in priorities[sla]]
			if lacking:
				frappe.throw(
					_(
						"Cannot raise the priority to {0}: Service Level Agreement {1} has no targets for it. "
						"Add it there, or limit the rule to a Service Level Agreement that has it."
					).format(frappe.bold(self.raise_priority_to), ", ".join(frappe.bold(s) for s in lacking)),
					title=_("Priority Not in SLA"),
				)
		if self.priority and slas and not any(self.priority in priorities[sla] for sla in slas):
			frappe.throw(
				_("Service Level Agreement {0} has no priority {1}: the rule would match no ticket.").format(
					", ".join(frappe.bold(s) for s in slas), frappe.bold(self.priority)
				),
				title=_("Priority Not in SLA"),
			)
