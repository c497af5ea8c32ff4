"""The ticket lifecycle: statuses, allowed transitions and the dates and counters they stamp.

Runs as Issue `validate`, so the desk, `frappe.get_doc` scripts, REST and the portal meet the same rules.
A status change is recorded on the timeline by Frappe's own change tracking (Issue tracks changes).
"""

import frappe
from frappe import _

from support_plus.utils import clock
from support_plus.utils.roles import is_manager

OPEN = "Open"
REPLIED = "Replied"
IN_PROGRESS = "In Progress"
PENDING_CUSTOMER = "Pending Customer"
PENDING_PARTS = "Pending Parts"
ON_HOLD = "On Hold"
RESOLVED = "Resolved"
CLOSED = "Closed"
CANCELLED = "Cancelled"

STATUSES = (OPEN, REPLIED, IN_PROGRESS, PENDING_CUSTOMER, PENDING_PARTS, ON_HOLD, RESOLVED, CLOSED, CANCELLED)
# Work still to do on these.
ACTIVE = frozenset((OPEN, REPLIED, IN_PROGRESS, PENDING_CUSTOMER, PENDING_PARTS, ON_HOLD))
# Nothing more to do: a follow-up date on these is not overdue.
DONE = frozenset((RESOLVED, CLOSED, CANCELLED))
# Left only through support_plus.api.reopen.
FINAL = frozenset((CLOSED, CANCELLED))
# Going back to Open from these counts as a reopening.
REOPENS_FROM = frozenset((REPLIED, RESOLVED, CLOSED, CANCELLED))

TRANSITIONS = {
	**{status: (ACTIVE | DONE) - {status} for status in ACTIVE},
	# The customer rejects the resolution (back to work) or accepts it (closed).
	RESOLVED: frozenset((OPEN, IN_PROGRESS, CLOSED)),
	CLOSED: frozenset(),
	CANCELLED: frozenset(),
}


def validate_status(doc, method=None):
	"""Issue `validate`: refuse forbidden transitions, stamp dates, who closed and reopen counts."""
	if doc.status not in STATUSES:
		frappe.throw(
			_("{0} is not a ticket status.").format(frappe.bold(doc.status)), title=_("Invalid Status")
		)
	if doc.status == CANCELLED and not (doc.cancel_reason or "").strip():
		frappe.throw(
			_("Give a reason to cancel ticket {0}.").format(frappe.bold(doc.name)), title=_("Reason Required")
		)

	before = doc.get_doc_before_save()
	previous = before.status if before else None
	if previous == doc.status:
		return
	if previous and doc.status not in TRANSITIONS[previous] and not doc.flags.support_plus_reopen:
		if previous in FINAL:
			frappe.throw(final_status_reason(doc.name, previous), title=_("Ticket {0}").format(_(previous)))
		frappe.throw(
			_("Ticket {0} cannot go from {1} to {2}.").format(
				frappe.bold(doc.name), _(previous), _(doc.status)
			),
			title=_("Status Change Not Allowed"),
		)
	stamp_status_change(doc, previous)


def final_status_reason(name: str, status: str) -> str:
	"""Why a Closed or Cancelled ticket's status cannot simply be changed, said to the person asking."""
	if is_manager():
		return _("Ticket {0} is {1}: reopen it with Reopen, which asks for a reason, then change it.").format(
			frappe.bold(name), _(status)
		)
	return _("Ticket {0} is {1}; only a Support Manager can reopen it.").format(frappe.bold(name), _(status))


def stamp_status_change(doc, previous: str | None) -> None:
	now = clock.now()
	doc.status_changed_on = now
	if doc.status == RESOLVED:
		doc.resolved_on = now
	elif doc.status == CLOSED:
		doc.closed_on = now
		doc.closed_by = frappe.session.user
		doc.resolved_on = doc.resolved_on or now
	elif doc.status in ACTIVE:
		if previous in DONE:
			doc.resolved_on = doc.closed_on = doc.closed_by = None
		if doc.status == OPEN and previous in REOPENS_FROM:
			doc.reopen_count = (doc.reopen_count or 0) + 1
	if doc.status != CANCELLED:
		doc.cancel_reason = None


def backfill_status_changed_on() -> None:
	"""Install/migrate: tickets from before support_plus get their last change time as status clock."""
	issue = frappe.qb.DocType("Issue")
	frappe.qb.update(issue).set(issue.status_changed_on, issue.modified).where(
		issue.status_changed_on.isnull()
	).run()
