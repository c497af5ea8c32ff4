"""Texts through Frappe's SMS Settings (any HTTP gateway), after the change that caused them is committed.

One place for the dispatch work's "technician on the way" and the channels' status updates. Frappe's
send_sms writes its SMS Log (or we an Error Log when the gateway fails) after the request's only commit,
so the send commits its own small transaction; without it the log was lost when the request ended.
"""

import frappe


def configured() -> bool:
	return bool(frappe.db.get_single_value("SMS Settings", "sms_gateway_url"))


def send_after_commit(number: str, text: str, failure_title: str) -> None:
	frappe.db.after_commit.add(lambda: send(number, text, failure_title))


def send(number: str, text: str, failure_title: str) -> None:
	from frappe.core.doctype.sms_settings.sms_settings import send_sms

	try:
		send_sms([number], text, success_msg=False)
	except Exception:
		frappe.log_error(title=failure_title)
	frappe.db.commit()  # nosemgrep: after the change's own commit, a transaction of its own
