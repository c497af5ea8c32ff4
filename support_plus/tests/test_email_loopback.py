"""End to end on real mail servers (tests/mail_servers.py): a customer's email reaches dovecot, the Email
Account polls it over IMAP and opens a ticket; the agent answers with Frappe's email composer, the answer
leaves over SMTP with In-Reply-To/References pointing at the customer's message; the customer's reply
(threaded by those headers only) lands on the same ticket; an out-of-office answers nothing."""

from email.message import EmailMessage
from email.utils import make_msgid

import frappe
from frappe.core.doctype.communication.email import make

from support_plus.tests.mail_servers import PASSWORD, Dovecot, SmtpSink
from support_plus.tests.test_email_channel import delete_ticket_and_mail, queued_for
from support_plus.tests.utils import AGENT, SupportTestCase

ACCOUNT = "SP Loopback Helpdesk"
HELPDESK = "helpdesk@sp-loopback.example"
CUSTOMER = "carla@loopback-customer.example"


def customer_email(subject, body, **headers) -> tuple[bytes, str]:
	msg = EmailMessage()
	msg["From"] = f"Carla Customer <{CUSTOMER}>"
	msg["To"] = HELPDESK
	msg["Subject"] = subject
	msg["Message-ID"] = message_id = make_msgid(domain="loopback-customer.example")
	for name, value in headers.items():
		msg[name.replace("_", "-")] = value
	msg.set_content(body)
	return msg.as_bytes(), message_id


def forget_outgoing_accounts():
	"""Frappe caches the outgoing account per request (frappe.local); a test process is one long request."""
	frappe.local.outgoing_email_account = {}


class TestEmailOverLoopbackServers(SupportTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		if not Dovecot.available():
			raise AssertionError("dovecot is not installed: ./scripts/setup.sh installs dovecot-imapd")
		cls.imap = Dovecot().start()
		cls.smtp = SmtpSink()
		cls.cleanup()
		frappe.get_doc(
			{
				"doctype": "Email Account",
				"email_account_name": ACCOUNT,
				"email_id": HELPDESK,
				"password": PASSWORD,
				"enable_incoming": 1,
				"use_imap": 1,
				"email_server": "127.0.0.1",
				"incoming_port": cls.imap.port,
				"use_ssl": 0,
				"email_sync_option": "UNSEEN",
				"imap_folder": [{"folder_name": "INBOX", "append_to": "Issue"}],
				"append_to": "Issue",  # Frappe sends a ticket's emails through the account appending to Issue
				"enable_outgoing": 1,
				"smtp_server": "127.0.0.1",
				"smtp_port": cls.smtp.port,
				"use_tls": 0,
			}
		).insert(ignore_permissions=True)
		frappe.db.commit()  # nosemgrep: mail is received and sent in committed steps
		forget_outgoing_accounts()

	@classmethod
	def tearDownClass(cls):
		frappe.flags.testing_email = False
		frappe.db.rollback()
		cls.cleanup()
		forget_outgoing_accounts()
		cls.imap.stop()
		cls.smtp.stop()
		super().tearDownClass()

	@classmethod
	def cleanup(cls):
		for name in frappe.get_all("Issue", filters={"raised_by": CUSTOMER}, pluck="name"):
			delete_ticket_and_mail(name)
		frappe.db.delete("Communication", {"email_account": ACCOUNT})
		if frappe.db.exists("Email Account", ACCOUNT):
			frappe.delete_doc("Email Account", ACCOUNT, force=True, ignore_permissions=True)
		frappe.db.commit()  # nosemgrep

	def poll(self):
		"""What the scheduler's email pull does for this account."""
		frappe.get_doc("Email Account", ACCOUNT).receive()

	def send_queue(self, ticket):
		"""What the scheduler's email flush does, for this ticket's queued emails."""
		frappe.flags.testing_email = True  # Frappe's queue skips the SMTP session in tests otherwise
		try:
			for row in queued_for(ticket):
				frappe.get_doc("Email Queue", row.name).send()
		finally:
			frappe.flags.testing_email = False

	def test_customer_agent_customer_in_one_thread(self):
		first, first_id = customer_email("Dishwasher shows E24", "It stops after ten minutes.")
		self.imap.deliver(HELPDESK, first)
		self.poll()
		[ticket] = frappe.get_all("Issue", filters={"raised_by": CUSTOMER}, pluck="name")
		self.assertEqual(frappe.db.get_value("Issue", ticket, "channel"), "Email")

		frappe.set_user(AGENT)
		reply = make(
			doctype="Issue",
			name=ticket,
			subject=f"Re: Dishwasher shows E24 (#{ticket})",
			content="<p>Please clean the drain filter and restart it.</p>",
			recipients=CUSTOMER,
			send_email=True,
		)["name"]
		frappe.set_user("Administrator")
		self.send_queue(ticket)

		sent = {msg["Message-ID"]: msg for msg in self.smtp.wait_for(2)}
		reply_id = f"<{frappe.db.get_value('Communication', reply, 'message_id')}>"
		self.assertIn(reply_id, sent, "the agent's reply carries its own Message-ID")
		answer = sent[reply_id]
		# (Frappe folds long headers onto a second line: compare the unfolded values.)
		self.assertEqual(answer["In-Reply-To"].strip(), first_id)
		self.assertIn(first_id, answer["References"].split())
		self.assertEqual(answer["To"], CUSTOMER)
		acknowledgement = next(msg for key, msg in sent.items() if key != reply_id)
		self.assertIn(f"#{ticket}", acknowledgement["Subject"])
		self.assertEqual(acknowledgement["In-Reply-To"].strip(), first_id)

		# The customer's client answers with the headers only (a new subject, no ticket number).
		second, second_id = customer_email(
			"Still beeping",
			"Filter cleaned, still E24.",
			In_Reply_To=reply_id,
			References=f"{first_id} {reply_id}",
		)
		out_of_office, _ = customer_email(
			"Automatic reply: Still beeping", "I am away.", Auto_Submitted="auto-replied"
		)
		self.imap.deliver(HELPDESK, second)
		self.imap.deliver(HELPDESK, out_of_office)
		self.poll()
		self.poll()  # polling again finds nothing new to do

		self.assertEqual(frappe.get_all("Issue", filters={"raised_by": CUSTOMER}, pluck="name"), [ticket])
		thread = frappe.get_all(
			"Communication",
			filters={"reference_doctype": "Issue", "reference_name": ticket},
			fields=["message_id", "sent_or_received"],
			order_by="creation asc",
		)
		self.assertEqual(
			[(f"<{row.message_id}>", row.sent_or_received) for row in thread],
			[(first_id, "Received"), (reply_id, "Sent"), (second_id, "Received")],
		)
		self.assertEqual(frappe.db.get_value("Issue", ticket, "status"), "Open")
		before = len(self.smtp.messages)
		self.send_queue(ticket)
		self.assertEqual(len(self.smtp.messages), before, "nothing answers the out-of-office")
