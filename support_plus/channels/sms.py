"""SMS status updates through Frappe's SMS Settings, for the contacts who opted in (Contact's "Ticket
Updates by SMS"): "your ticket is now In Progress", and the like. Frappe sends the SMS through the
configured gateway and keeps an SMS Log; nothing is sent when no gateway is set up."""

import frappe
from frappe import _

from support_plus.channels.whatsapp.outbound import NOTIFY_STATUSES
from support_plus.utils import sms


def on_status_change(doc, method=None) -> None:
	"""Issue `on_update`: text an opted-in contact about their ticket's new status, after the commit."""
	before = doc.get_doc_before_save()
	if not before or before.status == doc.status or doc.status not in NOTIFY_STATUSES or not doc.contact:
		return
	opted_in, mobile = frappe.db.get_value("Contact", doc.contact, ["sms_status_updates", "mobile_no"]) or (
		0,
		None,
	)
	if not opted_in or not mobile or not sms.configured():
		return
	text = _("Ticket {0}: {1}. Status: {2}.").format(doc.name, doc.subject[:60], _(doc.status))
	sms.send_after_commit(mobile, text, "Support Plus: ticket status SMS not sent")
