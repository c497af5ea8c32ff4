"""Escalating tickets: the actions of a Support Escalation Rule, and manual escalation.

Every firing is an Issue Escalation record and a line on the ticket's timeline. A rule fires once per
ticket and SLA round: its record is named after (ticket, rule, round) and inserted before any action, so
a second worker, or a rerun after a crash, finds the name taken and does nothing; the record and the
actions commit together. (Issue Escalation is named by code, not "hash": Frappe retries a duplicate
hash name with a new one, which would let a rule fire twice.)
"""

import frappe
from frappe import _
from frappe.desk.form.assign_to import add as add_assignment
from frappe.desk.form.assign_to import clear as clear_assignments
from frappe.query_builder.functions import Count

from support_plus.tickets import email_templates
from support_plus.tickets.notifications import send_templated
from support_plus.tickets.priorities import rank
from support_plus.utils import clock
from support_plus.utils.roles import users_with_roles


def fire_rule(issue: str, rule, now=None) -> bool:
	"""Fire `rule` on `issue` unless it already fired this SLA round; True when it fired now.

	Its actions run at `now` (the sweep's time: saves, ToDos and the SLA engine read it). An action that
	fails raises: the caller (support_plus.sla.sweep.fire_each) undoes this firing alone and goes on."""
	now = clock.now(now)
	sla_round = frappe.db.get_value("Issue", issue, "sla_round") or 0
	record = frappe.get_doc(
		{
			"doctype": "Issue Escalation",
			"issue": issue,
			"rule": rule.name,
			"clock": rule.clock,
			"threshold_percent": rule.threshold_percent,
			"sla_round": sla_round,
			"fired_on": now,
		}
	)
	record.name = f"{issue}:{rule.name}:{sla_round}"
	frappe.db.savepoint("support_plus_escalation")
	try:
		record.db_insert()
	except frappe.DuplicateEntryError:
		frappe.db.rollback(save_point="support_plus_escalation")
		return False
	count_escalation(issue)
	with clock.pinned(now):
		actions = run_actions(issue, rule, record)
		record.db_set("actions_taken", "\n".join(actions), update_modified=False)
		note = _("Escalated by rule {0} at {1}% of the {2} time: {3}").format(
			rule.name,
			frappe.utils.flt(rule.threshold_percent),
			_(rule.clock).lower(),
			"; ".join(actions) or _("no action"),
		)
		frappe.get_doc("Issue", issue).add_comment("Info", note)
	return True


def run_actions(issue: str, rule, record) -> list[str]:
	actions = []
	doc = frappe.get_doc("Issue", issue)
	if rule.raise_priority_to and rank(rule.raise_priority_to) > rank(doc.priority):
		doc.priority = rule.raise_priority_to
		doc.save(ignore_permissions=True)  # the SLA engine recomputes; the hold time stays
		actions.append(_("priority raised to {0}").format(rule.raise_priority_to))
	target = rule.reassign_to_user or (
		least_loaded_user(rule.reassign_to_role) if rule.reassign_to_role else None
	)
	if target:
		reassign(issue, target)
		record.db_set("to_user", target, update_modified=False)
		actions.append(_("reassigned to {0}").format(target))
	recipients = rule_recipients(rule)
	if recipients:
		notify(doc, recipients, rule.email_template or email_templates.ESCALATION, rule=rule)
		actions.append(_("notified {0}").format(", ".join(recipients)))
	if rule.create_todo:
		owner = target or (recipients[0] if recipients else None) or (doc.get_assigned_users() or [None])[0]
		if owner:
			make_todo(doc, owner, _("SLA escalation ({0}): {1}").format(rule.name, doc.subject))
			actions.append(_("ToDo for {0}").format(owner))
	return actions


