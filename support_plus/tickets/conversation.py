"""A ticket's conversation: the messages exchanged with the customer, in one query.

Its messages are the ticket's Communications of type Communication (not comments, not notifications),
written by people: bounces and auto-replies (`is_automated`, support_plus.email_channel) are kept on the
desk's timeline but are not part of the conversation. The portal shows it, email threading and the reply
to the last customer message read it; `post_message` adds to it (portal messages, agents' replies, the
demo's conversations).
"""

import frappe
from frappe import _
from frappe.utils import get_fullname


def conversation_query(ticket: str):
	"""The ticket's conversation as a query on Communication (`comm`), oldest first; add what you select."""
	comm = frappe.qb.DocType("Communication")
	return (
		frappe.qb.from_(comm)
		.where(
			(comm.reference_doctype == "Issue")
			& (comm.reference_name == ticket)
			& (comm.communication_type == "Communication")
			& (comm.is_automated == 0)
		)
		.orderby(comm.creation)
		.orderby(comm.name)
	)


def post_message(ticket, content: str, sender: str, *, sent: bool, medium: str = "Email", **values):
	"""A message in the ticket's conversation: from the team (`sent`) or from the customer. The caller
	has checked the sender's right to write on the ticket; Frappe's and our Communication hooks apply
	(a customer's message reopens a ticket or opens a follow-on one)."""
	return frappe.get_doc(
		{
			"doctype": "Communication",
			"communication_type": "Communication",
			"communication_medium": medium,
			"sent_or_received": "Sent" if sent else "Received",
			"subject": _("Re: {0}").format(ticket.subject),
			"sender": sender,
			"sender_full_name": get_fullname(sender),
			"content": content,
			"reference_doctype": "Issue",
			"reference_name": ticket.name,
			**values,
		}
	).insert(ignore_permissions=True)
