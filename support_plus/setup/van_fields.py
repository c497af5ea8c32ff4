"""Custom fields of vans and parts (support_plus.parts) on ERPNext's doctypes."""

from frappe import _


def add_van_fields(fields: dict[str, list[dict]]) -> None:
	fields.setdefault("Issue", []).append(
		{
			"fieldname": "waiting_for_item",
			"fieldtype": "Link",
			"label": _("Waiting For Part"),
			"options": "Item",
			"insert_after": "status",
			"depends_on": "eval:doc.status=='Pending Parts' || doc.waiting_for_item",
			"description": _(
				"The part this ticket waits for: when it arrives in the assigned technician's van, the "
				"ticket goes back to In Progress and the technician is told."
			),
		}
	)
