# Copyright (c) 2026, support_plus developers and contributors
# For license information, please see license.txt

from frappe.model.document import Document


class IssueEscalation(Document):
	"""One firing of an escalation rule on a ticket, or a manual escalation (support_plus.sla.escalation)."""
