"""Custom fields of warranty and service contracts (support_plus.warranty) on ERPNext's doctypes."""

import frappe
from frappe import _


def add_warranty_fields(fields: dict[str, list[dict]]) -> None:
	fields.setdefault("Serial No", []).extend(
		[
			{
				"fieldname": "sp_owner_section",
				"fieldtype": "Section Break",
				"label": _("Customer and Delivery"),
				"insert_after": "amc_expiry_date",
			},
			{
				"fieldname": "customer",
				"fieldtype": "Link",
				"label": _("Customer"),
				"options": "Customer",
				"insert_after": "sp_owner_section",
				"in_standard_filter": 1,
				"search_index": 1,
				"description": _("Set when a delivery is submitted; edit it for equipment sold before."),
			},
			{
				"fieldname": "delivered_on",
				"fieldtype": "Date",
				"label": _("Delivered On"),
				"insert_after": "customer",
			},
			{
				"fieldname": "installed_on",
				"fieldtype": "Date",
				"label": _("Installed On"),
				"insert_after": "delivered_on",
			},
			{"fieldname": "sp_owner_column", "fieldtype": "Column Break", "insert_after": "installed_on"},
			{
				"fieldname": "delivery_document_type",
				"fieldtype": "Link",
				"label": _("Delivered By (Type)"),
				"options": "DocType",
				"insert_after": "sp_owner_column",
				"read_only": 1,
			},
			{
				"fieldname": "delivery_document_no",
				"fieldtype": "Dynamic Link",
				"label": _("Delivered By"),
				"options": "delivery_document_type",
				"insert_after": "delivery_document_type",
				"read_only": 1,
			},
			{
				"fieldname": "warranty_alerted_for",
				"fieldtype": "Date",
				"label": _("Warranty End Announced"),
				"insert_after": "delivery_document_no",
				"read_only": 1,
				"no_copy": 1,
			},
			{
				"fieldname": "amc_alerted_for",
				"fieldtype": "Date",
				"label": _("Contract End Announced"),
				"insert_after": "warranty_alerted_for",
				"read_only": 1,
				"no_copy": 1,
			},
		]
	)
	fields.setdefault("Item", []).append(
		{
			"fieldname": "warranty_starts_on",
			"fieldtype": "Select",
			"label": _("Warranty Starts On"),
			"options": "Delivery\nInstallation",
			"default": "Delivery",
			"insert_after": "warranty_period",
		}
	)
	fields["Issue"] += [
		{
			"fieldname": "warranty_status",
			"fieldtype": "Select",
			"label": _("Warranty Status"),
			"options": "\nUnder Warranty\nUnder Contract\nOut of Warranty\nUnknown",
			"insert_after": "serial_no",
			"read_only": 1,
			"in_standard_filter": 1,
		},
		{
			"fieldname": "service_contract",
			"fieldtype": "Link",
			"label": _("Service Contract"),
			"options": "Service Contract",
			"insert_after": "warranty_status",
			"read_only": 1,
		},
		{
			"fieldname": "warranty_claim",
			"fieldtype": "Link",
			"label": _("Warranty Claim"),
			"options": "Warranty Claim",
			"insert_after": "service_contract",
			"read_only": 1,
			"no_copy": 1,
		},
	]
	fields.setdefault("Warranty Claim", []).append(
		{
			"fieldname": "issue",
			"fieldtype": "Link",
			"label": _("Ticket"),
			"options": "Issue",
			"insert_after": "serial_no",
			"read_only": 1,
			"search_index": 1,
		}
	)
	fields.setdefault("Service Level Agreement", []).append(
		{
			"fieldname": "service_contracts_only",
			"fieldtype": "Check",
			"label": _("Service Contracts Only"),
			"insert_after": "default_service_level_agreement",
			"description": _(
				"Given only to tickets about equipment under a service contract naming it, never chosen by customer, group or territory."
			),
		}
	)
	fields.setdefault("Maintenance Schedule", []).append(
		{
			"fieldname": "service_contract",
			"fieldtype": "Link",
			"label": _("Service Contract"),
			"options": "Service Contract",
			"insert_after": "transaction_date",
			"read_only": 1,
			"search_index": 1,
		}
	)


def ensure_warranty_indexes() -> None:
	"""Install/migrate: the alert job reads serials by expiry date (ERPNext's own columns)."""
	frappe.db.add_index("Serial No", ["warranty_expiry_date"])
	frappe.db.add_index("Serial No", ["amc_expiry_date"])
