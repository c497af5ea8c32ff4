"""Accept / Decline on the ticket form, in a real browser, as a technician holding only the Service
Technician role: the buttons show for their Pending assignment, the form loads without a permission
message, and Accept records the acceptance (support_plus/public/js/issue.js, dispatch/acceptance.py)."""

from selenium.webdriver.common.by import By

import frappe
from frappe.desk.form.assign_to import add as add_assignment

from support_plus.tests.dispatch_fixtures import ensure_tech_users, make_technician
from support_plus.tests.test_desk_browser import FORM_READY, DeskBrowserCase
from support_plus.tests.utils import MANAGER

SUBJECT = "Acceptance in the form: "


class TestAcceptInTheForm(DeskBrowserCase):
	@classmethod
	def setUpClass(cls):
		ensure_tech_users()
		super().setUpClass()
		cls.tech = make_technician("fay", hours=None)
		cls.server.login(cls.tech.user)  # sets and commits the password

	@classmethod
	def tearDownClass(cls):
		frappe.db.rollback()
		names = frappe.get_all("Issue", filters={"subject": ("like", SUBJECT + "%")}, pluck="name")
		for doctype, field in (
			("Comment", "reference_name"),
			("ToDo", "reference_name"),
			("DocShare", "share_name"),
			("Notification Log", "document_name"),
			("Version", "docname"),
			("Issue", "name"),
		):
			frappe.db.delete(doctype, {field: ("in", names or ["-"])})
		frappe.db.commit()  # nosemgrep
		super().tearDownClass()

	def assigned_ticket(self, subject: str) -> str:
		ticket = frappe.get_doc(
			{"doctype": "Issue", "subject": SUBJECT + subject, "priority": "Medium"}
		).insert()
		frappe.set_user(MANAGER)
		add_assignment({"assign_to": [self.tech.user], "doctype": "Issue", "name": ticket.name})
		frappe.set_user("Administrator")
		frappe.db.commit()  # nosemgrep: the web server must see it
		return ticket.name

	def acceptance(self, ticket: str) -> str:
		frappe.db.rollback()  # what the server committed
		return frappe.db.get_value(
			"ToDo", {"reference_name": ticket, "allocated_to": self.tech.user, "status": "Open"}, "acceptance"
		)

	def test_technician_accepts_their_pending_assignment_in_the_form(self):
		ticket = self.assigned_ticket("the boiler leaks")
		self.assertEqual(self.acceptance(ticket), "Pending")
		try:
			self.login(self.tech.user, to="/app/my-work")
			self.open_form(ticket, button="Accept")
			self.assertIsNotNone(self.js("return cur_frm.custom_buttons[__('Decline')]"))
			self.assert_no_errors("technician opens their Pending assignment")
			self.browser.find_element(By.CSS_SELECTOR, 'button[data-label="Accept"]').click()
			self.wait.until(
				lambda b: (
					b.execute_script(FORM_READY, ticket, None)
					and not b.execute_script("return !!cur_frm.custom_buttons[__('Accept')]")
				)
			)
			self.assert_no_errors("technician accepts")
			self.assertEqual(self.acceptance(ticket), "Accepted")
		finally:
			self.screenshot("acceptance-form.png")
