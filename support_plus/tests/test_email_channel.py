"""The email channel: raw RFC 822 messages through the receive path Frappe's scheduler uses
(SupportEmailAccount.process_mails over parse_messages; the IMAP/SMTP round trip is in
test_email_loopback.py), and the customer emails of a ticket."""

import email
import email.policy
from email.message import EmailMessage
from email.utils import make_msgid

import frappe
from frappe.desk.form import assign_to

from support_plus.api import reply_to_customer
from support_plus.tests.utils import AGENT, SupportTestCase, make_customer, make_user
from support_plus.tickets import email_templates

DOMAIN = "mail-channel.example"
ACCOUNT = "SP Test Helpdesk Inbox"
SUPPORT_ADDRESS = "helpdesk@sp-inbox.example"
BUYER = f"buyer@{DOMAIN}"  # the second address of the contact below
CUSTOMER = "Mail Channel Customer"


def raw_email(subject, sender=BUYER, body="Hello support", message_id=None, headers=None) -> bytes:
	msg = EmailMessage()
	msg["From"] = sender
	msg["To"] = SUPPORT_ADDRESS
	msg["Subject"] = subject
	msg["Message-ID"] = message_id or make_msgid(domain=DOMAIN)
	for name, value in (headers or {}).items():
		msg[name] = value
	msg.set_content(body)
	return msg.as_bytes()


def message_id_of(raw: bytes) -> str:
	return email.message_from_bytes(raw)["Message-ID"].strip("<>")


def queued_for(ticket: str) -> list[dict]:
	"""The emails queued about a ticket, oldest first, with their parsed headers."""
	rows = frappe.get_all(
		"Email Queue",
		filters={"reference_doctype": "Issue", "reference_name": ticket},
		fields=["name", "message", "communication"],
		order_by="creation asc",
	)
	for row in rows:
		row.mail = email.message_from_string(row.message, policy=email.policy.default)
		row.recipients = frappe.get_all(
			"Email Queue Recipient", filters={"parent": row.name}, pluck="recipient"
		)
	return rows


def tickets_from(sender: str) -> list[str]:
	return frappe.get_all("Issue", filters={"raised_by": sender}, pluck="name", order_by="creation asc")


def delete_ticket_and_mail(name: str) -> None:
	"""A test ticket with its messages, queued emails, assignments and unsubscribes."""
	queued = frappe.get_all(
		"Email Queue", filters={"reference_doctype": "Issue", "reference_name": name}, pluck="name"
	)
	if queued:
		frappe.db.delete("Email Queue Recipient", {"parent": ("in", queued)})
		frappe.db.delete("Email Queue", {"name": ("in", queued)})
	frappe.db.delete("Communication", {"reference_doctype": "Issue", "reference_name": name})
	frappe.db.delete("ToDo", {"reference_type": "Issue", "reference_name": name})
	frappe.db.delete("Email Unsubscribe", {"reference_doctype": "Issue", "reference_name": name})
	frappe.delete_doc("Issue", name, force=True, ignore_permissions=True)


def cleanup_mail_test_data() -> None:
	for name in frappe.get_all("Issue", filters={"raised_by": ("like", f"%@{DOMAIN}")}, pluck="name"):
		delete_ticket_and_mail(name)
	frappe.db.delete("Communication", {"sender": ("like", f"%@{DOMAIN}")})
	frappe.db.delete("Communication", {"sender": ("like", "mailer-daemon@%")})
	for name in frappe.get_all("Unhandled Email", filters={"email_account": ACCOUNT}, pluck="name"):
		frappe.delete_doc("Unhandled Email", name, force=True, ignore_permissions=True)
	frappe.db.commit()  # nosemgrep: the receive path commits each message; so does the cleanup


