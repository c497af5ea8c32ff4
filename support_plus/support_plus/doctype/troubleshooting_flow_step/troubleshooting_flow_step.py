# Copyright (c) 2026, support_plus developers and contributors
# For license information, please see license.txt

from frappe.model.document import Document


class TroubleshootingFlowStep(Document):
	pass
