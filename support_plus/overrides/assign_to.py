"""One assignment made as `frappe.desk.form.assign_to.add` (Frappe 15.44.2) makes it, with fewer reads.

Why: routing assigns one technician on every new ticket, and Frappe's `add` was most of that time (under
the profiler, about 45 of 58 ms of `auto_assign`): it reads the ToDos for a duplicate, checks the caller's
permission, loads the ticket again, checks the assignee's permission on it, shares it
through `share.add` (which looks for a share, checks the sharer's right and loads the ticket once more),
and reads the assignments back for the desk. For one user on one document whose caller already checked
the ticket, the assignee and that they hold no open ToDo on it, `assign` keeps everything that leaves a
trace, in Frappe's order:

- the ToDo, inserted as a Document (Frappe's ToDo class: the "Assigned" comment on the timeline and the
  document's `_assign`; every ToDo doc event: support_plus's acceptance, capacity guard, load counter and
  customer email, and those of any other app), with the fields `add` gives it;
- `assigned_to` on the document when its doctype has that field;
- when the assignee may not read the document: the DocShare (read), as `share.add` makes it, with its
  "Shared" comment; a share already there is saved again through Frappe's `add_docshare`;
- following the document when the assignee's settings say so (assignment and share);
- the assignee's notification (Frappe's own `notify_assignment`).

Left out: the duplicate ToDo read and the caller's permission check (the callers do both; every caller
passed `ignore_permissions`), the sharer's own right to share (the system assigns: a technician declining a
ticket may not share it, and Frappe's `add` then fails where this shares), the DocShare's link validation (the loaded document and the user the ToDo's
own validation just checked), the desk messages ("Shared with ...") and the list of assignments returned.

A Frappe other than 15.x gets Frappe's own `add` (`FOLLOWS`), and install/migrate refuse it anyway
(`support_plus.overrides.check_versions`). tests/test_lean_assignment.py compares the result with Frappe's
`add` on twin tickets: the ToDo's fields, `_assign`, the DocShare, the timeline comments, the notification.
"""

import frappe
from frappe.desk.form.assign_to import add as frappe_add
from frappe.desk.form.assign_to import notify_assignment
from frappe.desk.form.document_follow import follow_document
from frappe.share import add_docshare
from frappe.utils import escape_html, nowdate

FOLLOWS = "15."  # Frappe's `add` as of 15.44.2


def assign(doc, user: str, description: str, priority: str = "Medium") -> str:
	"""Assign `doc` (a loaded document) to `user`: the new ToDo's name. The caller has checked that the user
	holds no open ToDo on it."""
	if not frappe.__version__.startswith(FOLLOWS):
		frappe_add(
			{"assign_to": [user], "doctype": doc.doctype, "name": doc.name, "description": description},
			ignore_permissions=True,
		)
		return frappe.db.get_value(
			"ToDo",
			{
				"reference_type": doc.doctype,
				"reference_name": doc.name,
				"allocated_to": user,
				"status": "Open",
			},
		)
	description = escape_html(description)
	todo = frappe.get_doc(
		{
			"doctype": "ToDo",
			"allocated_to": user,
			"reference_type": doc.doctype,
			"reference_name": doc.name,
			"description": description,
			"priority": priority,
			"status": "Open",
			"date": nowdate(),
			"assigned_by": frappe.session.user,
			"assignment_rule": None,
		}
	).insert(ignore_permissions=True)  # links checked: they also fill `assigned_by_full_name`

	if frappe.get_meta(doc.doctype).get_field("assigned_to"):
		frappe.db.set_value(doc.doctype, doc.name, "assigned_to", user)
		doc.assigned_to = user

	if not frappe.has_permission(doc=doc, user=user):
		share(doc, user)

	if frappe.get_cached_value("User", user, "follow_assigned_documents"):
		follow_document(doc.doctype, doc.name, user)

	notify_assignment(
		todo.assigned_by,
		todo.allocated_to,
		todo.reference_type,
		todo.reference_name,
		action="ASSIGN",
		description=description,
	)
	return todo.name


def share(doc, user: str) -> None:
	"""Read access for `user`, as `frappe.share.add_docshare(doctype, name, user)` gives it (the share
	permission of the current user not checked: the system assigns)."""
	existing = frappe.db.sql(
		"""select name from `tabDocShare`
		where share_doctype = %s and share_name = %s and user = %s and everyone = 0 limit 1""",
		(doc.doctype, doc.name, user),
	)
	if existing:
		add_docshare(doc.doctype, doc.name, user, flags={"ignore_share_permission": True})
		return
	docshare = frappe.new_doc("DocShare")
	docshare.update(
		{
			"user": user,
			"share_doctype": doc.doctype,
			"share_name": doc.name,
			"everyone": 0,
			"read": 1,
			"write": 0,
			"submit": 0,
			"share": 0,
		}
	)
	docshare.flags.ignore_share_permission = True
	docshare._doc = doc  # DocShare loads the shared document for its checks and comment: it is this one
	docshare.insert(ignore_permissions=True, ignore_links=True)  # the document and a user who holds a ToDo
	if frappe.get_cached_value("User", user, "follow_shared_documents"):
		follow_document(doc.doctype, doc.name, user)
