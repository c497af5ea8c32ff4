"""The Support workspace and the Support Tickets Dashboard in a real browser, as a Support Manager and a
Support Agent who hold only that role: the workspace's number cards and charts draw; on the dashboard
the Overdue card filters the table to the overdue tickets only, and the drawer adds a follow-up and
closes a ticket without leaving the page. Checks what reached the database; fails on any permission
message or console error (DeskBrowserCase). Screenshots are kept as test artifacts."""

import time

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC

import frappe
from frappe.utils import add_days

from support_plus.analytics import kpis
from support_plus.tests.test_desk_browser import RECORD_MESSAGES, DeskBrowserCase
from support_plus.tests.utils import AGENT, MANAGER
from support_plus.tickets.follow_ups import refresh_overdue
from support_plus.utils import clock

SUBJECT = "Dashboard walk: "
PAGE_READY = """
const card = document.querySelector('.sp-card[data-card="overdue"]');
return !!(card && document.querySelector('.sp-tickets') && !frappe.request.ajax_count);
"""
TABLE_ROWS = "return $('.sp-tickets tbody tr[data-name]').map((i, e) => e.dataset.name).get();"


class TestAnalyticsInABrowser(DeskBrowserCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.overdue = [cls.make_ticket(f"{SUBJECT}overdue {i}", "Open") for i in range(2)]
		cls.not_overdue = cls.make_ticket(f"{SUBJECT}on time", "Open")
		yesterday = add_days(clock.today(), -1)
		for name in cls.overdue:
			frappe.db.set_value("Issue", name, "next_follow_up_date", yesterday, update_modified=False)
		refresh_overdue(issues=[*cls.overdue, cls.not_overdue])
		frappe.db.commit()  # nosemgrep: the web server must see them

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
			("Issue", "name"),
		):
			if names:
				frappe.db.delete(doctype, {field: ("in", names)})
		frappe.db.commit()  # nosemgrep
		super().tearDownClass()

	def open_dashboard(self):
		self.js("frappe.set_route('support-tickets-dashboard')")
		self.wait.until(lambda b: b.execute_script(PAGE_READY))

	def card_value(self, key: str) -> int:
		return int(self.js(f"return $('.sp-card[data-card=\"{key}\"] .sp-card-value').text().trim()"))

	def click_card(self, key: str, title: str):
		"""Click a count; wait for the table it filters (its title says so: "Overdue tickets (2)")."""
		self.browser.find_element(By.CSS_SELECTOR, f'.sp-card[data-card="{key}"]').click()
		title = f"{title} tickets ("
		self.wait.until(
			lambda b: b.execute_script(
				"return !frappe.request.ajax_count && $('.sp-table-title').text().startsWith(arguments[0])"
				" && $('.sp-card.active').attr('data-card') === arguments[1]",
				title,
				key,
			)
		)

	def test_manager_opens_the_workspace_and_filters_overdue_tickets(self):
		try:
			self.login(MANAGER)
			self.browser.set_window_size(1366, 1400)
			self.browser.get(self.server.url + "/app/support")
			self.wait.until(
				lambda b: b.execute_script("return !!(window.frappe && frappe.boot && frappe.boot.user)")
			)
			self.js(RECORD_MESSAGES)
			# The number cards show their numbers, the charts draw (both arrive after the widgets).
			self.wait.until(
				lambda b: b.execute_script(
					"return $('.number-widget-box .widget-content .number').filter((i, e) => e.textContent.trim() !== '').length >= 8"
					" && $('svg.frappe-chart').length >= 2 && !frappe.request.ajax_count"
				)
			)
			cards = self.js(
				"return $('.number-widget-box .widget-title').map((i, e) => e.textContent.trim()).get()"
			)
			self.assertLessEqual({"Open Tickets", "Overdue Follow-ups", "SLA Breached"}, set(cards))
			self.assert_no_errors("manager opens the Support workspace")
			time.sleep(1.5)  # the charts draw their data after frappe-charts' entry delay
			self.screenshot("support-workspace.png")
			# The workspace's shortcut opens the dashboard page.
			next(
				e
				for e in self.browser.find_elements(By.CSS_SELECTOR, ".shortcut-widget-box")
				if e.is_displayed() and e.text.startswith("Support Tickets Dashboard")
			).click()
			self.wait.until(lambda b: b.execute_script(PAGE_READY))
			self.browser.set_window_size(1366, 900)

			overdue_count = self.card_value("overdue")
			frappe.db.rollback()
			self.assertEqual(overdue_count, kpis.dashboard_counts(kpis.make_scope(), MANAGER)["overdue"])
			self.assertGreaterEqual(overdue_count, 2)
			everything = self.js(TABLE_ROWS)
			self.assertLessEqual({*self.overdue, self.not_overdue}, set(everything))

			self.click_card("overdue", "Overdue")
			rows = self.js(TABLE_ROWS)
			self.assertLessEqual(set(self.overdue), set(rows))
			self.assertNotIn(self.not_overdue, rows)
			self.assertEqual(len(rows), min(overdue_count, 100))
			overdue_in_db = frappe.get_all(
				"Issue", filters={"name": ("in", rows), "is_overdue": 1, "status": ("in", kpis.OPEN_STATUSES)}
			)
			self.assertEqual(len(overdue_in_db), len(rows), "every row is an overdue ticket")
			self.screenshot("support-tickets-dashboard-overdue.png")

			# The drawer: a follow-up, then Close, without leaving the page.
			ticket = self.overdue[0]
			self.browser.find_element(By.CSS_SELECTOR, f'.sp-tickets a[data-ticket="{ticket}"]').click()
			note = self.wait.until(
				EC.visibility_of_element_located(
					(By.CSS_SELECTOR, '.sp-drawer [data-fieldname="note"] textarea')
				)
			)
			note.send_keys("Dashboard walk: called, the part ships Friday")
			self.browser.find_element(By.CSS_SELECTOR, '.sp-drawer button[data-fieldname="add"]').click()
			self.wait.until(
				lambda b: b.execute_script(
					"return !frappe.request.ajax_count && $('.sp-drawer .sp-follow-up').text().includes('ships Friday')"
				)
			)
			frappe.db.rollback()  # a fresh snapshot: what the web server committed
			self.assertTrue(
				frappe.db.exists("Issue Follow Up", {"issue": ticket, "note": ("like", "%ships Friday%")})
			)
			self.screenshot("support-tickets-dashboard-drawer.png")
			self.browser.find_element(By.CSS_SELECTOR, ".sp-drawer .sp-close-ticket").click()
			self.wait.until(EC.element_to_be_clickable((By.CSS_SELECTOR, ".modal.show .btn-primary"))).click()
			self.wait.until(
				lambda b: b.execute_script(
					"return !frappe.request.ajax_count && !$('.sp-drawer .sp-close-ticket').length"
					" && $('.sp-drawer .indicator-pill').first().text().trim() === 'Closed'"
				)
			)
			frappe.db.rollback()
			self.assertEqual(frappe.db.get_value("Issue", ticket, "status"), "Closed")
			self.assertIn("/app/support-tickets-dashboard", self.browser.current_url)
			self.js("$('.sp-backdrop').click()")
			self.wait.until(lambda b: b.execute_script("return $('.sp-drawer').hasClass('hidden')"))
			self.wait.until(lambda b: ticket not in b.execute_script(TABLE_ROWS))  # no longer overdue
			self.assert_no_errors("manager filters overdue tickets, follows up and closes one")
		finally:
			self.screenshot("support-tickets-dashboard.png")

	def test_agent_filters_open_tickets(self):
		try:
			self.login(AGENT)
			self.open_dashboard()
			self.click_card("open", "Open")
			rows = self.js(TABLE_ROWS)
			self.assertIn(self.not_overdue, rows)
			frappe.db.rollback()
			statuses = set(frappe.get_all("Issue", filters={"name": ("in", rows)}, pluck="status"))
			self.assertEqual(statuses, {"Open"})
			self.assertEqual(len(rows), min(self.card_value("open"), 100))
			# Clear Filters shows every ticket still needing work again.
			self.browser.find_element(By.CSS_SELECTOR, ".sp-clear").click()
			self.wait.until(
				lambda b: b.execute_script(
					"return !frappe.request.ajax_count && !$('.sp-card.active').length"
				)
			)
			self.assert_no_errors("agent filters open tickets")
		finally:
			self.screenshot("support-tickets-dashboard-agent.png")
