"""support_plus/overrides/assign_to.py against Frappe's own `assign_to.add`: twin tickets, one assigned each
way, must end the same — the ToDo (with our acceptance and the load counter), the ticket's `_assign`, the
DocShare (only for an assignee who cannot read the ticket: a technician reads the tickets assigned to them),
the timeline comments and the assignee's notification — and routing must use it."""

import json
import pickle

import frappe
from frappe.desk.form import assign_to as frappe_assign_to

from support_plus.dispatch import assignment
from support_plus.overrides import assign_to
from support_plus.tests.dispatch_fixtures import (
	counter,
	drop_assignments,
	ensure_tech_users,
	make_team,
	make_technician,
	new_ticket,
)
from support_plus.tests.utils import AGENT, SupportTestCase, make_user

# A desk user without ticket rights (no Issue role): assigned a ticket, they get it shared.
OUTSIDER = "sp-lean-outsider@example.com"

SKIPPED_TODO_FIELDS = {"name", "creation", "modified", "reference_name", "idx"}
SHARE_FIELDS = ("user", "share_doctype", "read", "write", "submit", "share", "everyone", "notify_by_email")


def todo_of(issue: str) -> dict:
	name = frappe.db.get_value("ToDo", {"reference_type": "Issue", "reference_name": issue})
	row = frappe.get_doc("ToDo", name).as_dict()
	return {k: v for k, v in row.items() if k not in SKIPPED_TODO_FIELDS}


def shares_of(issue: str) -> list[dict]:
	return frappe.get_all(
		"DocShare", filters={"share_doctype": "Issue", "share_name": issue}, fields=list(SHARE_FIELDS)
	)


def timeline_of(issue: str) -> list[tuple]:
	return [
		(c.comment_type, c.comment_email, c.comment_by, c.reference_owner, c.content)
		for c in frappe.get_all(
			"Comment",
			filters={"reference_doctype": "Issue", "reference_name": issue},
			fields=["comment_type", "comment_email", "comment_by", "reference_owner", "content"],
			order_by="creation asc, comment_type asc",
		)
	]


def notifications_of(issue: str) -> list[tuple]:
	return [
		(n.for_user, n.type, n.from_user, n.subject, n.email_content)
		for n in frappe.get_all(
			"Notification Log",
			filters={"document_type": "Issue", "document_name": issue},
			fields=["for_user", "type", "from_user", "subject", "email_content"],
		)
	]


