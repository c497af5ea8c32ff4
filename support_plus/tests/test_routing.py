"""The routing engine and the assignment API, called as a Support Agent: who is eligible, in which order,
why, the on-call technician after hours, and the load counter the hooks keep."""

import frappe
from frappe.desk.form import assign_to

from support_plus.api import assign_technician, auto_assign, suggest_technicians
from support_plus.dispatch.load import recount
from support_plus.tests.dispatch_fixtures import (
	TUESDAY_10,
	TUESDAY_22,
	counter,
	drop_assignments,
	ensure_tech_users,
	make_language,
	make_skill,
	make_team,
	make_technician,
	new_ticket,
	open_todos,
	tech_user,
)
from support_plus.tests.utils import AGENT, VIEWER, SupportTestCase, make_customer

NET = "SP Networking"


def make_dispatch_customer(name: str, language: str | None = None, preferred: str | None = None) -> str:
	make_customer(name)
	frappe.db.set_value("Customer", name, {"language": language, "preferred_technician": preferred})
	return name


def ranked(issue: str, limit: int = 5) -> list[str]:
	return [row["user"] for row in suggest_technicians(issue, limit)]


class TestRanking(SupportTestCase):
	@classmethod
	def setUpClass(cls):
		ensure_tech_users()
		super().setUpClass()
		make_skill(NET)
		cls.spanish = make_language("es", "Spanish")
		cls.speaks = "speaks " + frappe.db.get_value("Language", "es", "language_name")  # Frappe's: Español
		# One team: every exclusion rule has its technician.
		cls.ana = make_technician("ana", {NET: "Expert"}, languages=[cls.spanish])
		cls.ben = make_technician("ben", {NET: "Expert"})
		cls.cal = make_technician("cal", {NET: "Intermediate"}, languages=[cls.spanish])
		cls.dan = make_technician("dan", {NET: "Beginner"}, languages=[cls.spanish])  # below the level
		cls.eve = make_technician("eve", {NET: "Expert"}, status="Away")  # not Active
		cls.fay = make_technician("fay", {NET: "Expert"}, capacity=0)  # no room
		cls.ned = make_technician("ned", {NET: "Expert"}, hours=("20:00", "23:00"))  # evenings only
		cls.gus = make_technician("gus", {"SP Hardware": "Expert"})  # another skill
		cls.team = make_team(
			"SP Routing Team", [cls.ana, cls.ben, cls.cal, cls.dan, cls.eve, cls.fay, cls.ned, cls.gus]
		)
		cls.customer = make_dispatch_customer("SP Dispatch Spanish Customer", language=cls.spanish)

	def ticket(self, **values):
		values = {
			"support_team": self.team,
			"required_skill": NET,
			"required_skill_level": "Intermediate",
			**values,
		}
		return new_ticket(customer=self.customer, **values).name

	def test_eligible_technicians_best_first_with_reasons(self):
		frappe.flags.current_time = TUESDAY_10
		issue = self.ticket()
		frappe.set_user(AGENT)

		rows = suggest_technicians(issue)

		# Ana: Spanish and Expert; Cal: Spanish, Intermediate; Ben: Expert, no Spanish. Dan is below the
		# level, Eve is Away, Fay is full, Ned is not working at 10:00 while others are, Gus lacks the skill.
		self.assertEqual([r["user"] for r in rows], [self.ana.user, self.cal.user, self.ben.user])
		self.assertEqual(
			rows[0]["reasons"],
			[self.speaks, "Expert in SP Networking", "0 of 10 open", "working until 18:00", "never assigned"],
		)
		self.assertEqual(rows[1]["reasons"][:2], [self.speaks, "Intermediate in SP Networking"])
		self.assertEqual((rows[0]["open_tickets"], rows[0]["capacity"]), (0, 10))
		self.assertGreater(rows[0]["score"], rows[1]["score"])
		self.assertGreater(rows[1]["score"], rows[2]["score"])
		self.assertEqual(len(suggest_technicians(issue, limit=1)), 1)

	def test_the_customers_preferred_technician_comes_first(self):
		frappe.flags.current_time = TUESDAY_10
		make_dispatch_customer(self.customer, language=self.spanish, preferred=self.ben.name)
		try:
			issue = self.ticket()
			frappe.set_user(AGENT)
			rows = suggest_technicians(issue)
			self.assertEqual(rows[0]["user"], self.ben.user)
			self.assertEqual(rows[0]["reasons"][0], f"preferred technician of {self.customer}")
			# Not eligible (Away): the preference is passed over.
			make_dispatch_customer(self.customer, language=self.spanish, preferred=self.eve.name)
			self.assertNotIn(self.eve.user, ranked(issue))
		finally:
			make_dispatch_customer(self.customer, language=self.spanish)

	def test_no_skill_required_means_every_level_and_skill(self):
		frappe.flags.current_time = TUESDAY_10
		issue = new_ticket(support_team=self.team).name
		frappe.set_user(AGENT)
		self.assertEqual(
			set(ranked(issue, 10)),
			{self.ana.user, self.ben.user, self.cal.user, self.dan.user, self.gus.user},
		)

	def test_nobody_eligible_gives_none_and_a_comment(self):
		frappe.flags.current_time = TUESDAY_10
		team = make_team("SP Empty Team", [self.eve, self.fay, self.dan])
		issue = new_ticket(support_team=team, required_skill=NET, required_skill_level="Expert").name
		frappe.set_user(AGENT)

		self.assertEqual(suggest_technicians(issue), [])
		self.assertIsNone(auto_assign(issue))

		self.assertEqual(assign_to.get({"doctype": "Issue", "name": issue}), [])
		comments = frappe.get_all(
			"Comment", filters={"reference_doctype": "Issue", "reference_name": issue}, pluck="content"
		)
		self.assertIn(
			"No technician could be assigned: 1 not Active, 1 without the required skill level, 1 at capacity.",
			comments,
		)

	def test_bad_requests_are_refused(self):
		frappe.flags.current_time = TUESDAY_10
		issue = self.ticket()
		frappe.set_user(AGENT)
		self.assertRaises(frappe.ValidationError, suggest_technicians, issue, 0)
		self.assertRaises(frappe.DoesNotExistError, suggest_technicians, "RE99999998")
		frappe.set_user(VIEWER)  # reads tickets, assigns none
		self.assertTrue(suggest_technicians(issue))
		self.assertRaises(frappe.PermissionError, auto_assign, issue)


