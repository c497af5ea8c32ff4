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
ticket may not share it, and Frappe's `add` then fails where this shares), the link validation of the ToDo
and the DocShare (their links are the loaded document, the current user and a user the caller checked;
`assigned_by_full_name`, which the ToDo's validation fetched, is read from the cached User), the desk
messages ("Shared with ...") and the list of assignments returned.

Read once, not again: the loaded document is the one the ToDo's "Assigned" comment goes on (Frappe's ToDo
loads it anew; the comment's links, that document and the current user, are not looked up) and whose
`_assign` the ToDo sets (the same statement as Frappe's, in SQL rather than through the query builder: a
millisecond of the routing job); it is in the ToDo's `flags.reference_doc` for the ToDo hooks
(support_plus's read its status and customer from it), and the notification takes its title from it and
the assignee's language from the cached User (Frappe's `notify_assignment` reads both from the database).
The caller may add to the ToDo's flags (`todo_flags`: routing passes the technician's row it read under
lock).

A Frappe other than 15.x gets Frappe's own `add` (`FOLLOWS`), and install/migrate refuse it anyway
(`support_plus.overrides.check_versions`). tests/test_lean_assignment.py compares the result with Frappe's
`add` on twin tickets: the ToDo's fields, `_assign`, the DocShare, the timeline comments, the notification.
"""

import json
from functools import partial

import frappe
from frappe import _
from frappe.desk.doctype.notification_log.notification_log import (
	enqueue_create_notification,
	get_title_html,
)
from frappe.desk.form.assign_to import add as frappe_add
from frappe.desk.form.document_follow import follow_document
from frappe.share import add_docshare
from frappe.utils import escape_html, nowdate

FOLLOWS = "15."  # Frappe's `add` as of 15.44.2


def assign(doc, user: str, description: str, priority: str = "Medium", todo_flags: dict | None = None) -> str:
	"""Assign `doc` (a loaded document) to `user`: the new ToDo's name. The caller has checked that the user
	exists and holds no open ToDo on it. `todo_flags`: added to the new ToDo's flags for its hooks."""
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
			"assigned_by_full_name": frappe.get_cached_value("User", frappe.session.user, "full_name"),
			"assignment_rule": None,
		}
	)
	todo.flags.update(todo_flags or {}, reference_doc=doc)
	# Frappe's ToDo puts its "Assigned" comment on the document loaded anew, and reads the assignees back
	# through the query builder: the loaded one, and plain SQL.
	todo.add_assign_comment = partial(add_comment, doc)
	if not frappe.get_meta(doc.doctype).issingle:
		todo.update_in_reference = partial(update_assign, doc)
	try:
		todo.insert(ignore_permissions=True, ignore_links=True)
	finally:
		# Only for the insert's hooks: a site's Webhook on ToDo pickles this instance into its job at
		# commit, and a later save of it reads afresh.
		todo.__dict__.pop("add_assign_comment", None)
		todo.__dict__.pop("update_in_reference", None)
		for flag in (*(todo_flags or {}), "reference_doc"):
			todo.flags.pop(flag, None)

	if frappe.get_meta(doc.doctype).get_field("assigned_to"):
		frappe.db.set_value(doc.doctype, doc.name, "assigned_to", user)
		doc.assigned_to = user

	if not frappe.has_permission(doc=doc, user=user):
		share(doc, user)

	if frappe.get_cached_value("User", user, "follow_assigned_documents"):
		follow_document(doc.doctype, doc.name, user)

	notify_assignment(doc, todo.assigned_by, user, description)
	return todo.name


def add_comment(doc, text: str, comment_type: str):
	"""The ToDo's comment on `doc`, as Frappe's `doc.add_comment(comment_type, text)` makes it, its links
	not looked up: the loaded document and the current user."""
	return frappe.get_doc(
		{
			"doctype": "Comment",
			"comment_type": comment_type,
			"comment_email": frappe.session.user,
			"comment_by": None,
			"reference_doctype": doc.doctype,
			"reference_name": doc.name,
			"content": text or comment_type,
		}
	).insert(ignore_permissions=True, ignore_links=True)


def update_assign(doc) -> None:
	"""The document's `_assign` as Frappe's `ToDo.update_in_reference` writes it for a document that is not a
	Single: its unfinished assignees, the same statement in plain SQL."""
	assignees = frappe.db.sql_list(
		"""select allocated_to from `tabToDo`
		where reference_type = %s and reference_name = %s and status not in ('Cancelled', 'Closed')
			and allocated_to is not null
		order by modified desc for update""",
		(doc.doctype, doc.name),
	)
	assignees.reverse()
	frappe.db.set_value(
		doc.doctype, doc.name, "_assign", json.dumps(assignees) if assignees else "", update_modified=False
	)


def notify_assignment(doc, assigned_by: str, user: str, description: str) -> None:
	"""The assignee's notification, as Frappe's `notify_assignment(..., action="ASSIGN")` makes it, with the
	title of the loaded document and the assignee's language and status from the cached User."""
	if not assigned_by or assigned_by == user:
		return
	language, enabled = frappe.get_cached_value("User", user, ["language", "enabled"])
	if not enabled:
		return
	title_field = frappe.get_meta(doc.doctype).get_title_field()
	title = doc.name if title_field == "name" else doc.get(title_field)
	subject = _("{0} assigned a new task {1} {2} to you", lang=language).format(
		frappe.bold(frappe.get_cached_value("User", frappe.session.user, "full_name")),
		frappe.bold(_(doc.doctype, lang=language)),
		get_title_html(title),
	)
	enqueue_create_notification(
		user,
		{
			"type": "Assignment",
			"document_type": doc.doctype,
			"subject": subject,
			"document_name": doc.name,
			"from_user": frappe.session.user,
			"email_content": f"<div>{description}</div>" if description else None,
		},
	)


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
