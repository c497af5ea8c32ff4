"""Follow-ups on tickets: the API, the Issue's follow-up fields, the overdue flag and who may add them."""

from datetime import date, datetime

import frappe
from frappe.utils import get_datetime, getdate

from support_plus.api import add_follow_up
from support_plus.tests.http import SiteServer
from support_plus.tests.test_ticket_permissions import make_project
from support_plus.tests.utils import AGENT, MANAGER, SALES, VIEWER, SupportTestCase, make_customer
from support_plus.tickets.follow_ups import refresh_overdue


def new_ticket(subject="Follow-up test", **values):
	return frappe.get_doc({"doctype": "Issue", "subject": subject, **values}).insert()


def follow_up_fields(name):
	return frappe.db.get_value(
		"Issue", name, ["last_follow_up_on", "next_follow_up_date", "is_overdue"], as_dict=True
	)


class TestFollowUps(SupportTestCase):
	def test_add_follow_up_updates_the_ticket(self):
		issue = new_ticket().name
		frappe.flags.current_time = "2026-05-04 10:00:00"

		name = add_follow_up(issue, "Called the customer, waiting for photos", "2026-05-08")

		follow_up = frappe.get_doc("Issue Follow Up", name)
		self.assertEqual((follow_up.issue, follow_up.owner), (issue, "Administrator"))
		fields = follow_up_fields(issue)
		self.assertEqual(fields.next_follow_up_date, getdate("2026-05-08"))
		self.assertEqual(fields.last_follow_up_on, get_datetime(follow_up.creation))
		self.assertEqual(fields.is_overdue, 0)

	def test_python_dates_are_accepted(self):
		"""Frappe checks a whitelisted function's argument types for Python callers too."""
		issue = new_ticket().name
		frappe.set_user(AGENT)
		add_follow_up(issue, "Booked a visit", date(2026, 5, 8))
		self.assertEqual(follow_up_fields(issue).next_follow_up_date, date(2026, 5, 8))
		add_follow_up(issue, "Moved the visit", datetime(2026, 5, 11, 14, 30))
		self.assertEqual(follow_up_fields(issue).next_follow_up_date, date(2026, 5, 11))
		self.assertRaises(frappe.ValidationError, add_follow_up, issue, "Bad date", "next tuesdayish")

	def test_next_date_comes_from_the_latest_follow_up_that_set_one(self):
		issue = new_ticket().name
		add_follow_up(issue, "First contact", "2026-05-08")
		add_follow_up(issue, "Parts ordered")  # no date: the earlier date still stands
		self.assertEqual(follow_up_fields(issue).next_follow_up_date, getdate("2026-05-08"))
		add_follow_up(issue, "Parts delayed", "2026-05-20")
		self.assertEqual(follow_up_fields(issue).next_follow_up_date, getdate("2026-05-20"))

	def test_follow_ups_are_on_the_ticket_timeline(self):
		issue = new_ticket().name
		add_follow_up(issue, "Technician booked for Tuesday", "2026-06-02")
		comments = frappe.get_all(
			"Comment", filters={"reference_doctype": "Issue", "reference_name": issue}, pluck="content"
		)
		self.assertTrue(any("Technician booked for Tuesday" in c for c in comments), comments)

	def test_a_note_is_required(self):
		issue = new_ticket().name
		for note in ("", "   "):
			self.assertRaises(frappe.ValidationError, add_follow_up, issue, note)
		self.assertFalse(frappe.db.exists("Issue Follow Up", {"issue": issue}))

	def test_unknown_ticket_is_refused(self):
		self.assertRaises(frappe.DoesNotExistError, add_follow_up, "RE99999998", "Note")

	def test_overdue_after_the_date_until_the_ticket_is_done(self):
		issue = new_ticket()
		add_follow_up(issue.name, "Check back with the customer", "2026-05-08")
		late = new_ticket()
		add_follow_up(late.name, "Not due yet", "2026-05-30")

		refresh_overdue(now="2026-05-09 08:00:00")

		self.assertEqual(follow_up_fields(issue.name).is_overdue, 1)
		self.assertEqual(follow_up_fields(late.name).is_overdue, 0)
		overdue = frappe.get_list(
			"Issue", filters={"is_overdue": 1, "name": ("in", [issue.name, late.name])}, pluck="name"
		)
		self.assertEqual(overdue, [issue.name])

		frappe.flags.current_time = "2026-05-09 09:00:00"
		issue.reload()
		issue.status = "Resolved"
		issue.save()
		self.assertEqual(follow_up_fields(issue.name).is_overdue, 0, "a resolved ticket is not overdue")

	def test_due_today_is_not_overdue(self):
		issue = new_ticket().name
		add_follow_up(issue, "Due today", "2026-05-09")
		refresh_overdue(now="2026-05-09 23:59:00")
		self.assertEqual(follow_up_fields(issue).is_overdue, 0)
		refresh_overdue(now="2026-05-10 00:00:01")
		self.assertEqual(follow_up_fields(issue).is_overdue, 1)

	def test_is_overdue_is_an_indexed_column(self):
		indexes = frappe.db.sql("show index from `tabIssue` where Column_name = 'is_overdue'")
		self.assertTrue(indexes)

	def test_only_managers_follow_up_closed_tickets(self):
		issue = new_ticket()
		issue.status = "Closed"
		issue.save()

		frappe.set_user(AGENT)
		self.assertRaises(frappe.PermissionError, add_follow_up, issue.name, "Agent on a closed ticket")
		frappe.set_user(MANAGER)
		self.assertTrue(add_follow_up(issue.name, "Manager checks the closed ticket"))

	def test_read_only_users_cannot_add_follow_ups(self):
		issue = new_ticket().name
		frappe.set_user(VIEWER)
		self.assertRaises(frappe.PermissionError, add_follow_up, issue, "Viewer note")


