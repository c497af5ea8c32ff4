from urllib.parse import quote

import frappe

from support_plus.portal.equipment import equipment_view
from support_plus.portal.pages import require_login

no_cache = 1


def get_context(context):
	name = frappe.form_dict.get("serial") or ""
	require_login("/support/equipment/" + quote(name, safe=""))
	context.update(equipment_view(name))  # another customer's serial: 404, for this user only
	context.title = f"{context.serial.name} · {context.serial.item_name or context.serial.item_code}"
	context.show_sidebar = True
