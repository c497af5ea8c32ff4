"""Moving messages between documents, which Frappe 15.44 and ERPNext 15.45 whitelist without a check.

- `frappe.email.relink` re-points any Communication at any document: a user could move another
  customer's email onto a ticket they can read, or their own message into another's ticket.
- ERPNext's `make_issue_from_communication` copies any Communication into a new Issue.

Here the caller must be able to read the message and write (or create) the documents involved.
"""

import frappe
from frappe.email import relink as frappe_relink

from erpnext.support.doctype.issue import issue as erpnext_issue


@frappe.whitelist()
def relink(name: str, reference_doctype: str | None = None, reference_name: str | None = None) -> None:
	communication = frappe.get_doc("Communication", name)
	communication.check_permission("read")
	if communication.reference_doctype and communication.reference_name:
		frappe.has_permission(
			communication.reference_doctype, "write", communication.reference_name, throw=True
		)
	if reference_doctype and reference_name:
		frappe.has_permission(reference_doctype, "write", reference_name, throw=True)
	frappe_relink(name, reference_doctype, reference_name)


@frappe.whitelist()
def make_issue_from_communication(communication: str, ignore_communication_links: bool | str = False) -> str:
	frappe.get_doc("Communication", communication).check_permission("read")
	frappe.has_permission("Issue", "create", throw=True)
	return erpnext_issue.make_issue_from_communication(communication, ignore_communication_links)
