# Copyright (c) 2026, support_plus developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document

ENDINGS = ("solved", "ticket")


class TroubleshootingFlow(Document):
	"""A small decision tree the chat assistant walks a customer through (support_plus/channels/assistant/)."""

	def validate(self):
		steps = [row.step.strip() for row in self.steps]
		if len(set(steps)) != len(steps):
			frappe.throw(_("Each step needs its own Step ID."))
		if self.first_step not in steps:
			frappe.throw(
				_("The first step {0} is not one of the steps.").format(frappe.bold(self.first_step))
			)
		for row in self.options:
			if row.step not in steps:
				frappe.throw(
					_("Row {0}: the answer belongs to step {1}, which does not exist.").format(
						row.idx, frappe.bold(row.step)
					)
				)
			if row.goes_to not in steps and row.goes_to.lower() not in ENDINGS:
				frappe.throw(
					_("Row {0}: an answer leads to another step, solved or ticket, not {1}.").format(
						row.idx, frappe.bold(row.goes_to)
					)
				)
		answered = {row.step for row in self.options}
		if missing := [s for s in steps if s not in answered]:
			frappe.throw(_("Steps without answers: {0}.").format(", ".join(missing)))
