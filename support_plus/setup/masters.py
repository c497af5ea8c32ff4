"""Install: master records the product relies on."""

import frappe

from support_plus.tickets.priorities import ISSUE_PRIORITIES


def ensure_issue_priorities():
	for priority in ISSUE_PRIORITIES:
		if not frappe.db.exists("Issue Priority", priority):
			frappe.get_doc({"doctype": "Issue Priority", "name": priority}).insert(ignore_permissions=True)


def tree_leaf(tree_doctype: str) -> str:
	"""The first non-group node of a tree master (Customer Group, Territory, Item Group)."""
	return frappe.db.get_value(tree_doctype, {"is_group": 0}, "name", order_by="lft")
