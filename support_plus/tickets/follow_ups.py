"""Follow-ups on tickets and the overdue flag.

An Issue's `last_follow_up_on` is when it was last followed up, `next_follow_up_date` the date set by the
most recent follow-up that set one. A ticket is overdue when it still needs work (not Resolved, Closed or
Cancelled) and that date is before today. `is_overdue` is a stored, indexed column so lists and the API
filter on it; `refresh_overdue` is the one place that computes it, for one ticket or for all (daily job).
"""

import frappe
from frappe import _
from frappe.query_builder import Case
from frappe.query_builder.functions import Max

from support_plus.tickets import timeline
from support_plus.tickets.lifecycle import DONE
from support_plus.utils import clock


def refresh_issue(issue: str) -> None:
	"""Recompute an Issue's follow-up fields from its follow-ups, then its overdue flag."""
	follow_up = frappe.qb.DocType("Issue Follow Up")
	last = (frappe.qb.from_(follow_up).select(Max(follow_up.creation)).where(follow_up.issue == issue)).run()[
		0
	][0]
	next_date = (
		frappe.qb.from_(follow_up)
		.select(follow_up.follow_up_date)
		.where((follow_up.issue == issue) & follow_up.follow_up_date.isnotnull())
		.orderby(follow_up.creation, order=frappe.qb.desc)
		.orderby(follow_up.name, order=frappe.qb.desc)
		.limit(1)
	).run()
	frappe.db.set_value(
		"Issue",
		issue,
		{"last_follow_up_on": last, "next_follow_up_date": next_date[0][0] if next_date else None},
		update_modified=False,
	)
	refresh_overdue(issues=[issue])


def refresh_overdue(now=None, issues: list[str] | None = None) -> None:
	"""Set `is_overdue` where it is wrong, in one UPDATE, for the given Issues or for all."""
	issue = frappe.qb.DocType("Issue")
	overdue = (
		Case()
		.when(issue.status.notin(list(DONE)) & (issue.next_follow_up_date < clock.today(now)), 1)
		.else_(0)
	)
	query = frappe.qb.update(issue).set(issue.is_overdue, overdue).where(issue.is_overdue != overdue)
	if issues is not None:
		if not issues:
			return
		query = query.where(issue.name.isin(issues))
	query.run()


def daily_refresh_overdue() -> None:
	"""Scheduler (daily): dates pass without anyone saving a ticket."""
	refresh_overdue()


def on_issue_update(doc, method=None) -> None:
	"""Issue `on_update`: a status change can start or end an overdue follow-up."""
	if not doc.next_follow_up_date and not doc.is_overdue:
		return  # no follow-up date: nothing can be overdue (every new ticket)
	before = doc.get_doc_before_save()
	if not before or before.status != doc.status:
		refresh_overdue(issues=[doc.name])
		doc.is_overdue = frappe.db.get_value("Issue", doc.name, "is_overdue")


def add_to_timeline(follow_up) -> None:
	text = _("Follow-up: {0}").format(frappe.utils.escape_html(follow_up.note))
	if follow_up.follow_up_date:
		text += " " + _("(next follow-up on {0})").format(frappe.utils.formatdate(follow_up.follow_up_date))
	timeline.add_info(
		follow_up.issue,
		text,
		reference_owner=frappe.db.get_value("Issue", follow_up.issue, "owner"),
		comment_email=frappe.session.user,
	)
