"""A ticket about a serial number: its coverage, stored on every save.

Issue `validate` (before the SLA engine's `before_save`, which reads `service_contract` to give the
contract's SLA): the serial must exist and belong to the ticket's customer; the ticket's item comes from
the serial; `warranty_status` and `service_contract` are the coverage rule's answer for today.
"""

import frappe
from frappe import _

from support_plus.utils import clock
from support_plus.warranty import coverage


def apply_coverage(doc, method=None) -> None:
	if not doc.get("serial_no"):
		doc.warranty_status = None
		doc.service_contract = None
		return
	serial = coverage.get_serial(doc.serial_no)
	check_owner(serial, doc.get("customer"))
	doc.item_code = serial.item_code
	result = coverage.coverage(serial.name, clock.today(), serial)
	doc.warranty_status = result["status"]
	doc.service_contract = result["contract"]


def check_owner(serial, customer: str | None) -> None:
	"""A serial registered to a customer is only ever used for that customer. The error names no customer:
	the person asking may not be allowed to know whose equipment it is."""
	if serial.customer and customer and serial.customer != customer:
		frappe.throw(
			_("Serial No {0} is not registered to this ticket's customer.").format(frappe.bold(serial.name)),
			title=_("Wrong Serial Number"),
		)
