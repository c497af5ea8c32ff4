# Copyright (c) 2026, support_plus developers and contributors
# For license information, please see license.txt

from frappe.model.document import Document

from support_plus.parts import usage


class ServicePartUsage(Document):
	"""A part used on a job: stock moves through ERPNext Stock Entries (support_plus/parts/usage.py has
	the rules)."""

	def validate(self):
		usage.validate(self)

	def on_submit(self):
		usage.on_submit(self)

	def before_cancel(self):
		# The Stock Entries link back here; they are cancelled in on_cancel, before Frappe's link check.
		self.ignore_linked_doctypes = ("Stock Entry", "Serial and Batch Bundle")

	def on_cancel(self):
		usage.on_cancel(self)
