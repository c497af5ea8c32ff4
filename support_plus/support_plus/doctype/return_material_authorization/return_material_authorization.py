# Copyright (c) 2026, support_plus developers and contributors
# For license information, please see license.txt

from frappe.model.document import Document

from support_plus.parts import rma


class ReturnMaterialAuthorization(Document):
	"""A faulty part going back to its vendor: Requested, Shipped, then Replaced, Credited or Rejected
	(support_plus/parts/rma.py has the rules; the status changes only through its actions)."""

	def validate(self):
		rma.validate(self)

	def on_trash(self):
		rma.on_trash(self)
