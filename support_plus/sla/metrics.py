"""ERPNext's response and resolution metrics of an Issue, as ERPNext and Frappe define them.

ERPNext's reports ("First Response Time for Issues", "Issue Summary", "Issue Analytics") read these fields;
ERPNext fills them in its SLA code, which support_plus's engine replaces, so the engine fills them here:

- `first_response_time`: business seconds of the ticket's SLA from its start to the first response (ERPNext:
  working hours only; at least 1 second, because Frappe reads 0 as "not answered yet" and would overwrite it).
- `resolution_time`: calendar seconds from the SLA start to the resolution (ERPNext: wall clock).
- `user_resolution_time`: `resolution_time` minus the time spent waiting for the customer, i.e. the gaps
  from one of our messages to the customer's next one (ERPNext).
- `avg_response_time`: the mean calendar time from a customer's message to our next message (Frappe's
  communication code). Frappe measures from when rows were written and lists only the messages the
  replying user may read; here each message counts at its own date (`communication_date`: an imported
  or forwarded message keeps its date), whoever replies.

Messages are the ticket's Communications of type Communication, bounces and auto-replies left out.
"""

from itertools import pairwise

import frappe
from frappe.utils import get_datetime, get_system_timezone

from support_plus.analytics import rollup
from support_plus.sla.business_time import to_timestamp
from support_plus.sla.config import SlaConfig, get_config, tracking_enabled
from support_plus.utils import clock

SENT, RECEIVED = "Sent", "Received"


def messages(issue: str) -> list[tuple[str, object]]:
	"""(sent_or_received, date) of the ticket's conversation, oldest first."""
	comm = frappe.qb.DocType("Communication")
	return (
		frappe.qb.from_(comm)
		.select(comm.sent_or_received, comm.communication_date)
		.where(
			(comm.reference_doctype == "Issue")
			& (comm.reference_name == issue)
			& (comm.communication_type == "Communication")
			& (comm.is_automated == 0)
			& comm.communication_date.isnotnull()
		)
		.orderby(comm.communication_date)
		.orderby(comm.creation)
	).run()


def first_reply_time(issue: str):
	"""When the first reply by email was sent: the pinned clock (frappe.flags.current_time, as ERPNext),
	else the earliest reply's own date."""
	if frappe.flags.current_time:
		return clock.now()
	sent = [date for kind, date in messages(issue) if kind == SENT]
	return get_datetime(sent[0]) if sent else clock.now()


def first_response_seconds(cfg: SlaConfig, start, first_response) -> int:
	tz = get_system_timezone()
	business = cfg.calendar.between(
		to_timestamp(get_datetime(start), tz), to_timestamp(get_datetime(first_response), tz)
	)
	return max(1, round(business))


def resolution_seconds(start, resolved_on) -> float:
	return (get_datetime(resolved_on) - get_datetime(start)).total_seconds()


def waiting_for_customer_seconds(conversation, until) -> float:
	"""The gaps from one of our messages to the customer's next one, up to `until`."""
	until = get_datetime(until)
	return sum(
		(get_datetime(b_date) - get_datetime(a_date)).total_seconds()
		for (a_kind, a_date), (b_kind, b_date) in pairwise(conversation)
		if a_kind == SENT and b_kind == RECEIVED and get_datetime(b_date) <= until
	)


def average_response_seconds(conversation) -> float | None:
	"""The mean gap from a customer's message to our next message; None before the first such reply."""
	gaps = [
		(get_datetime(b_date) - get_datetime(a_date)).total_seconds()
		for (a_kind, a_date), (b_kind, b_date) in pairwise(conversation)
		if a_kind == RECEIVED and b_kind == SENT
	]
	gaps = [gap for gap in gaps if gap > 0]
	return round(sum(gaps) / len(gaps), 2) if gaps else None


def resolution_metrics(issue: str | None, start, resolved_on) -> dict:
	"""`resolution_time` and `user_resolution_time` of a ticket resolved at `resolved_on`."""
	total = resolution_seconds(start, resolved_on)
	waiting = waiting_for_customer_seconds(messages(issue), resolved_on) if issue else 0
	return {"resolution_time": total, "user_resolution_time": total - waiting}


def on_message(comm, method=None) -> None:
	"""Communication `on_update`, after Frappe's and ERPNext's: the ticket's average response time at the
	messages' own dates, and the first response time in the SLA's business time (ERPNext's hook counts the
	first working window of each weekday in the site's timezone, without holidays)."""
	if (
		comm.reference_doctype != "Issue"
		or not comm.reference_name
		or comm.communication_type != "Communication"
		or comm.sent_or_received != SENT
	):
		return
	issue = frappe.db.get_value(
		"Issue",
		comm.reference_name,
		[
			"name",
			"avg_response_time",
			"first_response_time",
			"first_responded_on",
			"service_level_agreement",
			"service_level_agreement_creation",
		],
		as_dict=True,
	)
	if not issue:
		return
	values = {"avg_response_time": average_response_seconds(messages(issue.name))}
	if (
		issue.service_level_agreement
		and issue.first_responded_on
		and issue.service_level_agreement_creation
		and tracking_enabled()
	):
		values["first_response_time"] = first_response_seconds(
			get_config(issue.service_level_agreement),
			issue.service_level_agreement_creation,
			issue.first_responded_on,
		)
	changed = {k: v for k, v in values.items() if v is not None and v != issue.get(k)}
	if changed:
		frappe.db.set_value("Issue", issue.name, changed, update_modified=False)
		rollup.refresh(issue.name)  # written past the document: the per-day totals follow
		parent = getattr(comm, "parent_doc", None)  # Frappe's copy of the ticket, kept on the message
		if parent and parent.name == issue.name:
			parent.update(changed)
