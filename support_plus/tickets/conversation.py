"""A ticket's conversation: the messages exchanged with the customer, in one query.

Its messages are the ticket's Communications of type Communication (not comments, not notifications),
written by people: bounces and auto-replies (`is_automated`, support_plus.email_channel) are kept on the
desk's timeline but are not part of the conversation. The portal shows it, email threading and the reply
to the last customer message read it.
"""

import frappe


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
