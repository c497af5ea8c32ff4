"""Accept / decline (support_plus/dispatch/acceptance.py) and the capacity check of manual and bulk
assignment, as the real roles: a Support Agent assigns, a technician holding only the Service Technician
role answers, a Support Manager overrides."""

import frappe
from frappe.desk.form import assign_to

from support_plus.api import assign_technician, auto_assign, respond_to_assignment
from support_plus.api.tickets import bulk_update
from support_plus.dispatch.acceptance import reroute_overdue
from support_plus.tests.dispatch_fixtures import (
	TUESDAY_10,
	counter,
	drop_assignments,
	ensure_tech_users,
	make_skill,
	make_team,
	make_technician,
	new_ticket,
	open_todos,
)
from support_plus.tests.utils import AGENT, MANAGER, SupportTestCase

NET = "SP Networking"


def todo_of(issue: str, user: str) -> frappe._dict:
	return frappe.db.get_value(
		"ToDo",
		{"reference_type": "Issue", "reference_name": issue, "allocated_to": user},
		("name", "status", "acceptance", "acceptance_due"),
		as_dict=True,
		order_by="creation desc",
	)


def timeline(issue: str) -> list[str]:
	return frappe.get_all(
		"Comment",
		filters={"reference_doctype": "Issue", "reference_name": issue, "comment_type": "Info"},
		pluck="content",
		order_by="creation asc",
	)


class TestAcceptDecline(SupportTestCase):
	@classmethod
	def setUpClass(cls):
		ensure_tech_users()
		super().setUpClass()
		make_skill(NET)

	def setUp(self):
		# Ranked Ana, Ben, Cal (skill level) for a Networking ticket.
		self.ana = make_technician("ana", {NET: "Expert"})
		self.ben = make_technician("ben", {NET: "Intermediate"})
		self.cal = make_technician("cal", {NET: "Beginner"})
		drop_assignments([self.ana.user, self.ben.user, self.cal.user])
		self.team = make_team("SP Acceptance Team", [self.ana, self.ben, self.cal])
		frappe.db.set_value("Support Team", self.team, "supervisor", MANAGER)
		frappe.db.set_single_value("Support Plus Settings", "accept_within_minutes", 0)
		# The timeout job looks at the whole site: pending assignments other tests left committed are not
		# this test's (accepted for the test's transaction only).
		todo = frappe.qb.DocType("ToDo")
		frappe.qb.update(todo).set(todo.acceptance, "Accepted").where(todo.acceptance == "Pending").run()

	def routed_ticket(self) -> str:
		frappe.flags.current_time = TUESDAY_10
		issue = new_ticket(support_team=self.team, required_skill=NET).name
		frappe.set_user(AGENT)
		self.assertEqual(auto_assign(issue), self.ana.user)
		frappe.set_user("Administrator")
		return issue

	def test_a_new_assignment_is_pending_and_only_the_assignee_accepts(self):
		issue = self.routed_ticket()
		self.assertEqual(todo_of(issue, self.ana.user).acceptance, "Pending")
		self.assertIsNone(todo_of(issue, self.ana.user).acceptance_due)  # no time limit set

		frappe.set_user(AGENT)  # not the assignee
		self.assertRaises(frappe.PermissionError, respond_to_assignment, issue, True)
		frappe.set_user(self.ben.user)  # another technician: cannot even see the ticket
		self.assertRaises(frappe.PermissionError, respond_to_assignment, issue, True)
		self.assertEqual(todo_of(issue, self.ana.user).acceptance, "Pending")

		frappe.set_user(self.ana.user)
		self.assertEqual(respond_to_assignment(issue, True), {"acceptance": "Accepted"})
		self.assertEqual(todo_of(issue, self.ana.user).acceptance, "Accepted")
		self.assertIn("Tech Ana accepted the assignment.", timeline(issue))

	def test_declining_needs_a_reason(self):
		issue = self.routed_ticket()
		frappe.set_user(self.ana.user)
		for reason in (None, "", "   "):
			self.assertRaisesRegex(
				frappe.ValidationError, "Say why you decline", respond_to_assignment, issue, False, reason
			)
		todo = todo_of(issue, self.ana.user)
		self.assertEqual((todo.status, todo.acceptance), ("Open", "Pending"))

	def test_decline_goes_to_the_next_candidate_never_back_to_a_decliner(self):
		issue = self.routed_ticket()
		frappe.set_user(self.ana.user)
		result = respond_to_assignment(issue, False, "Van in the garage today")
		self.assertEqual(result, {"acceptance": "Declined", "assigned_to": self.ben.user})
		todo = todo_of(issue, self.ana.user)
		self.assertEqual((todo.status, todo.acceptance), ("Cancelled", "Declined"))
		self.assertEqual((counter(self.ana.user), counter(self.ben.user)), (0, 1))
		self.assertEqual(todo_of(issue, self.ben.user).acceptance, "Pending")
		self.assertEqual(
			timeline(issue)[-2:],
			[
				"Tech Ana declined the assignment: Van in the garage today",
				"Reassigned to Tech Ben in place of Tech Ana.",
			],
		)
		# Ben declines too: Cal, and Ana (first in the ranking) is not asked again.
		frappe.set_user(self.ben.user)
		self.assertEqual(respond_to_assignment(issue, False, "Not my area")["assigned_to"], self.cal.user)
		frappe.set_user(self.cal.user)
		self.assertEqual(respond_to_assignment(issue, False, "On leave")["assigned_to"], None)
		frappe.set_user("Administrator")
		self.assertEqual(assign_to.get({"doctype": "Issue", "name": issue}), [])
		self.assertTrue(
			any(
				c.startswith("No technician could be assigned")
				for c in timeline(issue)
				+ frappe.get_all(
					"Comment", filters={"reference_name": issue, "comment_type": "Comment"}, pluck="content"
				)
			)
		)

	def test_not_accepted_in_time_is_rerouted_exactly_once_and_the_supervisor_told(self):
		frappe.db.set_single_value("Support Plus Settings", "accept_within_minutes", 30)
		issue = self.routed_ticket()
		self.assertEqual(str(todo_of(issue, self.ana.user).acceptance_due), "2026-12-01 10:30:00")
		notes_before = frappe.db.count("Notification Log", {"for_user": MANAGER, "document_name": issue})

		self.assertEqual(reroute_overdue("2026-12-01 10:29:00"), [])  # not yet due
		moved = reroute_overdue("2026-12-01 10:31:00")
		self.assertEqual(moved, [{"issue": issue, "from": self.ana.user, "to": self.ben.user}])
		self.assertEqual(reroute_overdue("2026-12-01 10:31:00"), [])  # run again: nothing more
		self.assertEqual(reroute_overdue("2026-12-01 10:32:00"), [])

		self.assertEqual(todo_of(issue, self.ana.user).acceptance, "Declined")
		ben = todo_of(issue, self.ben.user)
		self.assertEqual(
			(ben.status, ben.acceptance, str(ben.acceptance_due)), ("Open", "Pending", "2026-12-01 11:01:00")
		)
		self.assertEqual(
			[a.owner for a in assign_to.get({"doctype": "Issue", "name": issue})], [self.ben.user]
		)
		self.assertEqual(
			frappe.db.count("Notification Log", {"for_user": MANAGER, "document_name": issue}),
			notes_before + 1,
		)
		self.assertIn("Tech Ana did not accept the assignment within 30 minutes.", timeline(issue))
		# Ben does not answer either: his own assignment is re-routed once in its turn, to Cal.
		self.assertEqual(reroute_overdue("2026-12-01 11:02:00")[0]["to"], self.cal.user)
		self.assertEqual(reroute_overdue("2026-12-01 11:02:00"), [])

	def test_an_accepted_assignment_is_not_rerouted(self):
		frappe.db.set_single_value("Support Plus Settings", "accept_within_minutes", 30)
		issue = self.routed_ticket()
		frappe.set_user(self.ana.user)
		respond_to_assignment(issue, True)
		frappe.set_user("Administrator")
		self.assertEqual(reroute_overdue("2026-12-01 12:00:00"), [])
		self.assertEqual(todo_of(issue, self.ana.user).status, "Open")


