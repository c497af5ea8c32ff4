"""A customer in a real browser (Debian's headless Chromium) on /support/equipment: open their own serial
number, see its coverage, start a ticket for it from there. Screenshots of the serial's page and of the
created ticket are kept as test artifacts."""

import os
import shutil
import tempfile
from datetime import timedelta

from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

import frappe

from support_plus.tests.http import PASSWORD, SiteServer
from support_plus.tests.test_portal import make_portal_user
from support_plus.tests.test_portal_browser import chromium
from support_plus.tests.utils import SupportTestCase, make_customer
from support_plus.tests.warranty_fixtures import make_serial_item
from support_plus.utils import clock

USER = "bruno@browser-equipment.example"
CUSTOMER = "Browser Equipment Ltd"
ITEM = "SP-BROWSER-CHILLER"
SERIAL = "SPB-CHILLER-7"


class TestEquipmentInABrowser(SupportTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.cleanup()
		make_portal_user(USER, make_customer(CUSTOMER))
		make_serial_item(ITEM, 365)
		frappe.get_doc(
			{
				"doctype": "Serial No",
				"serial_no": SERIAL,
				"item_code": ITEM,
				"customer": CUSTOMER,
				"delivered_on": clock.today() - timedelta(days=20),  # the browser runs on the real clock
			}
		).insert(ignore_permissions=True)
		cls.server = SiteServer.get()
		cls.server.login(USER)  # sets and commits the password, and the records above
		cls.browser, cls.profile = chromium()
		cls.wait = WebDriverWait(cls.browser, 30, ignored_exceptions=(StaleElementReferenceException,))

	@classmethod
	def cleanup(cls):
		names = frappe.get_all("Issue", filters={"raised_by": USER}, pluck="name")
		for doctype, field in (
			("Communication", "reference_name"),
			("Email Queue", "reference_name"),
			("Issue", "name"),
		):
			frappe.db.delete(doctype, {field: ("in", names or ["-"])})
		frappe.db.delete("Serial No", SERIAL)

	@classmethod
	def tearDownClass(cls):
		cls.browser.quit()
		shutil.rmtree(cls.profile, ignore_errors=True)
		frappe.db.rollback()
		cls.cleanup()
		frappe.db.commit()  # nosemgrep
		super().tearDownClass()

	def element(self, css):
		return self.wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, css)))

	def screenshot(self, name):
		artifacts = os.environ.get("SUPPORT_PLUS_ARTIFACTS") or tempfile.gettempdir()
		os.makedirs(artifacts, exist_ok=True)
		self.browser.save_screenshot(os.path.join(artifacts, name))

	def test_open_own_serial_and_start_a_ticket(self):
		browser = self.browser
		try:
			browser.get(self.server.url + "/login")
			self.element("#login_email").send_keys(USER)
			browser.find_element(By.ID, "login_password").send_keys(PASSWORD)
			browser.find_element(By.CSS_SELECTOR, ".btn-login").click()
			self.wait.until(lambda b: "/login" not in b.current_url)

			browser.get(self.server.url + "/support")
			self.element("#equipment-link").click()
			self.element(f'#equipment tr[data-serial="{SERIAL}"] a.serial-link').click()
			self.wait.until(lambda b: b.current_url.endswith(f"/support/equipment/{SERIAL}"))
			self.assertEqual(self.element("#coverage-status").text, "Under Warranty")
			self.element("#warranty-until")
			self.screenshot("equipment-serial.png")

			self.element("#new-ticket-for-serial").click()
			self.wait.until(lambda b: "/support/new" in b.current_url)
			self.assertEqual(self.element("#serial_no").get_attribute("value"), SERIAL)
			self.assertEqual(self.element("#serial-item").text, ITEM)
			self.element("#subject").send_keys("Browser: the chiller ices up")
			browser.find_element(By.ID, "description").send_keys("Ice on the coil every morning.")
			browser.find_element(By.ID, "submit-ticket").click()
			number = self.element("#new-ticket-number").text

			frappe.db.rollback()  # see what the browser did
			ticket = frappe.db.get_value(
				"Issue", number, ["serial_no", "customer", "warranty_status", "raised_by"], as_dict=True
			)
			self.assertEqual(
				(ticket.serial_no, ticket.customer, ticket.warranty_status, ticket.raised_by),
				(SERIAL, CUSTOMER, "Under Warranty", USER),
			)
			# the serial's history lists it
			browser.get(self.server.url + f"/support/equipment/{SERIAL}")
			self.element(f'#history tr[data-name="{number}"] a[href="/support/tickets/{number}"]')
		finally:
			self.screenshot("equipment-browser.png")
