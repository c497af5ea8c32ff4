"""Portal customers stay in their customer through Frappe's and ERPNext's own endpoints, not only /support.

Anna (customer Alpha) attacks Bea's ticket (customer Beta) over real HTTP, one test per hole found when
the product was tried as an attacker would. Every secret of Bea's ticket carries MARKER, so a response
that leaks any of it is caught by its text."""

import base64
import json

import requests

import frappe
from frappe.desk import listview

from support_plus.overrides import FOLLOWS, check_versions
from support_plus.overrides.client import get_count
from support_plus.overrides.desk import get_group_by_count
from support_plus.portal.access import contacts_of, customers_of
from support_plus.tests.http import SiteServer
from support_plus.tests.test_portal import ANNA, BEA, PortalTestCase, contact_of
from support_plus.tests.utils import AGENT

MARKER = "zqxmarker"


class IsolationTestCase(PortalTestCase):
	"""Bea's ticket with a message, a comment, a follow-up, an assignment and a private file, all marked."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.db.set_value("Issue", cls.bea_ticket, "description", f"<p>{MARKER} description</p>")
		cls.bea_message = frappe.get_doc(
			{
				"doctype": "Communication",
				"communication_type": "Communication",
				"communication_medium": "Email",
				"sent_or_received": "Received",
				"subject": f"{MARKER} message",
				"content": f"{MARKER} message body",
				"sender": BEA,
				"reference_doctype": "Issue",
				"reference_name": cls.bea_ticket,
			}
		).insert(ignore_permissions=True)
		cls.anna_message = frappe.get_doc(
			{
				"doctype": "Communication",
				"communication_type": "Communication",
				"communication_medium": "Email",
				"sent_or_received": "Received",
				"subject": "Anna writes",
				"content": "Anna writes",
				"sender": ANNA,
				"reference_doctype": "Issue",
				"reference_name": cls.anna_ticket,
			}
		).insert(ignore_permissions=True)
		frappe.get_doc(
			{
				"doctype": "Comment",
				"comment_type": "Comment",
				"reference_doctype": "Issue",
				"reference_name": cls.bea_ticket,
				"content": f"{MARKER} internal comment",
			}
		).insert(ignore_permissions=True)
		frappe.get_doc(
			{"doctype": "Issue Follow Up", "issue": cls.bea_ticket, "note": f"{MARKER} note"}
		).insert(ignore_permissions=True)
		frappe.get_doc(
			{
				"doctype": "ToDo",
				"allocated_to": AGENT,
				"reference_type": "Issue",
				"reference_name": cls.bea_ticket,
				"description": "x",
			}
		).insert(ignore_permissions=True)
		cls.bea_file = frappe.get_doc(
			{
				"doctype": "File",
				"file_name": "beta-secret.txt",
				"content": f"{MARKER} file".encode(),
				"attached_to_doctype": "Issue",
				"attached_to_name": cls.bea_ticket,
				"is_private": 1,
			}
		).insert(ignore_permissions=True)
		frappe.db.commit()  # nosemgrep: the web server is another process
		cls.server = SiteServer.get()
		cls.anna = cls.server.login(ANNA)

	@classmethod
	def tearDownClass(cls):
		frappe.db.rollback()
		frappe.db.delete("ToDo", {"reference_type": "Issue", "reference_name": cls.bea_ticket})
		frappe.db.delete("Issue Follow Up", {"issue": cls.bea_ticket})
		frappe.db.delete("File", {"owner": ANNA, "attached_to_name": ("is", "not set")})
		for contact in frappe.get_all("Contact", filters={"owner": ANNA}, pluck="name"):
			frappe.delete_doc("Contact", contact, force=True, ignore_permissions=True)
		frappe.db.commit()  # nosemgrep
		super().tearDownClass()

	def call(self, method, **params):
		return self.anna.post(f"{self.server.url}/api/method/{method}", data=params, timeout=30)

	def assertNoLeak(self, response, what=""):
		self.assertNotIn(MARKER, response.text, what)
		self.assertNotIn("Beta secret merger", response.text, what)


class TestContactsDoNotOpenACustomer(IsolationTestCase):
	def test_a_portal_user_cannot_link_a_contact_to_another_customer(self):
		new = self.anna.post(
			f"{self.server.url}/api/resource/Contact",
			json={
				"first_name": "Anna again",
				"email_ids": [{"email_id": ANNA, "is_primary": 1}],
				"links": [{"link_doctype": "Customer", "link_name": self.beta}],
			},
			timeout=30,
		)
		self.assertEqual(new.status_code, 403, new.text[:300])
		own = contact_of(ANNA)
		edit = self.anna.put(
			f"{self.server.url}/api/resource/Contact/{own}",
			json={
				"links": [
					{"link_doctype": "Customer", "link_name": self.alpha},
					{"link_doctype": "Customer", "link_name": self.beta},
				]
			},
			timeout=30,
		)
		self.assertIn(edit.status_code, (403, 404), edit.text[:300])
		self.assertEqual(customers_of(ANNA), [self.alpha])

	def test_a_contact_the_portal_user_made_is_not_trusted(self):
		"""As if made before this rule existed: it names Anna and Beta, and counts for nothing."""
		forged = frappe.get_doc(
			{
				"doctype": "Contact",
				"first_name": "Forged",
				"email_ids": [{"email_id": ANNA, "is_primary": 0}],
				"links": [{"link_doctype": "Customer", "link_name": self.beta}],
			}
		)
		forged.insert(ignore_permissions=True)
		frappe.db.set_value("Contact", forged.name, "owner", ANNA)
		frappe.db.set_single_value("Support Plus Settings", "portal_customer_wide_visibility", 1)
		frappe.db.commit()  # nosemgrep
		try:
			self.assertNotIn(forged.name, contacts_of(ANNA))
			self.assertEqual(customers_of(ANNA), [self.alpha])
			self.assertNoLeak(self.anna.get(f"{self.server.url}/support/tickets", timeout=30))
		finally:
			frappe.db.set_single_value("Support Plus Settings", "portal_customer_wide_visibility", 0)
			frappe.delete_doc("Contact", forged.name, force=True, ignore_permissions=True)
			frappe.db.commit()  # nosemgrep

	def test_erpnexts_ticket_list_is_closed_in_any_case(self):
		for path in ("/Issue", "/issue", "/ISSUE", "/issues", "/Issues", f"/issues/{self.bea_ticket}"):
			page = self.anna.get(self.server.url + path, timeout=30, allow_redirects=False)
			self.assertIn(page.status_code, (301, 302), path)
			self.assertTrue(page.headers["Location"].startswith("/support/tickets"), path)
			self.assertNoLeak(page, path)
		for method in ("frappe.www.list.get_list_data", "frappe.www.list.get"):
			for doctype in ("Issue", "issue"):
				answer = self.call(method, doctype=doctype, customer=self.beta)
				self.assertEqual(answer.status_code, 403, (method, doctype))
				self.assertNoLeak(answer, method)


class TestNoOracles(IsolationTestCase):
	def test_get_count_counts_only_what_the_caller_may_read(self):
		for doctype, field in (
			("Issue", "description"),
			("Communication", "content"),
			("Comment", "content"),
			("Issue Follow Up", "note"),
			("File", "file_name"),
			("Contact", "first_name"),
		):
			answer = self.call(
				"frappe.client.get_count",
				doctype=doctype,
				filters=json.dumps({field: ["like", f"%{MARKER}%"]}),
			)
			count = answer.json().get("message") if answer.ok else 0
			self.assertEqual(count, 0, (doctype, answer.text[:200]))
		child = self.call("frappe.client.get_count", doctype="Contact Email", filters="{}")
		self.assertEqual(child.status_code, 403)

	def test_get_count_still_counts_like_frappe_for_the_desk(self):
		frappe.set_user("Administrator")
		for doctype, filters in (
			("Issue", {"subject": ["like", "%Beta%"]}),
			("Communication", {"reference_doctype": "Issue"}),
			("ToDo", None),
		):
			self.assertEqual(
				get_count(doctype, json.dumps(filters) if filters else None),
				frappe.db.count(doctype, filters),
			)

	def test_who_works_on_another_customers_ticket_is_not_told(self):
		filters = json.dumps({"name": self.bea_ticket})
		answer = self.call(
			"frappe.desk.listview.get_group_by_count",
			doctype="Issue",
			current_filters=filters,
			field="assigned_to",
		)
		self.assertNotIn(AGENT, answer.text)
		frappe.set_user("Administrator")  # the desk's answer is Frappe's
		self.assertEqual(
			get_group_by_count("Issue", filters, "assigned_to"),
			listview.get_group_by_count("Issue", filters, "assigned_to"),
		)
		self.assertEqual([row.name for row in get_group_by_count("Issue", filters, "assigned_to")], [AGENT])

	def test_child_tables_list_nothing_for_portal_users(self):
		for doctype, parent, field in (
			("Contact Email", "Contact", "email_id"),
			("Dynamic Link", "Contact", "link_name"),
			("Has Role", "User", "role"),
		):
			for method in ("frappe.client.get_list", "frappe.client.get_value"):
				answer = self.call(
					method,
					doctype=doctype,
					parent=parent,
					fields=json.dumps([field, "parent"]),
					fieldname=json.dumps([field, "parent"]),
				)
				self.assertNotIn(BEA, answer.text, (doctype, method))
				self.assertNotIn(self.beta, answer.text, (doctype, method))
				self.assertNotIn("System Manager", answer.text, (doctype, method))
			rest = self.anna.get(
				f"{self.server.url}/api/resource/{doctype}",
				params={"parent": parent, "fields": json.dumps([field])},
				timeout=30,
			)
			self.assertNotIn(BEA, rest.text, doctype)


class TestFilesAndMessagesStayPut(IsolationTestCase):
	def test_no_file_record_pointing_at_another_customers_file(self):
		forged = self.anna.post(
			f"{self.server.url}/api/resource/File",
			json={"file_url": self.bea_file.file_url, "file_name": "mine.txt", "is_private": 1},
			timeout=30,
		)
		self.assertNotEqual(forged.status_code, 200, forged.text[:300])
		self.assertEqual(frappe.db.count("File", {"file_url": self.bea_file.file_url}), 1)
		download = self.anna.get(self.server.url + self.bea_file.file_url, timeout=30)
		self.assertNoLeak(download)

	def test_no_attaching_to_another_customers_ticket(self):
		upload = self.anna.post(
			f"{self.server.url}/api/method/upload_file",
			files={"file": ("x.txt", b"anna was here")},
			data={"doctype": "Issue", "docname": self.bea_ticket, "is_private": 1},
			timeout=30,
		)
		self.assertNotEqual(upload.status_code, 200)
		insert = self.call(
			"frappe.client.insert",
			doc=json.dumps(
				{
					"doctype": "File",
					"file_name": "y.txt",
					"content": base64.b64encode(b"anna was here").decode(),
					"decode": 1,
					"attached_to_doctype": "Issue",
					"attached_to_name": self.bea_ticket,
				}
			),
		)
		self.assertNotEqual(insert.status_code, 200)
		self.assertEqual(frappe.db.count("File", {"attached_to_name": self.bea_ticket}), 1)

	def test_messages_are_not_moved_between_tickets(self):
		attempts = (
			(
				"frappe.email.relink",
				{
					"name": self.bea_message.name,
					"reference_doctype": "Issue",
					"reference_name": self.anna_ticket,
				},
			),
			(
				"frappe.email.relink",
				{
					"name": self.anna_message.name,
					"reference_doctype": "Issue",
					"reference_name": self.bea_ticket,
				},
			),
			("frappe.email.relink", {"name": self.bea_message.name}),
			(
				"erpnext.support.doctype.issue.issue.make_issue_from_communication",
				{"communication": self.bea_message.name},
			),
		)
		for method, params in attempts:
			answer = self.call(method, **params)
			self.assertIn(answer.status_code, (403, 404), (method, params, answer.text[:200]))
			self.assertNoLeak(answer, method)
		self.assertEqual(
			frappe.db.get_value("Communication", self.bea_message.name, "reference_name"), self.bea_ticket
		)
		self.assertEqual(
			frappe.db.get_value("Communication", self.anna_message.name, "reference_name"), self.anna_ticket
		)
		self.assertFalse(frappe.db.exists("Issue", {"subject": f"{MARKER} message"}))

	def test_no_likes_on_another_customers_ticket(self):
		answer = self.call("frappe.desk.like.toggle_like", doctype="Issue", name=self.bea_ticket, add="Yes")
		self.assertEqual(answer.status_code, 403)
		self.assertFalse(frappe.db.get_value("Issue", self.bea_ticket, "_liked_by"))


class TestOverridesFollowTheirVersion(IsolationTestCase):
	def test_another_major_version_is_refused(self):
		check_versions()  # this site's versions
		FOLLOWS["frappe"] = "14."
		try:
			self.assertRaises(frappe.ValidationError, check_versions)
		finally:
			FOLLOWS["frappe"] = "15."

	def test_guest_gets_nothing_either(self):
		guest = requests.post(
			f"{self.server.url}/api/method/frappe.client.get_count",
			data={"doctype": "Issue", "filters": json.dumps({"description": ["like", f"%{MARKER}%"]})},
			timeout=30,
		)
		self.assertNotEqual((guest.json() or {}).get("message"), 1)
