"""The SLA Compliance report counts met and missed clocks per group, and only decided clocks."""

import frappe
from frappe import _
from frappe.desk.form.assign_to import add as add_assignment
from frappe.desk.query_report import run
from frappe.utils import formatdate

from support_plus.support_plus.report.sla_compliance.sla_compliance import GROUPS, execute
from support_plus.tests.sla_fixtures import SlaTestCase, make_sla
from support_plus.tests.utils import MANAGER, make_customer, make_issue_type, make_user


class TestSlaComplianceReport(SlaTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.sla = make_sla("SP Report Standard", default=True)
		make_issue_type("Technical")

	def rows(self, group_by):
		return {row["group"]: row for row in self.report(group_by)[1]}

	def report(self, group_by):
		self.at("2026-03-09 12:00:00")
		return execute(self.filters(group_by))[:2]

	def filters(self, group_by):
		return {
			"from_date": "2026-03-01",
			"to_date": "2026-03-31",
			"group_by": group_by,
			"service_level_agreement": self.sla,
		}

	def test_met_and_missed_per_priority_and_type(self):
		# Medium (4h response): answered in time and resolved in time.
		good = self.ticket("2026-03-02 10:00:00", issue_type="Technical")
		self.move(good, "2026-03-02 11:00:00", "Replied")
		self.move(good, "2026-03-02 12:00:00", "Resolved")
		# Medium: answered late, never resolved, resolution now past due.
		late = self.ticket("2026-03-02 10:00:00")
		self.move(late, "2026-03-03 08:00:00", "Replied")
		# High (1h response): still open, both deadlines long past.
		self.ticket("2026-03-02 10:00:00", priority="High", issue_type="Technical")
		# High, made just now: its clocks run, nothing decided yet.
		self.ticket("2026-03-09 11:30:00", priority="High")

		by_priority = self.rows("Priority")
		medium, high = by_priority["Medium"], by_priority["High"]
		self.assertEqual((medium.tickets, medium.response_met, medium.response_missed), (2, 1, 1))
		self.assertEqual((medium.resolution_met, medium.resolution_missed), (1, 1))
		self.assertEqual((medium.response_percent, medium.resolution_percent), (50.0, 50.0))
		self.assertEqual(
			(high.tickets, high.response_met, high.response_missed, high.resolution_missed), (2, 0, 1, 1)
		)
		self.assertEqual(high.response_percent, 0.0)

		by_type = self.rows("Issue Type")
		self.assertEqual(by_type["Technical"].tickets, 2)
		self.assertEqual(by_type["Not Set"].tickets, 2)
		weeks = self.rows("Week")
		self.assertEqual(weeks["Total"].tickets, 4)
		self.assertEqual(sorted(weeks), sorted([formatdate("2026-03-02"), formatdate("2026-03-09"), "Total"]))

	def test_total_is_computed_from_counts_and_labelled_in_every_grouping(self):
		good = self.ticket("2026-03-02 10:00:00")  # Medium: both clocks met
		self.move(good, "2026-03-02 11:00:00", "Replied")
		self.move(good, "2026-03-02 12:00:00", "Resolved")
		self.ticket("2026-03-02 10:00:00")  # Medium: both missed
		self.ticket("2026-03-02 10:00:00", priority="High", customer=make_customer("SP Report Customer"))
		for group_by in GROUPS:
			columns, data = self.report(group_by)
			total = data[-1]
			self.assertEqual(total.group, "Total", group_by)
			self.assertEqual(columns[0]["fieldtype"], "Data", "the label shows in the first column")
			self.assertEqual((total.tickets, total.response_met, total.response_missed), (3, 1, 2), group_by)
			# 1 of 3 clocks met: 33.3 %, where averaging the groups' 50 % and 0 % would say 25 %.
			self.assertEqual((total.response_percent, total.resolution_percent), (33.3, 33.3), group_by)
			self.assertEqual(len([row for row in data if row.get("is_total_row")]), 1)
		# Through the desk's own report runner, as a Support Manager: one total row, ours.
		frappe.set_user(MANAGER)
		self.at("2026-03-09 12:00:00")
		shown = run("SLA Compliance", self.filters("Customer"))
		self.assertFalse(shown["add_total_row"])
		self.assertEqual(
			[row["group"] for row in shown["result"]], [_("Not Set"), "SP Report Customer", "Total"]
		)

	def test_assignees_by_full_name(self):
		agent = make_user("sp-report-agent@example.com", ["Support Agent"], first_name="Rita Report")
		doc = self.ticket("2026-03-02 10:00:00")
		add_assignment({"assign_to": [agent], "doctype": "Issue", "name": doc.name})
		self.move(doc, "2026-03-02 11:00:00", "Replied")
		by_assignee = self.rows("Assignee")
		self.assertEqual(by_assignee["Rita Report"].response_met, 1)
		self.assertNotIn(agent, by_assignee)

	def test_counts_only_the_tickets_the_viewer_may_read(self):
		mine, other = make_customer("SP Report Own Customer"), make_customer("SP Report Other Customer")
		agent = make_user("sp-report-restricted@example.com", ["Support Agent"])
		frappe.get_doc(
			{"doctype": "User Permission", "user": agent, "allow": "Customer", "for_value": mine}
		).insert(ignore_permissions=True)
		for customer in (mine, other, other):
			doc = self.ticket("2026-03-02 10:00:00", customer=customer)
			self.move(doc, "2026-03-02 11:00:00", "Replied")
		everyone = self.rows("Customer")
		self.assertEqual((everyone[mine].tickets, everyone[other].tickets), (1, 2))
		frappe.set_user(agent)
		try:
			restricted = self.rows("Customer")
		finally:
			frappe.set_user("Administrator")
		self.assertNotIn(other, restricted)
		self.assertEqual((restricted[mine].tickets, restricted[mine].response_met), (1, 1))

	def test_bad_filters_are_refused(self):
		self.assertRaises(
			frappe.ValidationError,
			execute,
			{"from_date": "2026-03-01", "to_date": "2026-03-31", "group_by": "Moon Phase"},
		)
		self.assertRaises(frappe.ValidationError, execute, {"group_by": "Priority"})
