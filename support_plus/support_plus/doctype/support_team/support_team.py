# Copyright (c) 2026, support_plus developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document


class SupportTeam(Document):
	def validate(self):
		seen = set()
		for row in self.members:
			if row.technician in seen:
				frappe.throw(_("Technician {0} is listed twice.").format(frappe.bold(row.technician)))
			seen.add(row.technician)
