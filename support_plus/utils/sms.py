"""Texts through Frappe's SMS Settings (any HTTP gateway), by a job queued when the change that caused them
is committed.

One place for the dispatch work's "technician on the way" and the channels' status updates. Frappe 15's
`send_request` sets no timeout: a gateway that accepts and never answers would hold whoever sends. So the
request that made the change only queues the text (`short` queue, after its commit: a change undone sends
nothing); a worker sends it, bounded by the queue's job timeout. The job commits its own transaction:
Frappe's send_sms writes the SMS Log (we an Error Log when the gateway fails) after its last commit.
"""

import frappe

JOB = "support_plus.utils.sms.send"


def configured() -> bool:
	return bool(frappe.db.get_single_value("SMS Settings", "sms_gateway_url"))


def send_after_commit(number: str, text: str, failure_title: str) -> None:
	frappe.enqueue(
		JOB,
		queue="short",
		enqueue_after_commit=True,
		number=number,
		text=text,
		failure_title=failure_title,
	)


def send(number: str, text: str, failure_title: str) -> None:
	"""Job: send one text; a gateway's failure is an Error Log, never an exception."""
	from frappe.core.doctype.sms_settings.sms_settings import send_sms

	try:
		send_sms([number], text, success_msg=False)
	except Exception:
		frappe.log_error(title=failure_title)
	frappe.db.commit()  # nosemgrep: a job's own transaction