class TestLoadAndHours(SupportTestCase):
	@classmethod
	def setUpClass(cls):
		ensure_tech_users()
		super().setUpClass()
		make_skill(NET)

	def test_lower_load_ratio_then_longest_since_last_assigned(self):
		frappe.flags.current_time = TUESDAY_10
		one = make_technician("ana", {NET: "Expert"}, capacity=4)
		two = make_technician("ben", {NET: "Expert"}, capacity=10)
		team = make_team("SP Load Team", [one, two])
		frappe.set_user(AGENT)
		# Both empty and never assigned: by name. One takes a ticket: 1/4 > 0/10, Two goes first.
		first = new_ticket(support_team=team).name
		self.assertEqual(auto_assign(first), one.user)
		rows = suggest_technicians(new_ticket(support_team=team).name)
		self.assertEqual([r["user"] for r in rows], [two.user, one.user])
		self.assertEqual(rows[1]["reasons"][0], "1 of 4 open")
		# One's ticket is done: both 0 open again, Two was never assigned, so Two still leads.
		frappe.set_user(one.user)  # only the assignee completes a to-do
		assign_to.close("Issue", first, one.user)
		frappe.set_user(AGENT)
		frappe.flags.current_time = "2026-12-01 10:05:00"
		self.assertEqual(ranked(new_ticket(support_team=team).name), [two.user, one.user])

	def test_after_hours_the_on_call_technician(self):
		day = make_technician("cal", {NET: "Expert"}, hours=("09:00", "17:00"))
		night = make_technician("dan", {NET: "Expert"}, hours=("09:00", "17:00"))
		other = make_technician("eve", {NET: "Expert"}, hours=("09:00", "17:00"))
		team = make_team("SP Night Team", [day, night, other])
		other_team = make_team("SP Other Night Team", [other])
		for tech, shift_team in ((night, team), (other, other_team)):
			frappe.get_doc(
				{
					"doctype": "On-call Shift",
					"technician": tech.name,
					"support_team": shift_team,
					"from_time": "2026-12-01 17:00:00",
					"to_time": "2026-12-02 08:00:00",
				}
			).insert(ignore_permissions=True)
		issue = new_ticket(support_team=team, required_skill=NET).name
		frappe.set_user(AGENT)

		frappe.flags.current_time = TUESDAY_10  # everyone works: no on-call reason
		self.assertEqual(set(ranked(issue)), {day.user, night.user, other.user})

		frappe.flags.current_time = TUESDAY_22  # nobody works: the team's on-call technician
		rows = suggest_technicians(issue)
		self.assertEqual([r["user"] for r in rows], [night.user])
		self.assertIn("on call until 08:00", rows[0]["reasons"])
		self.assertEqual(auto_assign(issue), night.user)


