"""Automatic routing: Frappe's Assignment Rule with the "Skill Based" kind (support_plus/dispatch/
skill_based_rule.py), Frappe's own kinds unchanged, and Support Plus Settings' switch that routes new tickets
without any rule (support_plus/dispatch/auto_route.py). Tickets are made as a Support Agent."""

import frappe
from frappe.automation.doctype.assignment_rule.assignment_rule import AssignmentRule
from frappe.cache_manager import clear_doctype_map
from frappe.desk.form import assign_to
from frappe.utils.background_jobs import get_job

from support_plus.dispatch import auto_route
from support_plus.dispatch.skill_based_rule import SKILL_BASED, SupportAssignmentRule
from support_plus.tests.dispatch_fixtures import (
	TUESDAY_10,
	drop_assignments,
	ensure_tech_users,
	make_skill,
	make_team,
	make_technician,
)
from support_plus.tests.utils import AGENT, SupportTestCase

NET = "SP Networking"
EVERY_DAY = [
	{"day": d} for d in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
]


def make_rule(name: str, kind: str, users: list[str], subject: str) -> str:
	if frappe.db.exists("Assignment Rule", name):
		frappe.delete_doc("Assignment Rule", name, ignore_permissions=True, force=True)
	frappe.get_doc(
		{
			"doctype": "Assignment Rule",
			"name": name,
			"document_type": "Issue",
			"rule": kind,
			"priority": 50,
			"description": "Routed by " + name,
			"assign_condition": f"subject == {subject!r}",
			"users": [{"user": u} for u in users],
			"assignment_days": EVERY_DAY,
		}
	).insert(ignore_permissions=True)
	return name


def drop_rules() -> None:
	for name in frappe.get_all("Assignment Rule", filters={"name": ("like", "SP Test %")}, pluck="name"):
		frappe.delete_doc("Assignment Rule", name, ignore_permissions=True, force=True)
	clear_doctype_map("Assignment Rule", "Issue")  # Frappe keeps the rule list in Redis


def agent_ticket(subject: str, **values) -> str:
	frappe.set_user(AGENT)
	try:
		return frappe.get_doc({"doctype": "Issue", "subject": subject, **values}).insert().name
	finally:
		frappe.set_user("Administrator")


def assignees(issue: str) -> list[str]:
	return [a.owner for a in assign_to.get({"doctype": "Issue", "name": issue})]


class TestAssignmentRuleKinds(SupportTestCase):
	@classmethod
	def setUpClass(cls):
		ensure_tech_users()
		super().setUpClass()
		make_skill(NET)

	def setUp(self):
		self.ana = make_technician("ana", {NET: "Beginner"})
		self.ben = make_technician("ben", {NET: "Expert"})
		self.cal = make_technician("cal", {NET: "Intermediate"})
		self.dan = make_technician("dan", {NET: "Expert"}, capacity=0)  # full
		self.users = [t.user for t in (self.ana, self.ben, self.cal, self.dan)]
		drop_assignments(self.users)

	@classmethod
	def tearDownClass(cls):
		super().tearDownClass()  # rolls back
		clear_doctype_map("Assignment Rule", "Issue")

	def tearDown(self):
		drop_rules()
		super().tearDown()

	def test_the_override_is_in_place_and_offers_skill_based(self):
		rule = frappe.get_doc("Assignment Rule", make_rule("SP Test Kind", SKILL_BASED, self.users, "x"))
		self.assertIsInstance(rule, SupportAssignmentRule)
		self.assertIn(SKILL_BASED, frappe.get_meta("Assignment Rule").get_field("rule").options.split("\n"))
		# Frappe's own kinds are Frappe's methods, not copies.
		for method in ("get_user_round_robin", "get_user_load_balancing", "get_user_based_on_field"):
			self.assertIs(getattr(SupportAssignmentRule, method), getattr(AssignmentRule, method))

	def test_skill_based_picks_the_best_of_the_rules_users_by_ranking(self):
		frappe.flags.current_time = TUESDAY_10
		# Gus is the best of all (Expert, empty) but not one of the rule's users.
		make_technician("gus", {NET: "Expert"})
		make_rule("SP Test Skill", SKILL_BASED, self.users, "Skill routed")

		first = agent_ticket("Skill routed", required_skill=NET, required_skill_level="Intermediate")
		# Ana is below the level, Dan is full: Ben (Expert) before Cal (Intermediate).
		self.assertEqual(assignees(first), [self.ben.user])
		comments = frappe.get_all(
			"Comment", filters={"reference_doctype": "Issue", "reference_name": first}, pluck="content"
		)
		self.assertIn(
			"Assignment Rule SP Test Skill routed the ticket to Tech Ben: Expert in SP Networking; "
			"0 of 10 open; working until 18:00; never assigned",
			comments,
		)
		# With the level at Expert and Ben taken off the list, only Dan qualifies, and he is full: the
		# rule assigns nobody (Frappe then tries the next rule), and never passes capacity.
		make_rule("SP Test Skill", SKILL_BASED, [self.ana.user, self.cal.user, self.dan.user], "Skill routed")
		second = agent_ticket("Skill routed", required_skill=NET, required_skill_level="Expert")
		self.assertEqual(assignees(second), [])

	def test_round_robin_and_load_balancing_choose_as_frappe_does(self):
		frappe.flags.current_time = TUESDAY_10
		for kind in ("Round Robin", "Load Balancing"):
			subject = f"{kind} routed"
			name = make_rule(f"SP Test {kind}", kind, self.users, subject)
			chosen, expected = [], []
			for _ in range(5):
				# Frappe's own class, on the rule as it stands, says who is next.
				frappe_rule = AssignmentRule(frappe.get_doc("Assignment Rule", name).as_dict())
				expected.append(frappe_rule.get_user({"doctype": "Issue"}))
				chosen += assignees(agent_ticket(subject))
			self.assertEqual(chosen, expected, kind)
			if kind == "Round Robin":  # every user in turn, Dan too: Frappe's kinds know no capacity
				self.assertEqual(chosen[:4], self.users)
			drop_rules()

	def test_a_skill_based_rule_is_for_tickets(self):
		rule = frappe.get_doc(
			{
				"doctype": "Assignment Rule",
				"name": "SP Test Not Issue",
				"document_type": "Task",
				"rule": SKILL_BASED,
				"description": "x",
				"assign_condition": "1",
				"users": [{"user": self.ana.user}],
				"assignment_days": EVERY_DAY,
			}
		)
		self.assertRaises(frappe.ValidationError, rule.insert, ignore_permissions=True)


