"""SMS status updates through Frappe's SMS Settings, for the contacts who opted in (Contact's "Ticket
Updates by SMS"): "your ticket is now In Progress", and the like. Frappe sends the SMS through the
configured gateway and keeps an SMS Log; nothing is sent when no gateway is set up."""

import frappe
from frappe import _

from support_plus.channels.whatsapp.outbound import NOTIFY_STATUSES


def configured() -> bool:
	return bool(frappe.db.get_single_value("SMS Settings", "sms_gateway_url"))


def on_status_change(doc, method=None) -> None:
	"""Issue `on_update`: text an opted-in contact about their ticket's new status, after the commit."""
	before = doc.get_doc_before_save()
	if not before or before.status == doc.status or doc.status not in NOTIFY_STATUSES or not doc.contact:
		return
	opted_in, mobile = frappe.db.get_value("Contact", doc.contact, ["sms_status_updates", "mobile_no"]) or (
		0,
		None,
	)
	if not opted_in or not mobile or not configured():
		return
	text = _("Ticket {0}: {1}. Status: {2}.").format(doc.name, doc.subject[:60], _(doc.status))
	frappe.db.after_commit.add(lambda: send(mobile, text))


def send(number: str, text: str) -> None:
	from frappe.core.doctype.sms_settings.sms_settings import send_sms

	try:
		send_sms([number], text, success_msg=False)
	except Exception:
		frappe.log_error(title=_("Support Plus: ticket status SMS not sent"))
