# Copyright (c) 2026, support_plus developers and contributors
# For license information, please see license.txt

from frappe.model.document import Document


class ServicePartUsage(Document):
	"""A part used on a job: stock moves through ERPNext Stock Entries (support_plus/parts/ has the rules)."""
