# Copyright (c) 2026, support_plus developers and contributors
# For license information, please see license.txt

from frappe.model.document import Document


class ServiceAppointment(Document):
	"""A technician's visit to a customer. Its rules are in support_plus.dispatch.appointments."""

	def validate(self):
		from support_plus.dispatch import appointments

		appointments.validate(self)

	def on_update(self):
		from support_plus.dispatch import appointments

		appointments.on_update(self)
