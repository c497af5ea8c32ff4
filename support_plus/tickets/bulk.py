"""Changing many tickets at once, each through the same permission checks and validation as a single
save. A failure is reported per ticket and does not undo the others; large batches run in the background.
"""

import frappe
from frappe import _
from frappe.desk.form.assign_to import add as add_assignment
from frappe.utils import strip_html

# Larger batches go to a background job (seed 002: bulk work on hundreds of tickets).
BACKGROUND_ABOVE = 500


def update_ticket(name: str, values: dict) -> None:
	"""Apply `values` (status, priority, assign_to, cancel_reason) to one ticket as the current user:
	checked and validated."""
	doc = frappe.get_doc("Issue", name)
	doc.check_permission("write")
	fields = {key: values[key] for key in ("status", "priority", "cancel_reason") if values.get(key)}
	if fields:
		doc.update(fields)
		doc.save()
	assign_to = values.get("assign_to")
	if assign_to and assign_to not in (doc.get_assigned_users() or []):
		add_assignment({"assign_to": [assign_to], "doctype": "Issue", "name": name})


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
