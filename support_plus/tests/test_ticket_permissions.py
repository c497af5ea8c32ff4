"""Seed 003's role matrix on tickets, exercised as real users through get_list, get_doc, REST and the
whitelisted methods ERPNext left unguarded."""

import frappe

from support_plus.tests.http import SiteServer
from support_plus.tests.utils import AGENT, FINANCE, MANAGER, SALES, VIEWER, SupportTestCase, make_customer


def make_project(name: str, customer: str, users: list[str]) -> str:
	project = frappe.db.get_value("Project", {"project_name": name})
	if not project:
		project = (
			frappe.get_doc(
				{
					"doctype": "Project",
					"project_name": name,
					"customer": customer,
					"users": [{"user": user} for user in users],
				}
			)
			.insert(ignore_permissions=True)
			.name
		)
	return project


def ticket(subject: str, project: str | None = None) -> str:
	return frappe.get_doc({"doctype": "Issue", "subject": subject, "project": project}).insert().name


class TestTicketPermissions(SupportTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		customer = make_customer("Permission Test Customer")
		cls.own_project = make_project("SP Sales Own Project", customer, [SALES])
		cls.other_project = make_project("SP Other Project", customer, [])
		cls.own = ticket("Ticket of the sales user's project", cls.own_project)
		cls.other = ticket("Ticket of another project", cls.other_project)
		cls.loose = ticket("Ticket without a project")
		frappe.db.commit()  # nosemgrep: the REST tests' server process must see these

	@classmethod
	def tearDownClass(cls):
		frappe.set_user("Administrator")
		frappe.db.delete("Issue", {"name": ("in", [cls.own, cls.other, cls.loose])})
		frappe.db.commit()  # nosemgrep
		super().tearDownClass()

	def visible(self, user: str) -> set[str]:
		frappe.set_user(user)
		names = set(
			frappe.get_list(
				"Issue", filters={"name": ("in", [self.own, self.other, self.loose])}, pluck="name"
			)
		)
		frappe.set_user("Administrator")
		return names

	def test_who_sees_which_tickets_in_lists(self):
		everything = {self.own, self.other, self.loose}
		self.assertEqual(self.visible(SALES), {self.own})
		for user in (AGENT, MANAGER, FINANCE, VIEWER):
			self.assertEqual(self.visible(user), everything, user)

	def test_single_ticket_reads_follow_the_same_rule(self):
		for user, name, allowed in (
			(SALES, self.own, True),
			(SALES, self.other, False),
			(SALES, self.loose, False),
			(VIEWER, self.other, True),
			(FINANCE, self.loose, True),
		):
			frappe.set_user(user)
			doc = frappe.get_doc("Issue", name)
			self.assertEqual(bool(doc.has_permission("read")), allowed, f"{user} reading {name}")
			if not allowed:
				self.assertRaises(frappe.PermissionError, doc.check_permission, "read")

	def test_who_creates_tickets_for_which_projects(self):
		frappe.set_user(SALES)
		self.assertTrue(ticket("Sales creates for own project", self.own_project))
		self.assertRaises(
			frappe.PermissionError, ticket, "Sales creates for other project", self.other_project
		)
		self.assertRaises(frappe.PermissionError, ticket, "Sales creates without a project")
		frappe.set_user(AGENT)
		self.assertTrue(ticket("Operations creates for any project", self.other_project))
		for user in (FINANCE, VIEWER):
			frappe.set_user(user)
			self.assertRaises(frappe.PermissionError, ticket, "Read-only user creates")

	def test_closing_and_deleting(self):
		frappe.set_user(SALES)
		doc = frappe.get_doc(
			{"doctype": "Issue", "subject": "Sales closes", "project": self.own_project}
		).insert()
		doc.status = "Closed"
		doc.save()
		self.assertEqual(frappe.db.get_value("Issue", doc.name, "status"), "Closed")
		self.assertRaises(frappe.PermissionError, frappe.delete_doc, "Issue", doc.name)

		frappe.set_user(VIEWER)
		doc = frappe.get_doc("Issue", self.loose)
		doc.priority = "High"
		self.assertRaises(frappe.PermissionError, doc.save)

		frappe.set_user(AGENT)
		name = ticket("Operations cannot delete")
		self.assertRaises(frappe.PermissionError, frappe.delete_doc, "Issue", name)
		frappe.set_user(MANAGER)
		frappe.delete_doc("Issue", name)
		self.assertFalse(frappe.db.exists("Issue", name))

	def test_erpnext_set_status_is_now_checked_and_validated(self):
		from erpnext.support.doctype.issue.issue import set_status

		method = frappe.get_attr(
			frappe.get_hooks("override_whitelisted_methods")[
				"erpnext.support.doctype.issue.issue.set_status"
			][-1]
		)
		self.assertIsNot(method, set_status)
		frappe.set_user(VIEWER)
		self.assertRaises(frappe.PermissionError, method, self.loose, "Closed")
		frappe.set_user(AGENT)
		name = ticket("Closed through set_status")
		method(name, "Closed")
		self.assertRaises(frappe.ValidationError, method, name, "Open")  # closed: only reopen
		self.assertEqual(frappe.db.get_value("Issue", name, "status"), "Closed")

	def test_rest_api_applies_the_same_rules(self):
		server = SiteServer.get()
		sales = server.login(SALES)
		listed = sales.get(
			f"{server.url}/api/resource/Issue",
			params={"filters": frappe.as_json([["name", "in", [self.own, self.other, self.loose]]])},
			timeout=30,
		)
		self.assertEqual(listed.status_code, 200, listed.text)
		self.assertEqual({row["name"] for row in listed.json()["data"]}, {self.own})
		self.assertEqual(
			sales.get(f"{server.url}/api/resource/Issue/{self.own}", timeout=30).status_code, 200
		)
		forbidden = sales.get(f"{server.url}/api/resource/Issue/{self.other}", timeout=30)
		self.assertEqual(forbidden.status_code, 403)
		self.assertNotIn("another project", forbidden.text)

		viewer = server.login(VIEWER)
		self.assertEqual(
			viewer.get(f"{server.url}/api/resource/Issue/{self.other}", timeout=30).status_code, 200
		)
		update = viewer.put(
			f"{server.url}/api/resource/Issue/{self.other}", json={"priority": "High"}, timeout=30
		)
		self.assertEqual(update.status_code, 403)
		set_status = viewer.post(
			f"{server.url}/api/method/erpnext.support.doctype.issue.issue.set_status",
			json={"name": self.other, "status": "Closed"},
			timeout=30,
		)
		self.assertEqual(set_status.status_code, 403)
		self.assertEqual(frappe.db.get_value("Issue", self.other, "status"), "Open")
