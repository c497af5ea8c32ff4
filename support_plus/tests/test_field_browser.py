"""A technician on a phone-sized window in a real browser (Debian's headless Chromium) walks /field: open
today's appointment, En Route, On Site, the customer signs with a finger, Completed. A screenshot of the
completed visit is kept as a test artifact."""

import os
import shutil
import tempfile
from datetime import timedelta

from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

import frappe
from frappe.utils import now_datetime

from support_plus.tests.appointment_fixtures import field_ticket
from support_plus.tests.dispatch_fixtures import ensure_tech_users, make_technician
from support_plus.tests.http import PASSWORD, SiteServer
from support_plus.tests.test_portal_browser import chromium
from support_plus.tests.utils import SupportTestCase

PHONE = (390, 844)


class TestFieldInABrowser(SupportTestCase):
	@classmethod
	def setUpClass(cls):
		ensure_tech_users()
		super().setUpClass()
		cls.tech = make_technician("fay", hours=None)  # any hour: the browser runs on the real clock
		frappe.db.delete("Service Appointment", {"technician": cls.tech.name})
		cls.ticket = field_ticket("Browser: the boiler pressure drops")
		start = now_datetime().replace(second=0, microsecond=0) + timedelta(minutes=20)
		cls.appointment = frappe.get_doc(
			{
				"doctype": "Service Appointment",
				"technician": cls.tech.name,
				"issue": cls.ticket.name,
				"scheduled_start": start,
				"scheduled_end": start + timedelta(hours=1),
			}
		).insert(ignore_permissions=True)
		cls.server = SiteServer.get()
		cls.server.login(cls.tech.user)  # sets and commits the password, and the records above
		cls.browser, cls.profile = chromium()
		cls.browser.set_window_size(*PHONE)
		cls.wait = WebDriverWait(cls.browser, 30, ignored_exceptions=(StaleElementReferenceException,))

	@classmethod
	def tearDownClass(cls):
		cls.browser.quit()
		shutil.rmtree(cls.profile, ignore_errors=True)
		frappe.db.rollback()
		visit = frappe.db.get_value("Service Appointment", cls.appointment.name, "maintenance_visit")
		if visit:
			frappe.db.delete("Maintenance Visit Purpose", {"parent": visit})
			frappe.db.delete("Maintenance Visit", visit)
		frappe.db.delete("Service Appointment", {"technician": cls.tech.name})
		frappe.db.delete("Comment", {"reference_doctype": "Issue", "reference_name": cls.ticket.name})
		frappe.delete_doc("Issue", cls.ticket.name, force=True, ignore_permissions=True)
		frappe.db.commit()  # nosemgrep
		super().tearDownClass()

	def element(self, css):
		return self.wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, css)))

	def status_becomes(self, status):
		self.wait.until(lambda b: b.find_element(By.ID, "appointment-status").text == status)

	def test_en_route_on_site_sign_and_complete(self):
		browser = self.browser
		name = self.appointment.name
		try:
			browser.get(self.server.url + "/login")
			self.element("#login_email").send_keys(self.tech.user)
			browser.find_element(By.ID, "login_password").send_keys(PASSWORD)
			browser.find_element(By.CSS_SELECTOR, ".btn-login").click()
			self.wait.until(lambda b: "/login" not in b.current_url)

			browser.get(self.server.url + "/field")
			self.element(f'#today a[data-appointment="{name}"]').click()
			self.wait.until(lambda b: b.current_url.endswith(f"/field/{name}"))
			self.assertIn("Browser: the boiler pressure drops", self.element("#ticket").text)
			self.assertIn("openstreetmap.org", self.element("#map-link").get_attribute("href"))

			self.element("#action-en-route").click()
			self.status_becomes("En Route")
			self.element("#action-on-site").click()
			self.status_becomes("On Site")

			self.element("#work-done").send_keys("Bled the radiators, replaced the pressure valve")
			time_spent = self.element("#time-spent")
			time_spent.clear()
			time_spent.send_keys("45")
			canvas = self.element("#signature")
			browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", canvas)
			ActionChains(browser).move_to_element_with_offset(
				canvas, -100, 10
			).click_and_hold().move_by_offset(40, -30).move_by_offset(40, 40).move_by_offset(
				60, -20
			).release().perform()
			self.element("#action-completed").click()
			self.status_becomes("Completed")
			self.element("#signed")

			frappe.db.rollback()  # see what the browser did
			doc = frappe.get_doc("Service Appointment", name)
			self.assertEqual((doc.status, doc.time_spent_minutes), ("Completed", 45))
			self.assertTrue(doc.customer_signature.startswith("data:image/png;base64,"))
			self.assertIn(doc.maintenance_visit, self.element("#maintenance-visit").text)
			visit = frappe.get_doc("Maintenance Visit", doc.maintenance_visit)
			self.assertEqual(visit.docstatus, 1)
			self.assertEqual(visit.customer_signature, doc.customer_signature)
			self.assertEqual(visit.purposes[0].work_done, "Bled the radiators, replaced the pressure valve")
		finally:
			artifacts = os.environ.get("SUPPORT_PLUS_ARTIFACTS") or tempfile.gettempdir()
			os.makedirs(artifacts, exist_ok=True)
			browser.execute_script("window.scrollTo(0, 0)")
			browser.save_screenshot(os.path.join(artifacts, "field-browser.png"))
