# Copyright (c) 2026, support_plus developers and contributors
# For license information, please see license.txt

from frappe.model.document import Document

from support_plus.warranty import contracts


class ServiceContract(Document):
	"""An AMC or CMC on a customer's serial numbers (support_plus/warranty/contracts.py has the rules)."""

	def validate(self):
		contracts.validate(self)

	def on_submit(self):
		contracts.on_submit(self)

	def on_cancel(self):
		contracts.on_cancel(self)
