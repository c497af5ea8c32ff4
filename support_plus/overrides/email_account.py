"""The Email Account class support_plus installs (hooks.py, override_doctype_class).

Frappe's EmailAccount creates the ticket for a new message inside InboundMail before any hook can see the
message's headers, so a bounce would already be a ticket when an Issue or Communication hook runs. This
class pulls mail exactly as Frappe does but
- builds SupportInboundMail (inbound.py) for accounts and IMAP folders that append to Issue;
- keeps a message that cannot be parsed or processed, with its raw bytes (inbound.keep_unreadable), for
  POP3 accounts too; Frappe keeps IMAP ones only, and one unparsable message made it drop the whole batch;
- never answers an automated message (no auto-reply, no notification of the thread's participants).
Accounts that do not append to Issue get Frappe's InboundMail and Frappe's behaviour otherwise.
"""

import frappe
from frappe import _
from frappe.email.doctype.email_account.email_account import EmailAccount, SentEmailInInboxError
from frappe.email.receive import InboundMail

from support_plus.email_channel.inbound import SupportInboundMail, keep_unreadable

TICKETS = "Issue"


class SupportEmailAccount(EmailAccount):
	def receive(self):
		"""Called by the scheduler (email_account.pull) and the form's "Pull Emails"."""
		self.process_mails(self.get_inbound_mails())

	def process_mails(self, mails: list[InboundMail]) -> None:
		"""Each mail in its own transaction; a mail that fails is kept (handle_bad_emails), the rest go on."""
		exceptions = []
		for mail in mails:
			try:
				communication = mail.process()
				frappe.db.commit()
				if communication and mail.flags.is_new_communication:
					if self.enable_auto_reply:
						self.send_auto_reply(communication, mail)
					communication.send_email(is_inbound_mail_communcation=True)
			except SentEmailInInboxError:
				frappe.db.rollback()
			except Exception:
				frappe.db.rollback()
				exceptions.append(frappe.get_traceback())
				self.log_error(title="EmailAccount.receive")
				self.handle_bad_emails(mail.uid, mail.raw_message, exceptions[-1])
			frappe.db.commit()
		if exceptions:
			raise Exception(frappe.as_json(exceptions))

	def get_inbound_mails(self) -> list[InboundMail]:
		if not self.enable_incoming:
			return []
		mails = []
		try:
			server = self.get_incoming_server(in_receive=True, email_sync_rule=self.build_email_sync_rule())
			if self.use_imap:
				for folder in self.imap_folder:
					if server.select_imap_folder(folder.folder_name):
						server.settings["uid_validity"] = folder.uidvalidity
						messages = server.get_messages(folder=f'"{folder.folder_name}"') or {}
						mails.extend(self.parse_messages(messages, folder.append_to))
			else:
				mails.extend(self.parse_messages(server.get_messages() or {}, self.append_to))
			server.logout()
		except Exception:
			# Messages already fetched are marked seen on the server: process them, do not drop them.
			self.log_error(title=_("Error while connecting to email account {0}").format(self.name))
		return mails

	def parse_messages(self, messages: dict, append_to: str | None) -> list[InboundMail]:
		mail_class = SupportInboundMail if append_to == TICKETS else InboundMail
		mails = []
		for index, raw in enumerate(messages.get("latest_messages", [])):
			uid = messages["uid_list"][index] if messages.get("uid_list") else None
			seen_status = messages.get("seen_status", {}).get(uid)
			if self.email_sync_option == "UNSEEN" and seen_status == "SEEN":
				continue
			try:
				mails.append(mail_class(raw, self, frappe.safe_decode(uid), seen_status, append_to))
			except Exception:
				frappe.db.rollback()
				self.log_error(title="EmailAccount.receive")
				self.handle_bad_emails(uid, raw, frappe.get_traceback())
				frappe.db.commit()
		return mails

	def handle_bad_emails(self, uid, raw, reason):
		try:
			keep_unreadable(self.name, frappe.safe_decode(uid) if uid else None, raw, reason)
		except Exception:
			frappe.db.rollback()
			self.log_error(title=_("Could not keep an unreadable email"))
		else:
			frappe.db.commit()
