"""Custom fields and indexes of service billing and the parts reports (support_plus.parts.billing,
the Parts Usage / Parts Shortage / Service Revenue reports) on ERPNext's and Frappe's doctypes."""

import frappe
from frappe import _


def add_billing_fields(fields: dict[str, list[dict]]) -> None:
	fields.setdefault("Sales Invoice", []).append(
		{
			"fieldname": "issue",
			"fieldtype": "Link",
			"label": _("Ticket"),
			"options": "Issue",
			"insert_after": "customer",
			"search_index": 1,
			"read_only": 1,
			"no_copy": 1,
			"description": _(
				"The service ticket this invoice bills (support_plus.api.make_service_invoice)."
			),
		}
	)


# doctype -> {index name: columns}: the reports' ranges (set-based SQL on indexed columns).
INDEXES = {
	"Service Part Usage": {"sp_usage_posting": ["posting_date", "docstatus", "company"]},
	"Sales Invoice": {"sp_invoice_posting_issue": ["posting_date", "docstatus", "issue"]},
	# The Parts Shortage report reads the tickets' status changes from Frappe's change tracking.
	"Version": {"sp_version_doctype_creation": ["ref_doctype", "creation"]},
}


def ensure_billing_indexes() -> None:
	"""Install/migrate (idempotent: Frappe adds an index only when its name is not there)."""
	for doctype, indexes in INDEXES.items():
		for name, columns in indexes.items():
			frappe.db.add_index(doctype, columns, index_name=name)
