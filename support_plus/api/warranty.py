"""Warranty and service contracts in the public API. Every function checks the caller's permissions."""

from datetime import date, datetime

import frappe
from frappe import _

from support_plus.api.arguments import required
from support_plus.warranty import claims, coverage, history


@frappe.whitelist(methods=["POST"])
def warranty_status(serial_no: str | None = None, on_date: str | date | datetime | None = None) -> dict:
	"""What a serial number is entitled to on `on_date` (default today): {"serial_no", "item_code",
	"customer", "status", "warranty_expiry_date", "contract", "contract_type", "contract_end",
	"covers_parts", "covers_labour"}; status is Under Warranty, Under Contract, Out of Warranty or Unknown
	(support_plus.warranty.coverage has the rule). Needs read access to the serial number."""
	day = coverage.as_date(on_date)
	serial = coverage.get_serial(required(serial_no, "serial_no"))
	_check_serial_read(serial.name)
	return coverage.coverage(serial.name, day, serial)


@frappe.whitelist(methods=["POST"])
def service_history(serial_no: str | None = None, customer: str | None = None) -> list[dict]:
	"""A serial's or a customer's tickets, warranty claims, maintenance visits and service contracts, newest
	first: [{"date", "doctype", "name", "title", "status", "serial_no"}]. Needs read access to the serial
	number or the customer; each kind is listed with the caller's own permissions."""
	if serial_no:
		_check_serial_read(coverage.get_serial(serial_no).name)
	if customer:
		if not isinstance(customer, str) or not frappe.db.exists("Customer", customer):
			frappe.throw(
				_("Customer {0} does not exist.").format(frappe.bold(customer)), frappe.DoesNotExistError
			)
		frappe.has_permission("Customer", "read", customer, throw=True)
	return history.service_history(serial_no, customer)


def _check_serial_read(name: str) -> None:
	"""Read access to the serial number. The document-level check loads the whole Serial No, so it is made
	only when the user has User Permissions (the only rule that restricts single serials)."""
	from frappe.core.doctype.user_permission.user_permission import get_user_permissions

	if get_user_permissions(frappe.session.user):
		frappe.has_permission("Serial No", "read", name, throw=True)
	else:
		frappe.has_permission("Serial No", "read", throw=True)


@frappe.whitelist(methods=["POST"])
def create_warranty_claim(
	issue: str | None = None, complaint: str | None = None, override_reason: str | None = None
) -> str:
	"""Make an ERPNext Warranty Claim from a ticket with a serial number and return its name (write access
	to the ticket). A serial that is not covered is refused unless a Support Manager gives
	`override_reason` (logged on the ticket and the claim)."""
	required(issue, "issue")
	if not isinstance(issue, str) or not frappe.db.exists("Issue", issue):
		frappe.throw(_("Ticket {0} does not exist.").format(frappe.bold(issue)), frappe.DoesNotExistError)
	frappe.has_permission("Issue", "write", issue, throw=True)
	return claims.create_warranty_claim(issue, complaint, override_reason)
