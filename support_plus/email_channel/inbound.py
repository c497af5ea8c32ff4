"""One incoming message on a support Email Account (append to Issue).

Frappe's InboundMail already skips a Message-ID it has seen (the same message delivered twice is one
Communication) and threads a reply onto its ticket by In-Reply-To (a Communication's or a sent email's
Message-ID). SupportInboundMail adds what a helpdesk needs:

- a bounce or auto-reply (automated.py) never opens or reopens a ticket; if it answers a ticket it is kept
  on that ticket's timeline, marked `is_automated`, otherwise it is kept as an unlinked Communication;
- threading by subject only by the ticket number ("Re: ... (#RE00000012)"); Frappe would also attach a new
  message to any ticket of the same sender whose subject contains this one (a "Help" today would land on
  an unrelated ticket from last month);
- a new ticket gets channel Email, the message as its description, its customer and contact matched from
  the sender (any of a Contact's email addresses), and an acknowledgement with its number.
"""

import email
import re

import frappe
from frappe import _
from frappe.email.receive import InboundMail
from frappe.utils import strip_html

from support_plus.email_channel.automated import automated_reason


class SupportInboundMail(InboundMail):
	def __init__(self, *args, **kwargs):
		super().__init__(*args, **kwargs)
		self.automated = automated_reason(self.mail, self.from_email)

	def process(self):
		communication = super().process()
		if self.automated:
			self.flags.is_new_communication = False  # nothing answers a machine
		elif communication and self.flags.new_ticket:
			from support_plus.tickets.notifications import acknowledge

			acknowledge(self.flags.new_ticket, communication)
		return communication

	def as_dict(self):
		data = super().as_dict()
		data["is_automated"] = 1 if self.automated else 0
		return data

	def reference_document(self):
		# The ticket number is looked up here, not in match_record_by_subject_and_sender: Frappe calls that
		# only when the account itself (not its IMAP folder) appends to Issue.
		found = super().reference_document()
		if not found and (name := ticket_number_in(self.subject)):
			self._reference_document = found = frappe.get_doc("Issue", name)
		return found

	def match_record_by_subject_and_sender(self, doctype):
		if doctype != "Issue":
			return super().match_record_by_subject_and_sender(doctype)
		return None  # no subject matching for tickets; the number: reference_document

	def _create_reference_document(self, doctype):
		if self.automated:
			return None
		if doctype != "Issue":
			return super()._create_reference_document(doctype)
		ticket = frappe.get_doc(
			{
				"doctype": "Issue",
				"subject": (strip_html(self.subject or "").strip() or _("(no subject)"))[:140],
				"raised_by": self.from_email,
				"description": self.get_content() or frappe.utils.escape_html(self.text_content or ""),
				"channel": "Email",
				"email_account": self.email_account.name,
				**match_sender(self.from_email),
			}
		)
		ticket.flags.ignore_mandatory = True
		ticket.insert(ignore_permissions=True)
		self.flags.new_ticket = ticket.name
		return ticket.name


def ticket_number_in(subject: str | None) -> str | None:
	"""The existing ticket whose number is in the subject as "#RE00000012"."""
	prefix = frappe.db.get_single_value("Support Plus Settings", "ticket_prefix") or "RE"
	for number in reversed(re.findall(rf"#({re.escape(prefix)}\d+)\b", subject or "")):
		if frappe.db.exists("Issue", number):
			return number
	return None


def match_sender(sender: str) -> dict:
	"""Contact and customer of the sender: any email address of a Contact, primary first."""
	contact = frappe.qb.DocType("Contact")
	contact_email = frappe.qb.DocType("Contact Email")
	rows = (
		frappe.qb.from_(contact_email)
		.join(contact)
		.on(contact.name == contact_email.parent)
		.select(contact.name)
		.where((contact_email.parenttype == "Contact") & (contact_email.email_id == sender))
		.orderby(contact_email.is_primary, order=frappe.qb.desc)
		.orderby(contact.creation)
		.limit(1)
	).run(pluck=True)
	if not rows:
		return {}
	customer = frappe.get_doc("Contact", rows[0]).get_link_for("Customer")
	return {"contact": rows[0], "customer": customer}


def keep_unreadable(account: str, uid, raw, reason: str) -> str:
	"""Keep a message that could not be processed: an Unhandled Email (Frappe's place for them) with the
	exact bytes attached as an .eml file, so it can be read, forwarded or reprocessed; returns its name."""
	raw_bytes = raw if isinstance(raw, bytes) else str(raw).encode("utf-8", "surrogateescape")
	try:
		message_id = str(email.message_from_bytes(raw_bytes).get("Message-ID") or "")[:140]
	except Exception:
		message_id = ""
	unhandled = frappe.get_doc(
		{
			"doctype": "Unhandled Email",
			"email_account": account,
			"uid": uid,
			"reason": reason,
			"message_id": message_id,
			"raw": raw_bytes.decode("utf-8", "replace"),
		}
	).insert(ignore_permissions=True)
	frappe.get_doc(
		{
			"doctype": "File",
			"file_name": f"{unhandled.name}.eml",
			"content": raw_bytes,
			"attached_to_doctype": "Unhandled Email",
			"attached_to_name": unhandled.name,
			"is_private": 1,
		}
	).insert(ignore_permissions=True)
	return unhandled.name
