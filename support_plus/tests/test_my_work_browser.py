"""The "My Work" workspace in a real browser as a technician (a user with only the Service Technician role):
today's appointments, their own only, in order, drawn by the workspace's Custom HTML Block."""

from datetime import datetime, time, timedelta

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC

import frappe

from support_plus.tests.dispatch_fixtures import ensure_tech_users, make_technician
from support_plus.tests.http import PASSWORD
from support_plus.tests.test_desk_browser import DeskBrowserCase
from support_plus.utils import clock

# The block draws inside its own shadow root.
TODAY_ROWS = """
if (frappe.request.ajax_count) return null;
for (const el of document.querySelectorAll(".custom-block-widget-box *")) {
	const rows = el.shadowRoot && el.shadowRoot.querySelectorAll(".sp-today-row");
	if (rows && rows.length) return [...rows].map((r) => r.dataset.appointment);
}
return null;
"""


class TestMyWorkInABrowser(DeskBrowserCase):
	@classmethod
	def setUpClass(cls):
		ensure_tech_users()
		super().setUpClass()
		cls.tech = make_technician("gus", hours=None)  # any hour: the browser runs on the real clock
		cls.other = make_technician("ben", hours=None)
		frappe.db.delete("Service Appointment", {"technician": ("in", (cls.tech.name, cls.other.name))})
		day = datetime.combine(clock.today(), time(0, 0))
		cls.second = cls.book(cls.tech, day + timedelta(minutes=50))
		cls.first = cls.book(cls.tech, day + timedelta(minutes=5))
		cls.tomorrow = cls.book(cls.tech, day + timedelta(days=1, hours=1))
		cls.theirs = cls.book(cls.other, day + timedelta(minutes=5))
		cls.server.login(cls.tech.user)  # sets and commits the password, and the records above

	@classmethod
	def book(cls, technician, start):
		return frappe.get_doc(
			{
				"doctype": "Service Appointment",
				"technician": technician.name,
				"scheduled_start": start,
				"scheduled_end": start + timedelta(minutes=30),
			}
		).insert(ignore_permissions=True)

	@classmethod
	def tearDownClass(cls):
		frappe.db.rollback()
		frappe.db.delete("Service Appointment", {"technician": ("in", (cls.tech.name, cls.other.name))})
		frappe.db.commit()  # nosemgrep
		super().tearDownClass()

	def test_technician_sees_todays_appointments_in_order(self):
		browser = self.browser
		try:
			browser.delete_all_cookies()
			# Straight to the workspace (the harness's login lands on the ticket list, which a technician
			# does not have).
			browser.get(self.server.url + "/login?redirect-to=/app/my-work")
			self.wait.until(EC.visibility_of_element_located((By.ID, "login_email"))).send_keys(
				self.tech.user
			)
			browser.find_element(By.ID, "login_password").send_keys(PASSWORD)
			browser.find_element(By.CSS_SELECTOR, ".btn-login").click()
			self.wait.until(lambda b: b.current_url.endswith("/app/my-work"))
			rows = self.wait.until(lambda b: b.execute_script(TODAY_ROWS))
			self.assertEqual(rows, [self.first.name, self.second.name])
		finally:
			self.screenshot("my-work-today.png")
