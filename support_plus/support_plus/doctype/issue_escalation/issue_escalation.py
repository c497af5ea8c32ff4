# Copyright (c) 2026, support_plus developers and contributors
# For license information, please see license.txt

from frappe.model.document import Document

from support_plus.sla.due import on_escalation_trash


class IssueEscalation(Document):
	"""One firing of an escalation rule on a ticket, or a manual escalation (support_plus.sla.escalation)."""

	def on_trash(self):
		on_escalation_trash(self)  # its rule is pending on the ticket again
