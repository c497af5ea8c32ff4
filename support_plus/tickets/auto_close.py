"""Closing tickets nobody came back to.

A ticket that has stayed in one of the configured statuses (Replied and Resolved by default) for
`auto_close_after_days` days since its last status change is closed and its customer told so. 0 days
turns it off. ERPNext's own job (which turned 0 into 7 and counted from `modified`) is stopped at install.
"""

from datetime import timedelta

import frappe
from frappe import _

from support_plus.tickets import email_templates
from support_plus.tickets.lifecycle import CLOSED, REPLIED, RESOLVED
from support_plus.tickets.notifications import email_customer
from support_plus.utils import clock

BATCH_SIZE = 200
DEFAULT_STATUSES = (REPLIED, RESOLVED)
ERPNEXT_JOB = "erpnext.support.doctype.issue.issue.auto_close_tickets"


def auto_close(now=None) -> dict:
	"""Close due tickets in batches, one commit a batch; a ticket that fails is logged and skipped.

	Safe to rerun: closed tickets no longer match. Returns {"closed": n, "failed": n}.
	"""
	settings = frappe.get_single("Support Plus Settings")
	days = settings.auto_close_after_days or 0
	if days <= 0:
		return {"closed": 0, "failed": 0}
	statuses = [row.status for row in settings.auto_close_statuses] or list(DEFAULT_STATUSES)
	now = clock.now(now)
	cutoff = now - timedelta(days=days)

	issue = frappe.qb.DocType("Issue")
	closed = failed = 0
	after = ""
	while True:
		batch = (
			frappe.qb.from_(issue)
			.select(issue.name)
			.where(issue.status.isin(statuses) & (issue.status_changed_on < cutoff) & (issue.name > after))
			.orderby(issue.name)
			.limit(BATCH_SIZE)
		).run(pluck=True)
		if not batch:
			break
		for name in batch:
			frappe.db.savepoint("support_plus_auto_close")
			try:
				with clock.pinned(now):  # closed_on and the timeline say when the run closed it
					close_ticket(name, days)
				closed += 1
			except Exception:
				frappe.db.rollback(save_point="support_plus_auto_close")
				frappe.log_error(
					title=_("Auto-close of ticket {0} failed").format(name),
					reference_doctype="Issue",
					reference_name=name,
				)
				failed += 1
		frappe.db.commit()  # nosemgrep: one batch is one unit of work
		after = batch[-1]
	return {"closed": closed, "failed": failed}


def close_ticket(name: str, days: int) -> None:
	doc = frappe.get_doc("Issue", name)
	doc.status = CLOSED
	doc.flags.support_plus_auto_closed = True  # its own email below, not the status-change one
	doc.save(ignore_permissions=True)
	doc.add_comment("Info", _("Closed automatically after {0} days without a change.").format(days))
	email_customer(doc, email_templates.AUTO_CLOSED)


def daily_auto_close() -> None:
	"""Scheduler (daily)."""
	auto_close()


def stop_erpnext_auto_close() -> None:
	"""Install/migrate: ERPNext's own job would close tickets by its rules (0 days meaning 7, `modified`)."""
	frappe.db.set_value("Scheduled Job Type", {"method": ERPNEXT_JOB}, "stopped", 1)


def restart_erpnext_auto_close() -> None:
	"""Uninstall: ERPNext's own job works again."""
	frappe.db.set_value("Scheduled Job Type", {"method": ERPNEXT_JOB}, "stopped", 0)