def run_routing_job(issue: str) -> str | None:
	"""What a worker does with the ticket's queued routing job (the job must be queued); the job's result."""
	job = get_job(auto_route.job_id(issue))
	assert job and job.get_status() == "queued", f"no routing job queued for {issue}"
	try:
		assert job.kwargs["method"] == "support_plus.dispatch.auto_route.route_job", job.kwargs["method"]
		return frappe.get_attr(job.kwargs["method"])(**job.kwargs["kwargs"])
	finally:
		job.delete()


class TestRouteNewTickets(SupportTestCase):
	"""The switch queues the routing after the ticket's commit: these tests commit, and clean up what they
	made; they run the queued job as a worker would."""

	@classmethod
	def setUpClass(cls):
		ensure_tech_users()
		super().setUpClass()
		make_skill(NET)
		cls.ana = make_technician("ana", {NET: "Expert"}, hours=None)
		cls.ben = make_technician("ben", {NET: "Intermediate"}, hours=None)
		cls.team = make_team("SP Auto Route Team", [cls.ana, cls.ben])
		frappe.db.commit()  # nosemgrep: the routing runs after a commit

	def setUp(self):
		self.made = []

	def tearDown(self):
		frappe.db.rollback()
		frappe.db.set_single_value("Support Plus Settings", "auto_route_new_tickets", 0)
		for name in self.made:
			frappe.delete_doc("Issue", name, ignore_permissions=True, force=True)
		drop_rules()
		frappe.db.commit()  # nosemgrep: undo what the test committed
		super().tearDown()

	def test_switch_on_routes_a_new_ticket_after_commit(self):
		frappe.db.set_single_value("Support Plus Settings", "auto_route_new_tickets", 1)
		issue = agent_ticket("Auto routed", support_team=self.team, required_skill=NET)
		self.made.append(issue)
		self.assertIsNone(get_job(auto_route.job_id(issue)))  # nothing queued before the ticket is committed
		frappe.db.commit()  # nosemgrep: the routing is queued after the commit
		self.assertEqual(assignees(issue), [])  # the saving request does not route
		self.assertEqual(run_routing_job(issue), self.ana.user)
		self.assertEqual(assignees(issue), [self.ana.user])
		self.assertEqual(
			frappe.db.get_value("ToDo", {"reference_name": issue, "status": "Open"}, "acceptance"), "Pending"
		)
		# The job run again (a worker retrying it): the ticket is assigned, nothing changes.
		self.assertIsNone(auto_route.route_job(issue))
		self.assertEqual(frappe.db.count("ToDo", {"reference_name": issue}), 1)

	def test_switch_off_or_a_rule_that_assigned_leaves_the_ticket_alone(self):
		off = agent_ticket("Not routed", support_team=self.team)
		self.made.append(off)
		frappe.db.commit()  # nosemgrep: as a request would
		self.assertEqual(
			assignees(off),
			[],
			frappe.get_all(
				"ToDo",
				filters={"reference_name": off},
				fields=["description", "assignment_rule", "assigned_by"],
			),
		)
		self.assertIsNone(get_job(auto_route.job_id(off)))

		frappe.db.set_single_value("Support Plus Settings", "auto_route_new_tickets", 1)
		make_rule("SP Test Round Robin", "Round Robin", [self.ben.user], "By a rule")
		by_rule = agent_ticket("By a rule", support_team=self.team)
		self.made.append(by_rule)
		frappe.db.commit()  # nosemgrep: as a request would
		self.assertEqual(assignees(by_rule), [self.ben.user])
		self.assertIsNone(run_routing_job(by_rule))  # the rule's choice stands
		self.assertEqual(assignees(by_rule), [self.ben.user])

	def test_a_ticket_gone_before_its_job_runs_is_left_alone(self):
		frappe.db.set_single_value("Support Plus Settings", "auto_route_new_tickets", 1)
		issue = agent_ticket("Deleted before routing", support_team=self.team, required_skill=NET)
		frappe.db.commit()  # nosemgrep: queues the routing
		frappe.delete_doc("Issue", issue, ignore_permissions=True, force=True)
		frappe.db.commit()  # nosemgrep: the ticket is gone when the worker gets to it
		errors = frappe.db.count("Error Log")
		self.assertIsNone(run_routing_job(issue))
		self.assertEqual(frappe.db.count("ToDo", {"reference_name": issue}), 0)
		self.assertEqual(frappe.db.count("Error Log"), errors)
