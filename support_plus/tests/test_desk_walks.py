"""Daily desk walks in a real browser, as a Support Agent and a Support Manager who hold only that role:
bulk actions from the ticket list, a phone ticket whose caller is found by number, Reply to Customer,
Add Follow-up, Escalate (and the list's escalated marker and SLA Health column at 1366 px), an escalation
rule with a priority filter, and SLA Compliance grouped by customer. Each walk checks what reached the
database, and fails on any permission message or console error (DeskBrowserCase)."""

import time
from urllib.parse import quote

from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select

import frappe
from frappe.desk.form.assign_to import add as add_assignment

from support_plus.tests.test_desk_browser import LIST_ACTIONS, RECORD_MESSAGES, DeskBrowserCase
from support_plus.tests.utils import AGENT, MANAGER, make_customer

CUSTOMER = "Walk Dental Studio"
CONTACT_EMAIL = "greta@walk-dental.example"
CONTACT_PHONE = "+49 89 5550 3141"
TYPED_NUMBER = "089 5550-3141"  # as the agent hears it: no country code, other separators
RULE = "SP Walk Critical response"
SUBJECT = "Walk: "  # every ticket of these walks, for the cleanup
LIST_READY = """
return !!(window.cur_list && cur_list.doctype === "Issue" && cur_list.data && !frappe.request.ajax_count
	&& cur_list.$result.find(".list-row-container").length);
"""


