"""Opening tickets from a project and by phone; changing many tickets at once."""

import frappe
from frappe.desk.form.assign_to import add as add_assignment

from support_plus.api import bulk_update, create_phone_ticket, create_ticket_from_project
from support_plus.dispatch.load import recount
from support_plus.tests.dispatch_fixtures import counter, ensure_tech_users, make_technician, open_todos
from support_plus.tests.test_ticket_permissions import make_project
from support_plus.tests.utils import AGENT, SALES, VIEWER, SupportTestCase, make_customer, make_user
from support_plus.tickets import bulk


def ticket(subject="Bulk test", status="Open"):
	doc = frappe.get_doc({"doctype": "Issue", "subject": subject}).insert()
	if status != "Open":
		doc.status = status
		doc.save()
	return doc.name


class TestIntake(SupportTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.customer = make_customer("Intake Test Customer")
		cls.project = make_project("SP Intake Project", cls.customer, [SALES])
		cls.other_project = make_project("SP Intake Other Project", cls.customer, [])

	def test_ticket_from_project_takes_its_customer(self):
		name = create_ticket_from_project(self.project, "Site visit needed", "The gate controller is dead")
		doc = frappe.get_doc("Issue", name)
		self.assertRegex(name, r"^RE\d{8}$")
		self.assertEqual(
			(doc.project, doc.customer, doc.subject), (self.project, self.customer, "Site visit needed")
		)

	def test_project_ticket_follows_the_sales_row_rule(self):
		frappe.set_user(SALES)
		self.assertTrue(create_ticket_from_project(self.project, "From my project"))
		self.assertRaises(frappe.PermissionError, create_ticket_from_project, self.other_project, "Not mine")
		self.assertRaises(frappe.DoesNotExistError, create_ticket_from_project, "No Such Project", "x")

	def test_phone_ticket_is_saved_with_little(self):
		frappe.set_user(AGENT)
		name = create_phone_ticket(
			"Printer offline", customer=self.customer, contact_phone="+1 555 0100", priority="High"
		)
		doc = frappe.get_doc("Issue", name)
		self.assertEqual(
			(doc.channel, doc.contact_phone, doc.priority, doc.customer),
			("Phone", "+1 555 0100", "High", self.customer),
		)
		self.assertRaises(frappe.ValidationError, create_phone_ticket, "  ")
		self.assertRaises(
			frappe.ValidationError, create_phone_ticket, "Bad number", contact_phone="call me maybe"
		)


class TestBulkUpdate(SupportTestCase):
	@classmethod
	def setUpClass(cls):
		ensure_tech_users()
		super().setUpClass()

	def test_each_ticket_is_validated_and_failures_are_reported(self):
		open_a, open_b, closed = ticket(), ticket(), ticket(status="Closed")
		frappe.set_user(AGENT)

		result = bulk_update([open_a, closed, open_b], status="In Progress", priority="High")

		self.assertEqual(result["updated"], [open_a, open_b])
		self.assertEqual([f["issue"] for f in result["failed"]], [closed])
		self.assertIn("only a Support Manager can reopen", result["failed"][0]["error"])
		for name in (open_a, open_b):
			self.assertEqual(
				frappe.db.get_value("Issue", name, ["status", "priority"]), ("In Progress", "High")
			)
		self.assertEqual(frappe.db.get_value("Issue", closed, ["status", "priority"]), ("Closed", None))

	def test_cancelling_many_takes_the_reason(self):
		names = [ticket(), ticket()]
		frappe.set_user(AGENT)
		without = bulk_update(names, status="Cancelled")
		self.assertEqual(without["updated"], [])
		self.assertIn("Give a reason to cancel", without["failed"][0]["error"])
		result = bulk_update(names, status="Cancelled", cancel_reason="Sent twice by the customer")
		self.assertEqual(result["updated"], names)
		for name in names:
			self.assertEqual(
				frappe.db.get_value("Issue", name, ["status", "cancel_reason"]),
				("Cancelled", "Sent twice by the customer"),
			)

	def test_assigning_many(self):
		names = [ticket(), ticket()]
		frappe.set_user(AGENT)
		result = bulk_update(frappe.as_json(names), assign_to=AGENT)  # the list view sends JSON
		self.assertEqual(result["updated"], names)
		for name in names:
			self.assertIn(AGENT, frappe.get_doc("Issue", name).get_assigned_users())

	def test_replacing_the_assignees_keeps_the_technicians_load_exact(self):
		ana, ben = make_technician("ana"), make_technician("ben")
		names = [ticket(), ticket()]
		for name in names:
			add_assignment({"assign_to": [ana.user, AGENT], "doctype": "Issue", "name": name})
		self.assertEqual((counter(ana.user), counter(ben.user)), (2, 0))
		frappe.set_user(AGENT)

		result = bulk_update(names, assign_to=ben.user, assign_mode="Replace")

		self.assertEqual(result["updated"], names)
		for name in names:
			self.assertEqual(frappe.get_doc("Issue", name).get_assigned_users(), {ben.user})
			self.assertEqual(frappe.parse_json(frappe.db.get_value("Issue", name, "_assign")), [ben.user])
			self.assertEqual(
				frappe.db.count("ToDo", {"reference_name": name, "status": "Cancelled"}), 2
			)  # closed, not deleted: who had it stays on record
		self.assertEqual((counter(ana.user), counter(ben.user)), (0, 2))
		self.assertEqual((open_todos(ana.user), open_todos(ben.user)), (0, 2))

		# Replacing with someone already assigned keeps their one ToDo; adding keeps the others.
		bulk_update(names[:1], assign_to=ben.user, assign_mode="Replace")
		bulk_update(names[:1], assign_to=AGENT, assign_mode="Add")
		self.assertEqual(frappe.get_doc("Issue", names[0]).get_assigned_users(), {ben.user, AGENT})
		self.assertEqual(counter(ben.user), 2)
		recount()  # the counters the hooks kept are the ones the ToDos give
		self.assertEqual((counter(ana.user), counter(ben.user)), (0, 2))

	def test_replace_needs_a_user_and_a_known_mode(self):
		name = ticket()
		frappe.set_user(AGENT)
		self.assertRaises(frappe.ValidationError, bulk_update, [name], assign_mode="Replace", priority="Low")
		self.assertRaises(frappe.ValidationError, bulk_update, [name], assign_to=AGENT, assign_mode="Swap")
		frappe.set_user(VIEWER)
		self.assertRaises(frappe.PermissionError, bulk_update, [name], assign_to=AGENT, assign_mode="Replace")

	def test_bad_requests_are_refused(self):
		name = ticket()
		frappe.set_user(AGENT)
		self.assertRaises(frappe.ValidationError, bulk_update, [name])
		self.assertRaises(frappe.ValidationError, bulk_update, [name], priority="Urgent!!")
		self.assertRaises(frappe.ValidationError, bulk_update, [name], assign_to="nobody@nowhere.example")
		frappe.set_user(VIEWER)
		self.assertRaises(frappe.PermissionError, bulk_update, [name], status="Closed")

	def test_large_batches_go_to_a_background_job(self):
		frappe.set_user(AGENT)
		names = [f"RE{n:08d}" for n in range(1, bulk.BACKGROUND_ABOVE + 2)]
		result = bulk_update(names, priority="Low")
		self.assertEqual((result["queued"], result["count"]), (True, bulk.BACKGROUND_ABOVE + 1))
		self.assertTrue(result["job_id"].startswith("support_plus_bulk_update::"))

	def test_background_job_reports_its_outcome(self):
		good, closed = ticket(), ticket(status="Closed")
		bulk.run_in_background([good, closed], {"status": "Pending Parts"}, AGENT)
		self.assertEqual(frappe.db.get_value("Issue", good, "status"), "Pending Parts")
		note = frappe.get_last_doc("Notification Log", filters={"for_user": AGENT})
		self.assertIn("1 updated, 1 failed", note.subject)
		self.assertIn(closed, note.email_content)