class TestCapacityOfManualAssignment(SupportTestCase):
	@classmethod
	def setUpClass(cls):
		ensure_tech_users()
		super().setUpClass()

	def test_manual_and_bulk_assignment_over_capacity_is_refused(self):
		frappe.flags.current_time = TUESDAY_10
		full = make_technician("dan", capacity=1)
		drop_assignments([full.user])
		first, second, third = (new_ticket(subject=f"Capacity {i}").name for i in range(3))
		frappe.set_user(AGENT)
		assign_technician(first, full.user)
		# Frappe's own "Assign To" dialog.
		self.assertRaisesRegex(
			frappe.ValidationError,
			"already has 1 of 1 open tickets",
			assign_to.add,
			{"assign_to": [full.user], "doctype": "Issue", "name": second},
		)
		# Bulk assignment: refused per ticket.
		result = bulk_update([second, third], assign_to=full.user)
		self.assertEqual(result["updated"], [])
		self.assertEqual([f["issue"] for f in result["failed"]], [second, third])
		self.assertIn("already has 1 of 1 open tickets", result["failed"][0]["error"])
		# An agent may not override.
		self.assertRaises(
			frappe.PermissionError, assign_technician, second, full.user, "Customer asked for Dan"
		)
		self.assertEqual(open_todos(full.user), 1)

	def test_a_manager_overrides_with_a_reason(self):
		frappe.flags.current_time = TUESDAY_10
		full = make_technician("dan", capacity=1)
		drop_assignments([full.user])
		first, second, third = (new_ticket(subject=f"Override {i}").name for i in range(3))
		frappe.set_user(MANAGER)
		assign_technician(first, full.user)
		self.assertRaises(frappe.ValidationError, assign_technician, second, full.user)  # no reason
		self.assertRaises(frappe.ValidationError, assign_technician, second, full.user, "  ")
		self.assertEqual(assign_technician(second, full.user, "Only Dan knows this site"), full.user)
		self.assertEqual(counter(full.user), 2)
		self.assertIn(
			"sp-manager assigned sp-tech-dan@example.com over capacity (1 of 1 open): Only Dan knows this site",
			timeline(second),
		)
		result = bulk_update([third], assign_to=full.user, override_reason="Weekend cover")
		self.assertEqual(result["updated"], [third])
		self.assertEqual(counter(full.user), 3)
