"""Phone intake as a Support Agent: the caller found by their number, the ticket raised by the contact (so a
reply reaches them, not the agent), linked to contact and customer, and assigned to the agent."""

import frappe

from support_plus.api import create_phone_ticket, find_callers, reply_to_customer
from support_plus.tests.utils import AGENT, SALES, VIEWER, SupportTestCase, make_customer, make_user


def make_contact(first_name: str, email: str | None, phones: list[str], customers: list[str]) -> str:
	for name in frappe.get_all("Contact", filters={"first_name": first_name}, pluck="name"):
		frappe.delete_doc("Contact", name, ignore_permissions=True, force=True)  # left by an earlier run
	return (
		frappe.get_doc(
			{
				"doctype": "Contact",
				"first_name": first_name,
				"email_ids": [{"email_id": email, "is_primary": 1}] if email else [],
				"phone_nos": [
					{"phone": phone, "is_primary_phone": int(i == 0)} for i, phone in enumerate(phones)
				],
				"links": [{"link_doctype": "Customer", "link_name": c} for c in customers],
			}
		)
		.insert(ignore_permissions=True)
		.name
	)


class TestPhoneIntake(SupportTestCase):
	@classmethod
	def setUpClass(cls):
		# Before FrappeTestCase's commit: a new user made inside a test would commit the test's data.
		cls.tech = make_user("sp-phone-tech@example.com", ["Support Agent", "Service Technician"])
		super().setUpClass()
		cls.customer = make_customer("Phone Intake Dental")
		cls.other_customer = make_customer("Phone Intake Optics")
		cls.uwe = make_contact(
			"Uwe Phonetest", "uwe@phone-intake.example", ["+49 30 5550 1234"], [cls.customer]
		)
		cls.mia = make_contact(
			"Mia Phonetest",
			"mia@phone-intake.example",
			["+1 555 0199", "0171 5550 9876"],
			[cls.other_customer],
		)
		cls.both = make_contact(
			"Bo Phonetest",
			"bo@phone-intake.example",
			["+44 20 5550 4242"],
			[cls.customer, cls.other_customer],
		)
		cls.no_mail = make_contact("Nils Phonetest", None, ["+33 1 5550 7777"], [cls.customer])

	def test_callers_are_found_by_any_of_their_numbers_however_written(self):
		frappe.set_user(AGENT)
		for typed in ("030 55501234", "+49 (30) 5550-1234", "0049 30 5550 1234", "55501234"):
			found = [m["contact"] for m in find_callers(typed)]
			self.assertEqual(found, [self.uwe], typed)
		(match,) = find_callers("+49 171 55509876")  # Mia's second number, the mobile one
		self.assertEqual(
			(match["contact"], match["email_id"], match["customers"]),
			(self.mia, "mia@phone-intake.example", [self.other_customer]),
		)
		self.assertEqual(find_callers("+49 30 9999 0000"), [])
		self.assertRaises(frappe.ValidationError, find_callers, "12")

	def test_only_people_who_open_tickets_look_callers_up(self):
		frappe.set_user(VIEWER)
		self.assertRaises(frappe.PermissionError, find_callers, "030 55501234")

	def test_the_ticket_is_raised_by_the_contact_and_assigned_to_the_agent(self):
		frappe.set_user(AGENT)
		name = create_phone_ticket("Autoclave shows E4", contact=self.uwe, priority="High")
		doc = frappe.get_doc("Issue", name)
		self.assertEqual(
			(doc.channel, doc.contact, doc.customer, doc.raised_by, doc.contact_phone),
			("Phone", self.uwe, self.customer, "uwe@phone-intake.example", "+49 30 5550 1234"),
		)
		self.assertEqual(doc.get_assigned_users(), {AGENT})
		self.assertTrue(
			frappe.db.exists(
				"ToDo",
				{"reference_type": "Issue", "reference_name": name, "allocated_to": AGENT, "status": "Open"},
			)
		)

		# Reply to Customer writes to the contact, not to the agent who typed the ticket.
		comm = frappe.get_doc("Communication", reply_to_customer(name, "We send a technician tomorrow."))
		self.assertEqual(comm.recipients, "uwe@phone-intake.example")
		self.assertNotIn(AGENT, comm.recipients)

	def test_no_reply_goes_to_the_agent_of_a_ticket_without_a_contact(self):
		frappe.set_user(AGENT)
		name = create_phone_ticket("Caller hung up before giving a name", customer=self.customer)
		self.assertIsNone(frappe.db.get_value("Issue", name, "contact"))
		with self.assertRaisesRegex(frappe.ValidationError, "no customer email"):
			reply_to_customer(name, "Who are you?")
		self.assertFalse(
			frappe.db.exists(
				"Communication",
				{"reference_doctype": "Issue", "reference_name": name, "sent_or_received": "Sent"},
			)
		)
		# Once the caller's contact is linked, the reply reaches them.
		frappe.db.set_value("Issue", name, {"contact": self.uwe, "raised_by": "uwe@phone-intake.example"})
		comm = frappe.get_doc("Communication", reply_to_customer(name, "Found you."))
		self.assertEqual(comm.recipients, "uwe@phone-intake.example")

	def test_a_caller_not_on_file_is_added_as_a_contact_of_the_customer(self):
		frappe.set_user(AGENT)
		name = create_phone_ticket(
			"Chair lift stuck",
			customer=self.customer,
			contact_phone="+49 30 5550 8080",
			new_contact_name="Jana Newcaller",
			new_contact_email="Jana@Phone-Intake.example",
		)
		doc = frappe.get_doc("Issue", name)
		self.assertEqual(doc.raised_by, "jana@phone-intake.example")
		contact = frappe.get_doc("Contact", doc.contact)
		self.assertEqual((contact.first_name, contact.last_name), ("Jana", "Newcaller"))
		self.assertEqual(
			[(l.link_doctype, l.link_name) for l in contact.links], [("Customer", self.customer)]
		)
		self.assertEqual([p.phone for p in contact.phone_nos], ["+49 30 5550 8080"])
		# The next call from that number finds her; the same email again is the same contact.
		self.assertIn(contact.name, [c["contact"] for c in find_callers("030 5550 8080")])
		again = create_phone_ticket(
			"Chair lift stuck again",
			customer=self.customer,
			new_contact_name="Jana N.",
			new_contact_email="jana@phone-intake.example",
		)
		self.assertEqual(frappe.db.get_value("Issue", again, "contact"), contact.name)

	def test_a_new_caller_needs_a_name_an_email_and_a_customer(self):
		frappe.set_user(AGENT)
		before = (frappe.db.count("Contact"), frappe.db.count("Issue"))
		for kwargs in (
			{"customer": self.customer, "new_contact_name": "No Mail"},
			{"customer": self.customer, "new_contact_name": "Bad Mail", "new_contact_email": "not-an-email"},
			{"new_contact_name": "No Customer", "new_contact_email": "nocust@phone-intake.example"},
		):
			with self.assertRaises(frappe.ValidationError, msg=kwargs):
				create_phone_ticket("Caller without details", **kwargs)
		self.assertEqual((frappe.db.count("Contact"), frappe.db.count("Issue")), before)

	def test_an_agent_with_a_technician_profile_is_assigned_too(self):
		# The ToDo guard (support_plus.dispatch.assignment) and the load counter see this assignment too.
		user = self.tech
		for existing in frappe.get_all("Service Technician", filters={"user": user}, pluck="name"):
			frappe.delete_doc("Service Technician", existing, ignore_permissions=True, force=True)
		profile = frappe.get_doc(
			{"doctype": "Service Technician", "user": user, "full_name": "Phone Tech", "capacity": 5}
		).insert(ignore_permissions=True)
		frappe.set_user(user)
		name = create_phone_ticket("Handpiece squeals", contact=self.uwe)
		self.assertEqual(frappe.get_doc("Issue", name).get_assigned_users(), {user})
		self.assertEqual(frappe.db.get_value("Service Technician", profile.name, "open_tickets"), 1)

		frappe.set_user("Administrator")
		profile.db_set("status", "Inactive")
		frappe.set_user(user)
		count = frappe.db.count("Issue")
		self.assertRaisesRegex(
			frappe.ValidationError, "Inactive", create_phone_ticket, "Not while inactive", contact=self.uwe
		)
		self.assertEqual(frappe.db.count("Issue"), count)  # the API request is rolled back as a whole

	def test_a_customer_with_several_accounts_is_chosen(self):
		frappe.set_user(AGENT)
		self.assertRaisesRegex(
			frappe.ValidationError, "several customers", create_phone_ticket, "Which one?", contact=self.both
		)
		name = create_phone_ticket("Optics branch", contact=self.both, customer=self.other_customer)
		self.assertEqual(frappe.db.get_value("Issue", name, "customer"), self.other_customer)

	def test_bad_callers_are_refused_and_nothing_is_saved(self):
		frappe.set_user(AGENT)
		count = frappe.db.count("Issue")
		self.assertRaisesRegex(
			frappe.ValidationError,
			"is not a contact of customer",
			create_phone_ticket,
			"Wrong customer",
			contact=self.mia,
			customer=self.customer,
		)
		self.assertRaises(frappe.DoesNotExistError, create_phone_ticket, "Ghost", contact="No Such Contact")
		self.assertRaisesRegex(
			frappe.ValidationError,
			"has no email address",
			create_phone_ticket,
			"No mail",
			contact=self.no_mail,
		)
		self.assertEqual(frappe.db.count("Issue"), count)

	def test_a_sales_user_looks_up_with_erpnexts_contact_rights(self):
		frappe.set_user(SALES)
		self.assertEqual([m["contact"] for m in find_callers("030 55501234")], [self.uwe])
