"""Desk endpoints of Frappe 15.44 that skip the permission check their siblings make.

- `frappe.desk.listview.get_group_by_count`: for "Assigned To" Frappe builds the list of records to
  count from the filters without the caller's permissions, so anyone could learn who works on records
  they cannot see. Here the records come from the caller's own list query.
- `frappe.desk.like.toggle_like`: Frappe writes the like on any record; here only on a record the
  caller may read.
"""

import frappe
from frappe.desk import like, listview


@frappe.whitelist()
def get_group_by_count(doctype: str, current_filters: str, field: str) -> list[dict]:
	if field == "assigned_to":
		visible = frappe.get_list(
			doctype, filters=frappe.parse_json(current_filters), fields=["name"], limit_page_length=0, run=0
		)
		return frappe.db.sql(
			f"""
			SELECT todo.allocated_to AS name, COUNT(*) AS count
			FROM `tabToDo` todo JOIN `tabUser` user ON user.name = todo.allocated_to
			WHERE todo.status != 'Cancelled' AND user.user_type = 'System User'
				AND todo.reference_type = %(doctype)s AND todo.reference_name IN ({visible})
			GROUP BY todo.allocated_to ORDER BY count DESC LIMIT 50
			""",
			{"doctype": doctype},
			as_dict=True,
		)
	return listview.get_group_by_count(doctype, current_filters, field)


@frappe.whitelist()
def toggle_like(doctype: str, name: str, add: bool | str = False) -> None:
	frappe.has_permission(doctype, "read", name, throw=True)
	like.toggle_like(doctype, name, add)