class EmailChannelTestCase(SupportTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cleanup_mail_test_data()
		make_customer(CUSTOMER)
		if not frappe.db.exists("Contact Email", {"email_id": BUYER}):
			frappe.get_doc(
				{
					"doctype": "Contact",
					"first_name": "Bea",
					"last_name": "Buyer",
					"email_ids": [
						{"email_id": f"office@{DOMAIN}", "is_primary": 1},
						{"email_id": BUYER, "is_primary": 0},
					],
					"links": [{"link_doctype": "Customer", "link_name": CUSTOMER}],
				}
			).insert(ignore_permissions=True)
		cls.contact = frappe.db.get_value("Contact Email", {"email_id": BUYER}, "parent")
		if not frappe.db.exists("Email Account", ACCOUNT):
			frappe.get_doc(
				{
					"doctype": "Email Account",
					"email_account_name": ACCOUNT,
					"email_id": SUPPORT_ADDRESS,
					"password": "not-used",
					"enable_incoming": 1,
					"use_imap": 0,
					"email_server": "127.0.0.1",
					"append_to": "Issue",
				}
			).insert(ignore_permissions=True)
		make_user(AGENT, ["Support Agent"], first_name="Mia")
		frappe.db.set_value("User", AGENT, "first_name", "Mia")
		frappe.db.commit()  # nosemgrep

	def tearDown(self):
		super().tearDown()
		frappe.db.rollback()
		cleanup_mail_test_data()

	def receive(self, *raws: bytes) -> None:
		"""What the scheduler's pull does with the messages a server returned."""
		account = frappe.get_doc("Email Account", ACCOUNT)
		account.process_mails(account.parse_messages({"latest_messages": list(raws)}, "Issue"))


class TestIncomingEmail(EmailChannelTestCase):
	def test_the_account_class_is_support_plus(self):
		from support_plus.overrides.email_account import SupportEmailAccount

		self.assertIsInstance(frappe.get_doc("Email Account", ACCOUNT), SupportEmailAccount)

	def test_a_new_email_opens_a_ticket_and_is_acknowledged_once(self):
		first = raw_email("Espresso machine leaks", body="Water under the machine since Monday.")
		self.receive(first)
		self.receive(first)  # delivered twice (same Message-ID)

		[ticket] = tickets_from(BUYER)
		doc = frappe.get_doc("Issue", ticket)
		self.assertEqual((doc.channel, doc.contact, doc.customer), ("Email", self.contact, CUSTOMER))
		self.assertIn("Water under the machine", doc.description)
		self.assertEqual(doc.email_account, ACCOUNT)
		messages = frappe.get_all("Communication", filters={"reference_name": ticket}, pluck="message_id")
		self.assertEqual(messages, [message_id_of(first)])

		[ack] = queued_for(ticket)
		self.assertEqual(ack.recipients, [BUYER])
		self.assertIn(f"(#{ticket})", ack.mail["Subject"])
		self.assertIn(f"/support/tickets/{ticket}", ack.message)
		self.assertEqual(ack.mail["In-Reply-To"], f"<{message_id_of(first)}>")
		self.assertIn(f"<{message_id_of(first)}>", ack.mail["References"])

	def test_replies_thread_by_headers_or_ticket_number_never_by_a_similar_subject(self):
		first = raw_email("Printer offline")
		self.receive(first)
		[ticket] = tickets_from(BUYER)
		ack_id = queued_for(ticket)[0].mail["Message-ID"]

		by_header = raw_email("Re: something else entirely", headers={"In-Reply-To": ack_id})
		by_number = raw_email(f"Re: Ticket {ticket} received: Printer offline (#{ticket})")
		same_subject = raw_email("Printer offline")  # a new problem, weeks later
		self.receive(by_header, by_number, same_subject)

		tickets = tickets_from(BUYER)
		self.assertEqual(len(tickets), 2, "only the unthreaded message opens a ticket")
		self.assertEqual(
			set(frappe.get_all("Communication", filters={"reference_name": ticket}, pluck="message_id")),
			{message_id_of(first), message_id_of(by_header), message_id_of(by_number)},
		)

	def test_bounces_and_auto_replies_open_nothing_and_get_no_answer(self):
		bounce = (
			b"From: MAILER-DAEMON@mx.mail-channel.example\r\nTo: helpdesk@sp-inbox.example\r\n"
			b"Subject: Undelivered Mail Returned to Sender\r\nMessage-ID: <bounce-1@mx.mail-channel.example>\r\n"
			b'MIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=delivery-status; boundary="b1"\r\n'
			b"\r\n--b1\r\nContent-Type: text/plain\r\n\r\nYour message could not be delivered.\r\n"
			b"--b1\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx\r\n\r\n"
			b"Final-Recipient: rfc822; gone@elsewhere.example\r\nAction: failed\r\nStatus: 5.1.1\r\n--b1--\r\n"
		)
		automated = [
			bounce,
			raw_email("Out of office", sender=f"away@{DOMAIN}", headers={"Auto-Submitted": "auto-replied"}),
			raw_email("Newsletter", sender=f"news@{DOMAIN}", headers={"Precedence": "bulk"}),
			raw_email("Re: your mail", sender=f"robot@{DOMAIN}", headers={"X-Autoreply": "yes"}),
		]
		self.receive(*automated)

		self.assertEqual(frappe.get_all("Issue", filters={"raised_by": ("like", f"%{DOMAIN}")}), [])
		kept = frappe.get_all(
			"Communication",
			filters={"message_id": ("in", [message_id_of(raw) for raw in automated])},
			fields=["is_automated", "reference_name"],
		)
		self.assertEqual(len(kept), 4, "every message is kept")
		self.assertTrue(all(row.is_automated and not row.reference_name for row in kept))
		self.assertFalse(frappe.db.exists("Email Queue Recipient", {"recipient": ("like", f"%{DOMAIN}")}))

	def test_an_auto_reply_on_a_ticket_neither_reopens_it_nor_is_answered(self):
		self.receive(raw_email("Coffee grinder noise"))
		[ticket] = tickets_from(BUYER)
		frappe.set_user(AGENT)
		reply = reply_to_customer(ticket, "<p>Please send a photo of the burrs.</p>")
		frappe.set_user("Administrator")
		self.assertEqual(frappe.db.get_value("Issue", ticket, "status"), "Replied")
		queued = len(queued_for(ticket))

		agent_message = frappe.db.get_value("Communication", reply, "message_id")
		out_of_office = raw_email(
			"Automatic reply: Coffee grinder noise",
			headers={"Auto-Submitted": "auto-replied", "In-Reply-To": f"<{agent_message}>"},
		)
		self.receive(out_of_office)
		self.assertEqual(
			frappe.db.get_value(
				"Communication", {"message_id": message_id_of(out_of_office)}, "reference_name"
			),
			ticket,
			"kept on the ticket's timeline",
		)
		self.assertEqual(frappe.db.get_value("Issue", ticket, ["status", "reopen_count"]), ("Replied", 0))
		self.assertEqual(len(queued_for(ticket)), queued)

		self.receive(raw_email("Re: Coffee grinder noise", headers={"In-Reply-To": f"<{agent_message}>"}))
		self.assertEqual(frappe.db.get_value("Issue", ticket, "status"), "Open", "a person's answer does")

	def test_an_unreadable_message_is_kept_with_its_exact_bytes(self):
		unreadable = (
			b"From: =?x-no-such-charset?q?M=FCller?= <mueller@mail-channel.example>\r\n"
			b"To: helpdesk@sp-inbox.example\r\nSubject: Broken\r\nMessage-ID: <broken-1@mail-channel.example>\r\n"
			b"\r\nGr\xfc\xdfe, the display is dark.\r\n"
		)
		undeclared_latin1 = (
			b"From: kunde@mail-channel.example\r\nTo: helpdesk@sp-inbox.example\r\nSubject: Display\r\n"
			b"Message-ID: <latin1-1@mail-channel.example>\r\n\r\nGr\xfc\xdfe, das Display bleibt dunkel.\r\n"
		)
		self.receive(unreadable, undeclared_latin1)

		unhandled = frappe.get_all(
			"Unhandled Email", filters={"email_account": ACCOUNT}, fields=["name", "message_id", "reason"]
		)
		self.assertEqual(len(unhandled), 1)
		self.assertIn("broken-1@mail-channel.example", unhandled[0].message_id)
		self.assertIn("LookupError", unhandled[0].reason)
		eml = frappe.get_doc(
			"File", {"attached_to_doctype": "Unhandled Email", "attached_to_name": unhandled[0].name}
		)
		self.assertEqual(eml.get_content(), unreadable)
		self.assertEqual(len(tickets_from("kunde@mail-channel.example")), 1, "odd but readable: a ticket")


class TestCustomerEmails(EmailChannelTestCase):
	def setUp(self):
		self.receive(raw_email("Milk frother broken"))
		[self.ticket] = tickets_from(BUYER)
		self.sent = len(queued_for(self.ticket))  # the acknowledgement

	def new_emails(self) -> list[dict]:
		emails = queued_for(self.ticket)[self.sent :]
		self.sent += len(emails)
		return emails

	def set_status(self, status, user=AGENT):
		frappe.set_user(user)
		doc = frappe.get_doc("Issue", self.ticket)
		doc.status = status
		doc.save(ignore_permissions=user == BUYER)
		frappe.set_user("Administrator")

	def test_status_change_assignment_and_public_reply(self):
		self.set_status("In Progress")
		[status] = self.new_emails()
		self.assertIn("In Progress", status.mail["Subject"])
		self.assertIn(f"/support/tickets/{self.ticket}", status.message)
		self.assertIn("unsubscribe", status.message.lower())

		assign_to.add({"doctype": "Issue", "name": self.ticket, "assign_to": [AGENT]})
		[assigned] = self.new_emails()
		self.assertIn("Mia", assigned.mail["Subject"])
		self.assertEqual(assigned.recipients, [BUYER])

		frappe.set_user(AGENT)
		reply = reply_to_customer(self.ticket, "<p>A new frother is on its way.</p>")
		frappe.set_user("Administrator")
		[public] = self.new_emails()
		self.assertEqual(public.communication, reply)
		self.assertIn("A new frother is on its way.", public.message)
		self.assertEqual(
			public.mail["Message-ID"], f"<{frappe.db.get_value('Communication', reply, 'message_id')}>"
		)
		first = frappe.db.get_value(
			"Communication", {"reference_name": self.ticket, "sent_or_received": "Received"}, "message_id"
		)
		self.assertEqual(public.mail["In-Reply-To"], f"<{first}>", "answers the customer's message")

		self.set_status("Replied")  # comes with the reply itself: no email of its own
		self.assertEqual(self.new_emails(), [])

	def test_an_answer_from_the_desks_email_composer_makes_the_ticket_replied(self):
		"""The desk's timeline -> New Email is Frappe's communication.email.make; only a person's answer to
		the customer counts, as with Reply to Customer."""
		from frappe.core.doctype.communication.email import make

		def write(recipients, content, **kwargs):
			return make(
				doctype="Issue",
				name=self.ticket,
				recipients=recipients,
				subject=f"Re: {self.ticket}",
				content=content,
				send_email=1,
				**kwargs,
			)["name"]

		frappe.set_user(AGENT)
		write(BUYER, "<p>Your ticket is being looked at.</p>", communication_type="Automated Message")
		write("Parts Desk <parts@supplier.example>", "<p>Do you have a frother in stock?</p>")
		self.assertEqual(frappe.db.get_value("Issue", self.ticket, "status"), "Open", "no answer yet")
		answer = write(f"Bea Buyer <{BUYER}>", "<p>Try the other outlet.</p>")
		frappe.set_user("Administrator")
		self.assertEqual(frappe.db.get_value("Issue", self.ticket, "status"), "Replied")
		self.assertIn(answer, {row.communication for row in self.new_emails()}, "emailed to the customer")

		answered = frappe.db.get_value("Communication", answer, "message_id")
		self.receive(raw_email("Re: Milk frother broken", headers={"In-Reply-To": f"<{answered}>"}))
		self.assertEqual(frappe.db.get_value("Issue", self.ticket, "status"), "Open")

	def test_no_email_about_the_customers_own_change(self):
		frappe.db.set_value("Issue", self.ticket, "status", "Pending Customer")
		self.set_status("On Hold", user=BUYER)
		self.assertEqual(self.new_emails(), [])

	def test_unsubscribed_customers_get_no_notifications(self):
		frappe.get_doc(
			{
				"doctype": "Email Unsubscribe",
				"email": BUYER,
				"reference_doctype": "Issue",
				"reference_name": self.ticket,
			}
		).insert(ignore_permissions=True)
		self.set_status("In Progress")
		self.assertEqual(self.new_emails(), [])

	def test_a_contact_marked_unsubscribed_gets_none_at_any_of_its_addresses(self):
		frappe.db.set_value("Contact", self.contact, "unsubscribed", 1)  # BUYER is its second address
		try:
			self.set_status("In Progress")
			self.assertEqual(self.new_emails(), [])
		finally:
			frappe.db.set_value("Contact", self.contact, "unsubscribed", 0)

	def test_each_kind_can_be_switched_off(self):
		frappe.db.set_single_value("Support Plus Settings", "notify_customer_status_change", 0)
		try:
			self.set_status("Pending Parts")
			self.assertEqual(self.new_emails(), [])
		finally:
			frappe.db.set_single_value("Support Plus Settings", "notify_customer_status_change", 1)

	def test_templates_are_editable_email_templates(self):
		for name in (
			email_templates.ACKNOWLEDGEMENT,
			email_templates.STATUS_CHANGED,
			email_templates.ASSIGNED,
			email_templates.PUBLIC_REPLY,
		):
			self.assertTrue(frappe.db.exists("Email Template", name), name)
		template = frappe.get_doc("Email Template", email_templates.STATUS_CHANGED)
		template.response_html = "<p>Edited: {{ doc.name }} is {{ doc.status }} {{ portal_link }}</p>"
		template.save()
		self.set_status("On Hold")
		[edited] = self.new_emails()
		self.assertIn(f"Edited: {self.ticket} is On Hold", edited.message)

	def test_without_an_outgoing_account_the_agent_is_told(self):
		def not_emailed_messages():
			return [m.message for m in frappe.local.message_log if m.get("title") == "Not Emailed"]

		frappe.local.message_log = []
		frappe.set_user(AGENT)
		reply_to_customer(self.ticket, "<p>We ordered the part.</p>")
		self.set_status("In Progress")
		self.assertEqual(not_emailed_messages(), [], "with an account nothing is said")
		self.assertEqual(len(self.new_emails()), 2)

		frappe.db.set_value("Email Account", {"default_outgoing": 1}, "enable_outgoing", 0)
		try:
			frappe.set_user(AGENT)
			reply_to_customer(self.ticket, "<p>The part arrives on Monday.</p>")
			self.set_status("Pending Parts")
			self.assertEqual(self.new_emails(), [])
			[told] = not_emailed_messages()  # once per request, however many emails were not sent
			self.assertIn(BUYER, told)
			self.assertIn("no outgoing email account", told)
		finally:
			frappe.db.set_value("Email Account", {"default_outgoing": 1}, "enable_outgoing", 1)
			frappe.local.message_log = []

	def test_only_staff_with_write_access_reply(self):
		frappe.set_user("Guest")
		self.assertRaises(frappe.PermissionError, reply_to_customer, self.ticket, "hi")
		frappe.set_user("Administrator")
		self.assertRaises(frappe.MandatoryError, reply_to_customer, self.ticket, "<p> </p>")