class TestFollowUpsFollowTheirTicket(SupportTestCase):
	"""A follow-up is read where its ticket is (support_plus.permissions.ticket_records): a Sales User reads
	the follow-ups of their projects' tickets only, through REST as in Python."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		customer = make_customer("Permission Test Customer")
		own_project = make_project("SP Sales Own Project", customer, [SALES])
		other_project = make_project("SP Other Project", customer, [])
		cls.own = new_ticket("Follow-up of the sales user's project", project=own_project).name
		cls.other = new_ticket("Follow-up of another project", project=other_project).name
		cls.own_note = add_follow_up(cls.own, "zqrule note on the sales user's ticket")
		cls.other_note = add_follow_up(cls.other, "zqrule note on another project's ticket")
		frappe.db.commit()  # nosemgrep: the REST calls' server process must see these

	@classmethod
	def tearDownClass(cls):
		frappe.db.rollback()
		frappe.set_user("Administrator")
		tickets = [cls.own, cls.other]
		frappe.db.delete("Issue Follow Up", {"issue": ("in", tickets)})
		frappe.db.delete("Comment", {"reference_doctype": "Issue", "reference_name": ("in", tickets)})
		frappe.db.delete("Issue", {"name": ("in", tickets)})
		frappe.db.commit()  # nosemgrep
		super().tearDownClass()

	def test_rest_lists_and_opens_the_follow_ups_of_readable_tickets_only(self):
		server = SiteServer.get()
		url = f"{server.url}/api/resource/Issue Follow Up"
		params = {
			"fields": '["name", "issue", "note"]',
			"filters": frappe.as_json([["issue", "in", [self.own, self.other]]]),
		}
		sales, agent = server.login(SALES), server.login(AGENT)
		listed = sales.get(url, params=params, timeout=30)
		self.assertEqual(listed.status_code, 200, listed.text[:300])
		self.assertEqual({row["name"] for row in listed.json()["data"]}, {self.own_note})
		self.assertNotIn("another project", listed.text)
		self.assertEqual(sales.get(f"{url}/{self.own_note}", timeout=30).status_code, 200)
		refused = sales.get(f"{url}/{self.other_note}", timeout=30)
		self.assertEqual(refused.status_code, 403)
		self.assertNotIn("another project", refused.text)
		everything = agent.get(url, params=params, timeout=30).json()["data"]
		self.assertEqual({row["name"] for row in everything}, {self.own_note, self.other_note})

	def test_a_sales_user_writes_no_follow_up_on_a_ticket_outside_their_projects(self):
		frappe.set_user(SALES)
		note = {"doctype": "Issue Follow Up", "note": "zqrule by sales"}
		frappe.get_doc({**note, "issue": self.own}).insert()
		self.assertRaises(frappe.PermissionError, frappe.get_doc({**note, "issue": self.other}).insert)
		self.assertEqual(
			frappe.get_list(
				"Issue Follow Up", filters={"issue": ("in", [self.own, self.other])}, pluck="issue"
			),
			[self.own, self.own],
		)
		frappe.db.rollback()
