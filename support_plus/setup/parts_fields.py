"""Custom fields of parts on a job (support_plus.parts) on ERPNext's doctypes."""

from frappe import _


def add_parts_fields(fields: dict[str, list[dict]]) -> None:
	# The Stock Entry's side of the link both ways (the usage names its entries; each entry its usage).
	fields.setdefault("Stock Entry", []).extend(
		[
			{
				"fieldname": "service_part_usage",
				"fieldtype": "Link",
				"label": _("Service Part Usage"),
				"options": "Service Part Usage",
				"insert_after": "stock_entry_type",
				"read_only": 1,
				"no_copy": 1,
				"search_index": 1,
			},
			{
				"fieldname": "return_material_authorization",
				"fieldtype": "Link",
				"label": _("Return Material Authorization"),
				"options": "Return Material Authorization",
				"insert_after": "service_part_usage",
				"read_only": 1,
				"no_copy": 1,
			},
		]
	)
