# Copyright (c) 2026, support_plus developers and contributors
# For license information, please see license.txt

import frappe
from frappe.model.document import Document


class SupportWhatsAppSettings(Document):
	"""Meta's WhatsApp Cloud API for the support desk (support_plus/channels/whatsapp/)."""

	def validate(self):
		self.webhook_url = frappe.utils.get_url("/api/method/support_plus.channels.whatsapp.webhook.webhook")