class TestCapacityAndAssignment(SupportTestCase):
	@classmethod
	def setUpClass(cls):
		ensure_tech_users()
		super().setUpClass()

	def test_capacity_is_never_exceeded(self):
		frappe.flags.current_time = TUESDAY_10
		small = make_technician("ana", capacity=1)
		pair = make_technician("ben", capacity=2)
		team = make_team("SP Capacity Team", [small, pair])
		frappe.set_user(AGENT)
		users = [auto_assign(new_ticket(support_team=team).name) for _ in range(4)]
		self.assertEqual(sorted(u for u in users if u), sorted([small.user, pair.user, pair.user]))
		self.assertIsNone(users[-1])
		self.assertEqual((counter(small.user), counter(pair.user)), (1, 2))
		self.assertEqual((open_todos(small.user), open_todos(pair.user)), (1, 2))
		# Named assignment goes through the same check.
		self.assertRaisesRegex(
			frappe.ValidationError,
			"already has 1 of 1 open tickets",
			assign_technician,
			new_ticket().name,
			small.user,
		)

	def test_a_todo_moved_to_another_technician_checks_the_new_ones_capacity(self):
		# The ToDo keeps the assignee's profile row it read (technicians.assignee_row): moved to another
		# technician in the same request, it must read theirs, not reuse the first one's.
		# The class's tests share one transaction: technicians of their own, their assignment dropped after.
		roomy, full = make_technician("eve", capacity=5), make_technician("fay", capacity=0)
		self.addCleanup(drop_assignments, [roomy.user, full.user])
		todo = frappe.get_doc(
			{
				"doctype": "ToDo",
				"allocated_to": roomy.user,
				"reference_type": "Issue",
				"reference_name": new_ticket().name,
				"description": "Moved",
			}
		).insert()
		self.assertEqual(counter(roomy.user), 1)
		todo.allocated_to = full.user
		self.assertRaisesRegex(frappe.ValidationError, "already has 0 of 0 open tickets", todo.save)
		todo.reload()
		self.assertEqual(todo.allocated_to, roomy.user)

	def test_assigning_someone_without_a_profile_or_inactive_is_refused(self):
		frappe.set_user(AGENT)
		issue = new_ticket().name
		self.assertRaisesRegex(
			frappe.ValidationError, "has no technician profile", assign_technician, issue, AGENT
		)
		frappe.set_user("Administrator")
		gone = make_technician("cal", status="Inactive")
		frappe.set_user(AGENT)
		self.assertRaisesRegex(frappe.ValidationError, "is Inactive", assign_technician, issue, gone.user)
		# Frappe's own assign dialog too.
		self.assertRaisesRegex(
			frappe.ValidationError,
			"Inactive and cannot be assigned",
			assign_to.add,
			{"assign_to": [gone.user], "doctype": "Issue", "name": issue},
		)
		self.assertEqual(open_todos(gone.user), 0)

	def test_the_counter_follows_every_assignment_change(self):
		frappe.flags.current_time = TUESDAY_10
		tech = make_technician("dan")
		user = tech.user
		frappe.set_user(AGENT)
		tickets = [new_ticket(subject=f"Counter {i}").name for i in range(4)]
		for name in tickets:
			assign_technician(name, user)
		self.assertEqual(counter(user), 4)
		self.assertEqual(
			str(frappe.db.get_value("Service Technician", tech.name, "last_assigned_on")), TUESDAY_10
		)

		assign_to.remove("Issue", tickets[1], user)  # cancelled by the agent
		frappe.set_user(user)
		assign_to.close("Issue", tickets[0], user)  # done, by the technician
		frappe.set_user(AGENT)
		self.assertEqual(counter(user), 2)

		doc = frappe.get_doc("Issue", tickets[2])
		doc.status = "Resolved"  # a resolved ticket is no load
		doc.save()
		self.assertEqual(counter(user), 1)
		doc.status = "In Progress"  # the customer says it is not fixed
		doc.save()
		self.assertEqual(counter(user), 2)

		frappe.set_user("Administrator")
		frappe.delete_doc("Issue", tickets[3])  # Frappe deletes its ToDos without their hooks
		self.assertEqual(counter(user), 1)
		self.assertEqual(counter(user), open_todos(user) - self.todos_on_deleted_tickets(user))
		stored = counter(user)
		recount()
		self.assertEqual(counter(user), stored)

	@staticmethod
	def todos_on_deleted_tickets(user: str) -> int:
		return frappe.db.sql(
			"""select count(*) from `tabToDo` t left join `tabIssue` i on i.name = t.reference_name
			where t.allocated_to = %s and t.status = 'Open' and t.reference_type = 'Issue' and i.name is null""",
			user,
		)[0][0]
