"""Seed 003's role matrix on tickets, exercised as real users through get_list, get_doc, REST and the
whitelisted methods ERPNext left unguarded; and a technician's own tickets (support_plus.permissions.issue)."""

import frappe
import frappe.client
from frappe.desk.form import assign_to

from support_plus.api.analytics import support_tickets_dashboard
from support_plus.dispatch.assignment import assign_technician
from support_plus.overrides.client import get_count
from support_plus.tests.dispatch_fixtures import drop_assignments, ensure_tech_users, make_technician
from support_plus.tests.http import SiteServer
from support_plus.tests.utils import (
	AGENT,
	FINANCE,
	MANAGER,
	SALES,
	VIEWER,
	SupportTestCase,
	make_customer,
	make_user,
)


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


TECH_SALES = "sp-tech-sales@example.com"  # a Sales User who is also a technician


class TestTechnicianTickets(SupportTestCase):
	"""A user holding only Service Technician reads the tickets assigned (an open ToDo) or shared to them,
	through every door; nothing else of tickets opens to them (support_plus.permissions.issue)."""

	@classmethod
	def setUpClass(cls):
		ensure_tech_users()
		make_user(TECH_SALES, ["Sales User", "Service Technician"], first_name="Tess")
		super().setUpClass()
		cls.a = make_technician("ana", hours=None)
		cls.b = make_technician("ben", hours=None)
		drop_assignments([cls.a.user, cls.b.user, TECH_SALES])
		customer = make_customer("Permission Test Customer")
		cls.project = make_project("SP Tech Sales Project", customer, [TECH_SALES])
		cls.mine = ticket("Technician A's ticket")
		cls.shared = ticket("Shared with technician A")
		cls.theirs = ticket("Technician B's secret ticket")
		cls.was_mine = ticket("Reassigned from A to B")
		cls.loose = ticket("Nobody's ticket")
		cls.project_ticket = ticket("Tess's project ticket", cls.project)
		cls.names = [cls.mine, cls.shared, cls.theirs, cls.was_mine, cls.loose, cls.project_ticket]
		assign_technician(cls.mine, cls.a.user)
		assign_technician(cls.theirs, cls.b.user)
		assign_technician(cls.was_mine, cls.a.user)
		assign_to.remove("Issue", cls.was_mine, cls.a.user)  # its ToDo Cancelled: no longer A's
		assign_technician(cls.was_mine, cls.b.user)
		for user in (cls.a.user, TECH_SALES):
			frappe.share.add_docshare("Issue", cls.shared, user, flags={"ignore_share_permission": True})
		cls.their_message = frappe.get_doc(
			{
				"doctype": "Communication",
				"communication_type": "Communication",
				"communication_medium": "Email",
				"sent_or_received": "Received",
				"subject": "Technician B's secret ticket",
				"content": "The alarm code is 4711",
				"reference_doctype": "Issue",
				"reference_name": cls.theirs,
			}
		).insert(ignore_permissions=True)
		frappe.get_doc("Issue", cls.theirs).add_comment("Comment", "The key is under the mat")
		frappe.db.commit()  # nosemgrep: the REST tests' server process must see these

	@classmethod
	def tearDownClass(cls):
		frappe.set_user("Administrator")
		frappe.db.rollback()
		for doctype, field in (
			("Comment", "reference_name"),
			("Communication", "reference_name"),
			("ToDo", "reference_name"),
			("DocShare", "share_name"),
			("Notification Log", "document_name"),
			("Issue", "name"),
		):
			frappe.db.delete(doctype, {field: ("in", cls.names)})
		frappe.db.commit()  # nosemgrep
		super().tearDownClass()

	def listed(self, user: str) -> set[str]:
		frappe.set_user(user)
		try:
			return set(frappe.get_list("Issue", filters={"name": ("in", self.names)}, pluck="name"))
		finally:
			frappe.set_user("Administrator")

	def readable(self, user: str, ptype: str = "read") -> set[str]:
		frappe.set_user(user)
		try:
			return {n for n in self.names if frappe.get_doc("Issue", n).has_permission(ptype)}
		finally:
			frappe.set_user("Administrator")

	def test_the_role_reads_tickets_and_nothing_more(self):
		frappe.set_user(self.a.user)
		for ptype, allowed in (
			("read", True),
			("print", True),
			("email", True),
			("write", False),
			("create", False),
			("delete", False),
			("report", False),
			("export", False),
			("share", False),
		):
			self.assertEqual(frappe.has_permission("Issue", ptype), allowed, ptype)
		self.assertIn("Issue", frappe.permissions.get_doctypes_with_read())

	def test_a_technician_sees_their_assigned_and_shared_tickets_only(self):
		self.assertEqual(self.listed(self.a.user), {self.mine, self.shared})
		self.assertEqual(self.listed(self.b.user), {self.theirs, self.was_mine})
		self.assertEqual(self.listed(AGENT), set(self.names))  # a Support Agent still sees all
		self.assertEqual(self.listed(TECH_SALES), {self.shared, self.project_ticket})

	def test_the_list_and_the_single_ticket_agree(self):
		"""One rule: get_list's SQL condition and has_permission name the same tickets, for every user."""
		for user in (self.a.user, self.b.user, AGENT, SALES, TECH_SALES, VIEWER):
			self.assertEqual(self.listed(user), self.readable(user), user)

	def test_rights_on_their_own_tickets_are_a_shares(self):
		"""Read, print and email, as the share gave; write only through another role's own rule."""
		self.assertEqual(self.readable(self.a.user, "print"), {self.mine, self.shared})
		self.assertEqual(self.readable(self.a.user, "email"), {self.mine, self.shared})
		self.assertEqual(self.readable(self.a.user, "write"), set())
		# Sales User's write on their project's ticket, a technician's read on the shared one
		self.assertEqual(self.readable(TECH_SALES, "write"), {self.project_ticket})

	def test_another_technicians_ticket_is_refused_in_python(self):
		frappe.set_user(self.a.user)
		for name in (self.theirs, self.was_mine, self.loose):
			self.assertRaises(frappe.PermissionError, frappe.client.get, "Issue", name)
		self.assertEqual(
			{
				r.name
				for r in frappe.client.get_list(
					"Issue", filters={"name": ("in", self.names)}, limit_page_length=0
				)
			},
			{self.mine, self.shared},
		)
		self.assertEqual(frappe.client.get("Issue", self.mine)["name"], self.mine)
		self.assertEqual(frappe.client.get_value("Issue", "subject", self.theirs), {})
		self.assertEqual(get_count("Issue", filters={"name": ("in", self.names)}), 2)
		# The analytics read tickets with the same conditions: their own only.
		rows = support_tickets_dashboard(limit=500)["rows"]
		self.assertEqual({r.name for r in rows} & set(self.names), {self.mine, self.shared})
		# Its timeline: messages and comments come only with the ticket.
		from frappe.desk.form.load import get_communications, get_docinfo

		self.assertRaises(frappe.PermissionError, get_docinfo, doctype="Issue", name=self.theirs)
		self.assertRaises(frappe.PermissionError, get_communications, "Issue", self.theirs)
		message = frappe.get_doc("Communication", self.their_message.name)
		self.assertFalse(message.has_permission("read"))
		self.assertEqual(
			frappe.get_list("Communication", filters={"reference_name": self.theirs}, pluck="name"), []
		)
		self.assertFalse(frappe.has_permission("Comment", "read"))
		# No report and no export of tickets.
		from frappe.desk.query_report import run
		from frappe.desk.reportview import export_query

		self.assertRaises(frappe.PermissionError, run, "Issue Summary")
		form_dict = frappe.local.form_dict
		frappe.local.form_dict = frappe._dict(
			doctype="Issue", file_format_type="CSV", fields='["`tabIssue`.`name`"]', title="Issue"
		)
		try:
			self.assertRaises(frappe.PermissionError, export_query)
		finally:
			frappe.local.form_dict = form_dict

	def test_nothing_beside_the_tickets_row_opens(self):
		meta = frappe.get_meta("Issue")
		# Frappe checks a child table's rows against the parent doctype only: Issue has none to leak.
		self.assertEqual(meta.get_table_fields(), [])
		# Every ticket field (the SLA's too) is at level 0: the technician reads what a share showed.
		self.assertEqual({df.permlevel for df in meta.fields}, {0})
		self.assertEqual(
			frappe.get_all(
				"Custom DocPerm",
				filters={"parent": "Issue", "role": "Service Technician"},
				fields=["permlevel", "if_owner", "read", "write", "report", "export"],
			),
			[{"permlevel": 0, "if_owner": 0, "read": 1, "write": 0, "report": 0, "export": 0}],
		)

	def test_rest_form_and_print_refuse_another_technicians_ticket(self):
		server = SiteServer.get()
		tech = server.login(self.a.user)
		url = server.url
		listed = tech.get(
			f"{url}/api/resource/Issue",
			params={"filters": frappe.as_json([["name", "in", self.names]]), "limit_page_length": 0},
			timeout=30,
		)
		self.assertEqual(listed.status_code, 200, listed.text)
		self.assertEqual({row["name"] for row in listed.json()["data"]}, {self.mine, self.shared})
		via_client = tech.get(
			f"{url}/api/method/frappe.client.get_list",
			params={"doctype": "Issue", "filters": frappe.as_json([["name", "in", self.names]])},
			timeout=30,
		)
		self.assertEqual({row["name"] for row in via_client.json()["message"]}, {self.mine, self.shared})
		self.assertEqual(tech.get(f"{url}/api/resource/Issue/{self.mine}", timeout=30).status_code, 200)
		for name in (self.theirs, self.loose):
			for path, params in (
				(f"/api/resource/Issue/{name}", None),
				("/api/method/frappe.desk.form.load.getdoc", {"doctype": "Issue", "name": name}),
				("/api/method/frappe.client.get", {"doctype": "Issue", "name": name}),
				("/printview", {"doctype": "Issue", "name": name}),
				("/api/method/frappe.utils.print_format.download_pdf", {"doctype": "Issue", "name": name}),
			):
				response = tech.get(url + path, params=params, timeout=60)
				self.assertEqual(response.status_code, 403, f"{path} {name}")
				self.assertNotIn("secret", response.text)
		own_print = tech.get(f"{url}/printview", params={"doctype": "Issue", "name": self.mine}, timeout=60)
		self.assertEqual(own_print.status_code, 200)
		self.assertIn(self.mine, own_print.text)
		update = tech.put(f"{url}/api/resource/Issue/{self.mine}", json={"priority": "High"}, timeout=30)
		self.assertEqual(update.status_code, 403)