def escalate(issue: str, reason: str, to_user: str | None = None) -> str:
	"""Manual escalation: recorded and noted like a rule's; the SLA clock keeps running."""
	reason = (reason or "").strip()
	if not reason:
		frappe.throw(
			_("Give a reason to escalate ticket {0}.").format(frappe.bold(issue)), title=_("Reason Required")
		)
	doc = frappe.get_doc("Issue", issue)
	doc.check_permission("write")
	if to_user and not frappe.db.get_value("User", {"name": to_user, "enabled": 1}):
		frappe.throw(_("{0} is not an active user.").format(frappe.bold(to_user)))
	record = frappe.get_doc(
		{
			"doctype": "Issue Escalation",
			"issue": issue,
			"clock": "Manual",
			"fired_on": clock.now(),
			"escalated_by": frappe.session.user,
			"to_user": to_user,
			"reason": reason,
			"sla_round": doc.get("sla_round") or 0,
		}
	)
	record.name = f"{issue}:manual:{frappe.generate_hash(length=10)}"
	record.insert(ignore_permissions=True)
	count_escalation(issue)
	actions = []
	if to_user:
		reassign(issue, to_user)
		notify(doc, [to_user], email_templates.ESCALATION, reason=reason)
		actions.append(_("reassigned to {0}").format(to_user))
	record.db_set("actions_taken", "\n".join(actions), update_modified=False)
	doc.add_comment(
		"Info", _("Escalated by {0}: {1}").format(frappe.session.user, frappe.utils.escape_html(reason))
	)
	return record.name


def count_escalation(issue: str) -> None:
	"""The ticket's `escalation_count` (the list's escalated marker) goes up with each Issue Escalation, in
	the same transaction, atomically and without touching `modified`."""
	frappe.db.sql(
		"update `tabIssue` set escalation_count = ifnull(escalation_count, 0) + 1 where name = %s", issue
	)


def recount_escalations() -> None:
	"""Every ticket's `escalation_count` from its Issue Escalation records (install and migrate: tickets
	escalated before the field existed)."""
	frappe.db.sql(
		"""update `tabIssue` i
		left join (select issue, count(*) n from `tabIssue Escalation` group by issue) e on e.issue = i.name
		set i.escalation_count = ifnull(e.n, 0)
		where ifnull(i.escalation_count, 0) != ifnull(e.n, 0)"""
	)


def rule_recipients(rule) -> list[str]:
	users = [row.user for row in rule.notify if row.recipient_type == "User" and row.user]
	roles = [row.role for row in rule.notify if row.recipient_type == "Role" and row.role]
	if roles:
		users += users_with_roles(roles)
	return list(dict.fromkeys(users))


def least_loaded_user(role: str) -> str | None:
	"""The user of `role` with the fewest open ToDos (ties: by name)."""
	candidates = users_with_roles([role])
	if not candidates:
		return None
	todo = frappe.qb.DocType("ToDo")
	load = dict(
		(frappe.qb.from_(todo).select(todo.allocated_to, Count("*")))
		.where((todo.status == "Open") & todo.allocated_to.isin(candidates))
		.groupby(todo.allocated_to)
		.run()
	)
	return min(candidates, key=lambda u: (load.get(u, 0), u))


def reassign(issue: str, user: str) -> None:
	clear_assignments("Issue", issue, ignore_permissions=True)
	add_assignment({"assign_to": [user], "doctype": "Issue", "name": issue}, ignore_permissions=True)


def notify(doc, users: list[str], template: str, **context) -> None:
	"""A system notification for each user, and an email from an editable Email Template."""
	subject = frappe.render_template(
		frappe.db.get_value("Email Template", template, "subject") or "", {"doc": doc, **context}
	)
	send_templated(users, template, doc, **context)
	for user in users:
		frappe.get_doc(
			{
				"doctype": "Notification Log",
				"for_user": user,
				"type": "Alert",
				"document_type": "Issue",
				"document_name": doc.name,
				"subject": subject or doc.subject,
			}
		).insert(ignore_permissions=True)


def make_todo(doc, user: str, description: str) -> None:
	frappe.get_doc(
		{
			"doctype": "ToDo",
			"allocated_to": user,
			"reference_type": "Issue",
			"reference_name": doc.name,
			"description": description,
			"priority": "High",
			"date": clock.today(),
		}
	).insert(ignore_permissions=True)
