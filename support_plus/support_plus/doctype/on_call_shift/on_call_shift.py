# Copyright (c) 2026, support_plus developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import get_datetime


class OncallShift(Document):
	def validate(self):
		if get_datetime(self.to_time) <= get_datetime(self.from_time):
			frappe.throw(_("An on-call shift must end after it starts."))
