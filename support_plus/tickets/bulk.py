"""Changing many tickets at once, each through the same permission checks and validation as a single
save. A failure is reported per ticket and does not undo the others; large batches run in the background.
"""

import frappe
from frappe import _
from frappe.desk.form.assign_to import add as add_assignment
from frappe.desk.form.assign_to import set_status as set_assignment_status
from frappe.utils import strip_html

# Larger batches go to a background job (seed 002: bulk work on hundreds of tickets).
BACKGROUND_ABOVE = 500
# How `assign_to` meets the current assignees: added to them, or replacing them.
ADD, REPLACE = "Add", "Replace"


def update_ticket(name: str, values: dict) -> None:
	"""Apply `values` (status, priority, assign_to with assign_mode, cancel_reason) to one ticket as the
	current user: checked and validated."""
	doc = frappe.get_doc("Issue", name)
	doc.check_permission("write")
	fields = {key: values[key] for key in ("status", "priority", "cancel_reason") if values.get(key)}
	if fields:
		doc.update(fields)
		doc.save()
	assign_to = values.get("assign_to")
	if not assign_to:
		return
	if values.get("assign_mode") == REPLACE:
		unassign_others(name, assign_to)
	if assign_to not in open_assignees(name):
		add_assignment({"assign_to": [assign_to], "doctype": "Issue", "name": name})


def open_assignees(name: str) -> list[str]:
	return frappe.get_all(
		"ToDo",
		filters={"reference_type": "Issue", "reference_name": name, "status": "Open"},
		pluck="allocated_to",
	)


def unassign_others(name: str, keep: str) -> None:
	"""Cancel every open assignment of the ticket but `keep`'s, each ToDo saved (its hooks move the
	technicians' load counters, support_plus.dispatch.load, and Frappe updates the ticket's `_assign`)."""
	for todo, user in frappe.get_all(
		"ToDo",
		filters={"reference_type": "Issue", "reference_name": name, "status": "Open"},
		fields=["name", "allocated_to"],
		as_list=True,
	):
		if user != keep:
			set_assignment_status("Issue", name, todo=todo, assign_to=user, status="Cancelled")


def update_tickets(names: list[str], values: dict, publish_progress: bool = False) -> dict:
	"""`update_ticket` for each name; a failure is rolled back and reported, the others go on.

	Returns {"updated": [names], "failed": [{"issue": name, "error": message}]}.
	"""
	result = {"updated": [], "failed": []}
	for i, name in enumerate(names):
		frappe.db.savepoint("support_plus_bulk")
		try:
			update_ticket(name, values)
			result["updated"].append(name)
		except Exception as e:
			frappe.db.rollback(save_point="support_plus_bulk")
			frappe.clear_messages()
			result["failed"].append({"issue": name, "error": strip_html(str(e)) or e.__class__.__name__})
		if publish_progress:
			frappe.publish_progress(
				(i + 1) * 100 / len(names), title=_("Updating tickets"), description=f"{i + 1}/{len(names)}"
			)
	return result


def validate_values(values: dict) -> None:
	if not any(values.get(key) for key in ("status", "priority", "assign_to")):
		frappe.throw(_("Choose a status, a priority or a user to assign."))
	if values.get("priority") and not frappe.db.exists("Issue Priority", values["priority"]):
		frappe.throw(_("{0} is not a ticket priority.").format(frappe.bold(values["priority"])))
	if values.get("assign_mode") not in (None, "", ADD, REPLACE):
		frappe.throw(_("Assign mode is {0} or {1}.").format(ADD, REPLACE))
	if values.get("assign_mode") == REPLACE and not values.get("assign_to"):
		frappe.throw(_("Choose the user who replaces the current assignees."))
	if values.get("assign_to") and not frappe.db.get_value(
		"User", {"name": values["assign_to"], "enabled": 1}
	):
		frappe.throw(_("{0} is not an active user.").format(frappe.bold(values["assign_to"])))


def run_in_background(names: list[str], values: dict, user: str) -> None:
	"""Background job: the same updates, as the user who asked, with progress; the outcome is notified."""
	frappe.set_user(user)
	result = update_tickets(names, values, publish_progress=True)
	frappe.db.commit()  # nosemgrep: a job owns its transaction
	frappe.get_doc(
		{
			"doctype": "Notification Log",
			"for_user": user,
			"type": "Alert",
			"subject": _("Bulk update of tickets: {0} updated, {1} failed").format(
				len(result["updated"]), len(result["failed"])
			),
			"email_content": "<br>".join(
				f"{f['issue']}: {frappe.utils.escape_html(f['error'])}" for f in result["failed"]
			),
		}
	).insert(ignore_permissions=True)