class TestLeanAssignment(SupportTestCase):
	@classmethod
	def setUpClass(cls):
		ensure_tech_users()
		make_user(OUTSIDER, ["Maintenance User"])
		super().setUpClass()

	def setUp(self):
		self.ana = make_technician("ana", capacity=5, hours=None)
		drop_assignments([self.ana.user])

	def twins(self):
		subject = f"Lean assignment {frappe.generate_hash(length=6)}"
		return new_ticket(subject), new_ticket(subject)

	def assign_both(self, user: str, description: str = "Routed to Tech Ana: Expert"):
		frappes, ours = self.twins()
		frappe_assign_to.add(
			{"assign_to": [user], "doctype": "Issue", "name": frappes.name, "description": description},
			ignore_permissions=True,
		)
		assign_to.assign(frappe.get_doc("Issue", ours.name), user, description)
		return frappes.name, ours.name

	def assert_same(self, frappes: str, ours: str):
		self.assertEqual(todo_of(ours), todo_of(frappes))
		self.assertEqual(
			frappe.db.get_value("Issue", ours, "_assign"), frappe.db.get_value("Issue", frappes, "_assign")
		)
		self.assertEqual(shares_of(ours), shares_of(frappes))
		self.assertEqual(timeline_of(ours), timeline_of(frappes))
		self.assertEqual(notifications_of(ours), notifications_of(frappes))

	def test_technician_gets_the_same_todo_comments_and_notification(self):
		before = counter(self.ana.user)
		frappes, ours = self.assign_both(self.ana.user)
		self.assert_same(frappes, ours)
		# what is compared is there: the case is not vacuous
		self.assertEqual(json.loads(frappe.db.get_value("Issue", ours, "_assign")), [self.ana.user])
		self.assertEqual(todo_of(ours)["acceptance"], "Pending")
		# A technician reads the tickets assigned to them (support_plus.permissions.issue): no share.
		self.assertTrue(frappe.has_permission("Issue", "read", ours, user=self.ana.user))
		self.assertEqual(shares_of(ours), [])
		self.assertIn("Assigned", {c[0] for c in timeline_of(ours)})
		self.assertEqual(len(notifications_of(ours)), 1)
		self.assertEqual(counter(self.ana.user), before + 2)

	def test_assignee_who_cannot_read_tickets_gets_the_same_share_and_comments(self):
		frappes, ours = self.assign_both(OUTSIDER, "Have a look")
		self.assert_same(frappes, ours)
		self.assertEqual(len(shares_of(ours)), 1)
		self.assertEqual({c[0] for c in timeline_of(ours)} & {"Assigned", "Shared"}, {"Assigned", "Shared"})

	def test_assignee_who_reads_tickets_is_not_sharing(self):
		frappes, ours = self.assign_both(AGENT, "Take this one")
		self.assert_same(frappes, ours)
		self.assertEqual(shares_of(ours), [])
		self.assertEqual(json.loads(frappe.db.get_value("Issue", ours, "_assign")), [AGENT])

	def test_a_second_assignee_follows_the_first_as_with_frappe(self):
		frappes, ours = self.assign_both(self.ana.user)
		frappe_assign_to.add(
			{"assign_to": [AGENT], "doctype": "Issue", "name": frappes, "description": "And you"},
			ignore_permissions=True,
		)
		assign_to.assign(frappe.get_doc("Issue", ours), AGENT, "And you")
		self.assert_same(frappes, ours)
		self.assertEqual(json.loads(frappe.db.get_value("Issue", ours, "_assign")), [self.ana.user, AGENT])

	def test_a_share_already_there_is_not_doubled(self):
		frappes, ours = self.twins()
		for issue in (frappes.name, ours.name):
			frappe.share.add_docshare("Issue", issue, self.ana.user, flags={"ignore_share_permission": True})
		frappe_assign_to.add(
			{"assign_to": [self.ana.user], "doctype": "Issue", "name": frappes.name, "description": "x"},
			ignore_permissions=True,
		)
		assign_to.assign(frappe.get_doc("Issue", ours.name), self.ana.user, "x")
		self.assert_same(frappes.name, ours.name)
		self.assertEqual(len(shares_of(ours.name)), 1)

	def test_html_in_the_description_is_escaped_as_frappe_does(self):
		frappes, ours = self.assign_both(self.ana.user, "<b>Expert</b> & <script>x</script>")
		self.assert_same(frappes, ours)
		self.assertNotIn("<script>", todo_of(ours)["description"])

	def test_capacity_guard_still_refuses(self):
		self.ana.db_set("capacity", 0)
		ticket = new_ticket("Lean assignment: full technician")
		with self.assertRaises(frappe.ValidationError):
			assign_to.assign(frappe.get_doc("Issue", ticket.name), self.ana.user, "x")

	def test_a_webhook_on_todo_gets_a_document_it_can_queue(self):
		# Frappe queues a Webhook's document at commit, pickled into its job: what `assign` hands the
		# ToDo's hooks (the loaded ticket, a method bound to it) must be gone by then.
		webhook = frappe.get_doc(
			{
				"doctype": "Webhook",
				"name": "SP Lean Assignment Webhook",
				"webhook_doctype": "ToDo",
				"webhook_docevent": "after_insert",
				"request_url": "http://127.0.0.1:9/lean-assignment",
			}
		).insert()
		try:
			ticket = new_ticket("Lean assignment: webhook")
			assign_to.assign(frappe.get_doc("Issue", ticket.name), self.ana.user, "x")
			queued = [e.doc for e in frappe.local._webhook_queue if e.webhook.name == webhook.name]
			self.assertEqual([d.reference_name for d in queued], [ticket.name])
			copy = pickle.loads(pickle.dumps(queued[0]))
			self.assertEqual((copy.allocated_to, copy.acceptance), (self.ana.user, "Pending"))
			self.assertNotIn("reference_doc", copy.flags)
		finally:  # the class's tests share one transaction: no webhook for the next ones
			frappe.delete_doc("Webhook", webhook.name)
			frappe.local._webhook_queue = None
			frappe.db.after_commit.reset()
			frappe.cache.delete_value("webhooks")  # Frappe's list of webhooks, read during the test

	def test_another_frappe_gets_frappes_own_add(self):
		ticket = new_ticket("Lean assignment: another Frappe")
		version = frappe.__version__
		frappe.__version__ = "16.0.0"
		try:
			name = assign_to.assign(frappe.get_doc("Issue", ticket.name), OUTSIDER, "x")
		finally:
			frappe.__version__ = version
		self.assertEqual(frappe.db.get_value("ToDo", name, "reference_name"), ticket.name)
		self.assertEqual(len(shares_of(ticket.name)), 1)  # Frappe's add shares it with a user who cannot read

	def test_routing_assigns_through_it(self):
		self.assertIs(assignment.lean_assign, assign_to.assign)
		ticket = new_ticket("Lean assignment: routed", support_team=make_team("SP Lean Team", [self.ana]))
		self.assertEqual(assignment.auto_assign(ticket.name), self.ana.user)
		self.assertTrue(frappe.has_permission("Issue", "read", ticket.name, user=self.ana.user))
		self.assertIn("Assigned", {c[0] for c in timeline_of(ticket.name)})