class TestDeskWalks(DeskBrowserCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_customer(CUSTOMER)
		cls.contact = cls.make_contact()
		cls.bulk = [cls.make_ticket(f"{SUBJECT}bulk {i}", "Open") for i in range(2)]
		for name in cls.bulk:  # assigned to the manager: the agent's replace takes them over
			add_assignment({"assign_to": [MANAGER], "doctype": "Issue", "name": name})
		# A customer's ticket answered in time, for SLA Compliance grouped by customer.
		answered = frappe.get_doc(
			{
				"doctype": "Issue",
				"subject": f"{SUBJECT}answered",
				"priority": "Medium",
				"customer": CUSTOMER,
				"raised_by": CONTACT_EMAIL,
			}
		).insert()
		answered.status = "Replied"
		answered.save()
		frappe.db.delete("Support Escalation Rule", {"name": RULE})
		frappe.db.commit()  # nosemgrep: the web server must see them

	@classmethod
	def make_contact(cls) -> str:
		existing = frappe.db.get_value("Contact", {"email_id": CONTACT_EMAIL})
		if existing:
			frappe.delete_doc("Contact", existing, ignore_permissions=True, force=True)
		return (
			frappe.get_doc(
				{
					"doctype": "Contact",
					"first_name": "Greta",
					"last_name": "Walker",
					"email_ids": [{"email_id": CONTACT_EMAIL, "is_primary": 1}],
					"phone_nos": [{"phone": CONTACT_PHONE, "is_primary_phone": 1}],
					"links": [{"link_doctype": "Customer", "link_name": CUSTOMER}],
				}
			)
			.insert(ignore_permissions=True)
			.name
		)

	@classmethod
	def tearDownClass(cls):
		frappe.db.rollback()
		names = frappe.get_all("Issue", filters={"subject": ("like", f"{SUBJECT}%")}, pluck="name")
		for doctype, field in (
			("Comment", "reference_name"),
			("Communication", "reference_name"),
			("Version", "docname"),
			("ToDo", "reference_name"),
			("Email Queue", "reference_name"),
			("Notification Log", "document_name"),
			("Issue Follow Up", "issue"),
			("Issue Escalation", "issue"),
			("Issue", "name"),
		):
			if names:
				frappe.db.delete(doctype, {field: ("in", names)})
		frappe.db.delete("Support Escalation Rule", {"name": RULE})
		frappe.delete_doc("Contact", cls.contact, ignore_permissions=True, force=True)
		frappe.db.commit()  # nosemgrep
		super().tearDownClass()

	# --- helpers -------------------------------------------------------------------------------------

	def until_db(self, check, what: str, timeout: float = 30):
		"""Wait until `check()` holds in the database (what the browser's requests committed)."""
		deadline = time.monotonic() + timeout
		while True:
			frappe.db.rollback()
			result = check()
			if result:
				return result
			if time.monotonic() > deadline:
				self.fail(f"not in the database: {what}")
			time.sleep(0.3)

	def dialog_input(self, fieldname: str, tag: str = "input"):
		return self.wait.until(
			EC.visibility_of_element_located(
				(By.CSS_SELECTOR, f'.modal.show [data-fieldname="{fieldname}"] {tag}')
			)
		)

	def pick_in_dialog(self, fieldname: str, typed: str, option_text: str):
		"""Type into a dialog's link field and choose the link search's suggestion containing `option_text`."""
		field = self.dialog_input(fieldname)
		field.clear()
		field.send_keys(typed)

		def option(_):
			options = self.browser.find_elements(
				By.CSS_SELECTOR, f'.modal.show [data-fieldname="{fieldname}"] ul[role=listbox] [role=option]'
			)
			return next((o for o in options if o.is_displayed() and option_text in o.text), None)

		self.wait.until(option).click()

	def click_primary(self):
		self.browser.find_element(By.CSS_SELECTOR, ".modal.show .btn-primary").click()

	def open_list(self):
		self.js("frappe.set_route('List', 'Issue', 'List')")
		self.wait.until(lambda b: b.execute_script(LIST_READY))

	def list_action(self, label: str):
		"""Open the list's Actions menu and choose `label`, as a person does."""

		def visible(selector, text=None):
			return lambda b: next(
				(
					e
					for e in b.find_elements(By.CSS_SELECTOR, selector)
					if e.is_displayed() and (text is None or e.text.strip() == text)
				),
				None,
			)

		self.wait.until(visible(".actions-btn-group > button")).click()
		self.wait.until(visible(".actions-btn-group .dropdown-menu .dropdown-item", label)).click()

	def shortcuts(self) -> dict:
		"""The workspace's shortcuts: {label: its count text}."""
		return self.js(
			"return Object.fromEntries($('.shortcut-widget-box').get().map((e) => "
			"[$(e).find('.widget-title').text().trim(), $(e).find('.widget-control').text().trim()]))"
		)

	def list_only(self, names: list[str]):
		"""The ticket list showing just these tickets (whatever their status: the list opens on Open)."""
		self.open_list()
		self.js(
			"cur_list.filter_area.clear(false).then(() => cur_list.filter_area.add([['Issue', 'name', 'in', arguments[0]]]))",
			names,
		)
		self.wait.until(
			lambda b: (
				b.execute_script(LIST_READY)
				and sorted(b.execute_script("return cur_list.data.map((d) => d.name)")) == sorted(names)
			)
		)

	def check_rows(self, names: list[str]):
		self.js("cur_list.$result.find('.list-row-checkbox:checked').click()")
		for name in names:
			self.wait.until(
				lambda b, name=name: b.find_element(
					By.CSS_SELECTOR, f'.list-row-checkbox[data-name="{name}"]'
				).is_displayed()
			)
			self.browser.find_element(By.CSS_SELECTOR, f'.list-row-checkbox[data-name="{name}"]').click()

	def click_button(self, label: str):
		"""A page's button (form action, list button): Frappe's data-label is the URI-encoded label."""
		self.wait.until(
			EC.element_to_be_clickable((By.CSS_SELECTOR, f'button[data-label="{quote(label)}"]'))
		).click()

	# --- walks ---------------------------------------------------------------------------------------

	def test_agent_changes_many_tickets_from_the_list(self):
		try:
			self.login(AGENT)
			self.list_only(self.bulk)
			self.check_rows(self.bulk)
			self.list_action("Set Priority")
			title = self.wait.until(
				EC.visibility_of_element_located((By.CSS_SELECTOR, ".modal.show .modal-title"))
			)
			self.assertEqual(title.text, "Set Priority: 2 tickets")
			self.pick_in_dialog("priority", "High", "High")
			self.click_primary()
			self.until_db(
				lambda: all(frappe.db.get_value("Issue", n, "priority") == "High" for n in self.bulk),
				"priority High on both",
			)
			self.assert_no_errors("agent sets the priority of two tickets")

			self.list_only(self.bulk)
			self.check_rows(self.bulk)
			self.list_action("Set Status")
			Select(self.dialog_input("status", "select")).select_by_value("In Progress")
			self.click_primary()
			self.until_db(
				lambda: all(frappe.db.get_value("Issue", n, "status") == "In Progress" for n in self.bulk),
				"status In Progress on both",
			)
			self.assert_no_errors("agent sets the status of two tickets")

			# Replace: the manager's assignment goes, the agent is the only assignee.
			self.list_only(self.bulk)
			self.check_rows(self.bulk)
			self.list_action("Change Assignee")
			self.pick_in_dialog("assign_to", AGENT, AGENT)
			self.assertEqual(
				Select(self.dialog_input("assign_mode", "select")).first_selected_option.get_attribute(
					"value"
				),
				"Replace",
			)
			self.click_primary()
			self.until_db(
				lambda: all(
					frappe.get_all(
						"ToDo", filters={"reference_name": n, "status": "Open"}, pluck="allocated_to"
					)
					== [AGENT]
					for n in self.bulk
				),
				"the agent replaces the manager on both",
			)
			for name in self.bulk:
				self.assertEqual(
					frappe.db.get_value("ToDo", {"reference_name": name, "allocated_to": MANAGER}, "status"),
					"Cancelled",
				)
			self.assert_no_errors("agent replaces the assignees")
		finally:
			self.screenshot("desk-walk-bulk.png")

	def close_messages(self, step: str) -> None:
		"""Wait until no dialog is on screen, closing the messages (msgprint) that come up meanwhile; a dialog
		that stays fails the walk with its text. (Bootstrap may leave "show" on a faded dialog when two
		modals change at once: only what is displayed counts.)"""
		seen = []
		deadline = time.monotonic() + 30
		while time.monotonic() < deadline:
			shown = [
				m for m in self.browser.find_elements(By.CSS_SELECTOR, ".modal.show") if m.is_displayed()
			]
			if not shown:
				return
			for modal in shown:
				try:
					seen.append(modal.text.strip()[:200])
					if modal.find_elements(By.CSS_SELECTOR, ".msgprint"):
						modal.find_element(By.CSS_SELECTOR, ".btn-modal-close").click()
				except (StaleElementReferenceException, WebDriverException):
					pass  # it closed meanwhile
			time.sleep(0.5)
		self.fail(f"{step}: a dialog stays open: {sorted(set(seen))}")

	def test_agent_takes_a_call_replies_follows_up_and_escalates(self):
		try:
			self.login(AGENT)
			self.browser.set_window_size(1366, 900)
			# The Support workspace: our shortcuts (with their counts) and links; Phone Ticket opens the dialog.
			self.browser.get(self.server.url + "/app/support")
			self.wait.until(
				lambda b: b.execute_script("return !!(window.frappe && frappe.boot && frappe.boot.user)")
			)
			self.js(RECORD_MESSAGES)  # a new page: record its messages too
			# (the counts arrive after the widgets)
			shortcuts = self.wait.until(
				lambda b: (
					lambda s: (
						s
						if "Phone Ticket" in s and s.get("Escalated Tickets") and s.get("My Open Tickets")
						else None
					)
				)(self.shortcuts())
			)
			self.assertRegex(shortcuts["My Open Tickets"], r"\d+ open")
			self.assertRegex(shortcuts["Escalated Tickets"], r"\d+ escalated")
			links = self.js(
				"return $('.links-widget-box .link-item').map((i, e) => e.textContent.trim()).get()"
			)
			self.assertLessEqual(
				{"SLA Compliance", "Escalation Rules", "Escalations", "Follow-ups"}, set(links)
			)
			self.assert_no_errors("agent opens the Support workspace")
			next(
				e
				for e in self.browser.find_elements(By.CSS_SELECTOR, ".shortcut-widget-box")
				if e.is_displayed() and e.text.startswith("Phone Ticket")
			).click()
			self.wait.until(lambda b: "/app/issue" in b.current_url)
			self.wait.until(lambda b: b.execute_script(LIST_READY))
			self.js(RECORD_MESSAGES)  # a new page: record its messages too
			# The number as the caller gives it finds Greta and her customer.
			phone = self.dialog_input("contact_phone")
			phone.send_keys(TYPED_NUMBER, Keys.TAB)
			self.wait.until(
				lambda b: (
					b.execute_script("return support_plus.phone_dialog.get_value('contact')") == self.contact
				)
			)
			self.wait.until(
				lambda b: (
					b.execute_script("return support_plus.phone_dialog.get_value('customer')") == CUSTOMER
				)
			)
			self.wait.until(
				lambda b: (
					CONTACT_EMAIL
					in b.execute_script(
						"return support_plus.phone_dialog.fields_dict.caller_info.$wrapper.text()"
					)
				)
			)
			self.dialog_input("subject").send_keys(f"{SUBJECT}X-ray sensor not detected")
			self.click_primary()
			ticket = self.until_db(
				lambda: frappe.db.get_value(
					"Issue", {"subject": f"{SUBJECT}X-ray sensor not detected"}, "name"
				),
				"the phone ticket",
			)
			doc = frappe.get_doc("Issue", ticket)
			self.assertEqual(
				(doc.channel, doc.contact, doc.customer, doc.raised_by),
				("Phone", self.contact, CUSTOMER, CONTACT_EMAIL),
			)
			self.assertEqual(doc.get_assigned_users(), {AGENT})
			self.assert_no_errors("agent saves a phone ticket")

			# My Open Tickets, one click: the new ticket is there.
			self.assertIn(
				ticket,
				self.wait.until(
					EC.visibility_of_element_located((By.CSS_SELECTOR, ".modal.show .msgprint"))
				).text,
			)
			# The message's own close button: the phone dialog may still be fading out (also .show, and first
			# in the page), and clicking its close button instead would leave the message open.
			self.wait.until(lambda b: not b.execute_script("return support_plus.phone_dialog.display"))
			self.browser.find_element(
				By.XPATH,
				"//div[contains(@class, 'modal') and contains(@class, 'show')][.//div[contains(@class, 'msgprint')]]"
				"//button[contains(@class, 'btn-modal-close')]",
			).click()
			self.close_messages("after the phone ticket")
			self.click_button("My Open Tickets")
			self.wait.until(
				lambda b: (
					b.execute_script(LIST_READY)
					and ticket in b.execute_script("return cur_list.data.map((d) => d.name)")
				)
			)

			# Reply to Customer reaches the contact, not the agent.
			self.open_form(ticket, "Reply to Customer")
			self.click_button("Reply to Customer")
			editor = self.dialog_input("message", ".ql-editor")
			editor.click()
			editor.send_keys("A technician calls you back within the hour.")
			self.click_primary()
			recipients = self.until_db(
				lambda: frappe.db.get_value(
					"Communication",
					{"reference_name": ticket, "sent_or_received": "Sent", "communication_medium": "Email"},
					"recipients",
				),
				"the reply",
			)
			self.assertEqual(recipients, CONTACT_EMAIL)
			self.wait.until(lambda b: b.execute_script(FORM_IDLE))
			self.assert_no_errors("agent replies to the customer")

			self.open_form(ticket, "Add Follow-up")
			self.click_button("Add Follow-up")
			self.dialog_input("note", "textarea").send_keys("Call back after the technician's visit")
			self.click_primary()
			self.until_db(
				lambda: frappe.db.exists(
					"Issue Follow Up", {"issue": ticket, "note": ("like", "%technician's visit%")}
				),
				"the follow-up",
			)
			self.wait.until(lambda b: b.execute_script(FORM_IDLE))
			self.assert_no_errors("agent adds a follow-up")

			self.open_form(ticket, "Escalate")
			self.click_button("Escalate")
			self.dialog_input("reason", "textarea").send_keys("Practice cannot take X-rays today")
			self.click_primary()
			self.until_db(
				lambda: (
					frappe.db.get_value("Issue", ticket, "escalation_count") == 1
					and frappe.db.exists("Issue Escalation", {"issue": ticket, "escalated_by": AGENT})
				),
				"the escalation",
			)
			self.wait.until(lambda b: b.execute_script(FORM_IDLE))
			self.assert_no_errors("agent escalates")

			# The list at 1366 px: SLA Health is a column, and the ticket carries the escalated marker.
			self.assertLessEqual(self.js("return window.innerWidth"), 1366)
			self.open_list()
			self.wait.until(lambda b: ticket in b.execute_script("return cur_list.data.map((d) => d.name)"))
			header = self.js(
				"return cur_list.$result.find('.list-row-head .list-row-col').get()"
				".filter((e) => e.textContent.trim() === __('SLA Health'))[0]"
			)
			self.assertIsNotNone(header, "SLA Health column")
			self.assertTrue(header.is_displayed())
			self.assertLessEqual(header.rect["x"] + header.rect["width"], 1366)
			row = self.browser.find_element(
				By.CSS_SELECTOR, f'.list-row-checkbox[data-name="{ticket}"]'
			).find_element(By.XPATH, "ancestor::div[contains(concat(' ', @class, ' '), ' list-row ')][1]")
			self.assertIn("Escalated", row.text)
			self.assert_no_errors("agent reads the list at 1366 px")
		finally:
			self.screenshot("desk-walk-phone-ticket.png")
			self.browser.set_window_size(1280, 1000)

	def test_manager_saves_an_escalation_rule_for_one_priority(self):
		try:
			self.login(MANAGER)
			self.js("frappe.set_route('Form', 'Support Escalation Rule', 'new')")
			self.wait.until(
				lambda b: b.execute_script(
					"return !!(window.cur_frm && cur_frm.doctype === 'Support Escalation Rule' && cur_frm.is_new()"
					" && !frappe.request.ajax_count)"
				)
			)
			field = lambda name: self.js(  # noqa: E731
				"return cur_frm.fields_dict[arguments[0]].$input.get(0)", name
			)
			field("rule_name").send_keys(RULE)
			Select(field("clock")).select_by_value("Response")
			threshold = field("threshold_percent")
			self.js("arguments[0].select()", threshold)  # replace what is there, as a double click would
			threshold.send_keys("80", Keys.TAB)
			self.wait.until(lambda b: b.execute_script("return cur_frm.doc.threshold_percent") == 80)
			field("create_todo").click()  # the action
			priority = field("priority")
			priority.send_keys("High")
			self.wait.until(lambda b: self.suggestion("priority", "High")).click()
			self.wait.until(lambda b: b.execute_script("return cur_frm.doc.priority") == "High")
			self.js("cur_frm.save()")
			self.wait.until(
				lambda b: b.execute_script(
					"return !cur_frm.is_new() && !cur_frm.is_dirty() && !frappe.request.ajax_count"
				)
			)
			self.assert_no_errors("manager saves an escalation rule")
			frappe.db.rollback()
			self.assertEqual(
				frappe.db.get_value(
					"Support Escalation Rule", RULE, ["priority", "clock", "threshold_percent", "create_todo"]
				),
				("High", "Response", 80, 1),
			)
		finally:
			self.screenshot("desk-walk-escalation-rule.png")

	def test_manager_reads_sla_compliance_by_customer(self):
		try:
			self.login(MANAGER)
			self.js("frappe.set_route('query-report', 'SLA Compliance', {group_by: 'Customer'})")
			self.wait.until(
				lambda b: b.execute_script(
					"return !!(frappe.query_report && frappe.query_report.report_name === 'SLA Compliance'"
					" && frappe.query_report.get_filter_value('group_by') === 'Customer'"
					" && frappe.query_report.data && !frappe.request.ajax_count)"
				)
			)
			rows = self.wait.until(
				lambda b: b.execute_script(
					"return frappe.query_report.data.filter((r) => Object.values(r).includes(arguments[0]))",
					CUSTOMER,
				)
			)
			self.assertEqual([r["group"] for r in rows], [CUSTOMER])
			self.assertGreaterEqual(rows[0]["response_met"], 1)  # the ticket answered in time
			self.assertIn(CUSTOMER, self.browser.find_element(By.CSS_SELECTOR, ".report-wrapper").text)
			self.assert_no_errors("manager opens SLA Compliance by customer")
		finally:
			self.screenshot("desk-walk-sla-compliance.png")

	def test_manager_opens_an_analytics_report_with_the_shared_filters(self):
		"""The analytics reports' filters come from one script (public/js/report_filters.js)."""
		try:
			self.login(MANAGER)
			self.js("frappe.set_route('query-report', 'Ticket Volume', {group_by: 'Priority'})")
			self.wait.until(
				lambda b: b.execute_script(
					"return !!(frappe.query_report && frappe.query_report.report_name === 'Ticket Volume'"
					" && frappe.query_report.data && !frappe.request.ajax_count)"
				)
			)
			names = self.browser.execute_script(
				"return frappe.query_report.filters.map((f) => f.df.fieldname)"
			)
			self.assertEqual(
				names,
				[
					"from_date",
					"to_date",
					"group_by",
					"company",
					"support_team",
					"priority",
					"issue_type",
					"customer",
				],
			)
			self.assertEqual(
				self.browser.execute_script("return frappe.query_report.get_filter_value('group_by')"),
				"Priority",
			)
			self.assert_no_errors("manager opens Ticket Volume")
		finally:
			self.screenshot("desk-walk-ticket-volume.png")

	def test_manager_opens_the_parts_and_van_reports_with_the_shared_filters(self):
		"""Their date range and van filter come from public/js/report_filters.js too."""
		try:
			self.login(MANAGER)
			for report, first_filters in (
				("Parts Usage", ["from_date", "to_date", "group_by"]),
				("Service Revenue", ["from_date", "to_date", "group_by"]),
				("Parts Shortage", ["from_date", "to_date", "company"]),
				("Van Stock", ["warehouse", "status"]),
				("Slow-Moving Van Stock", ["warehouse", "days"]),
				("Van Audit Variance", ["warehouse", "item_code"]),
			):
				# A page load each, as from a link: set_route from one report to the next carries a filter of
				# the same name (group_by) into a report whose options lack its value.
				self.browser.get(f"{self.server.url}/app/query-report/{quote(report)}")
				names = self.wait.until(
					lambda b, report=report: b.execute_script(
						"return frappe.query_report && frappe.query_report.report_name === arguments[0]"
						" && !frappe.request.ajax_count && frappe.query_report.filters.map((f) => f.df.fieldname)",
						report,
					)
				)
				self.assertEqual(names[: len(first_filters)], first_filters, report)
				self.js(RECORD_MESSAGES)  # the page load dropped the recorder
			self.assertEqual(
				self.js("return frappe.query_report.get_filter('warehouse').df.get_query().filters"),
				{"parent_warehouse": ["like", "Vans - %"]},
			)
			self.assert_no_errors("manager opens the parts and van reports")
		finally:
			self.screenshot("desk-walk-van-reports.png")


FORM_IDLE = "return !!(window.cur_frm && !cur_frm.is_dirty() && !frappe.request.ajax_count && !$('.modal.show').length)"
