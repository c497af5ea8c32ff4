"""A customer in a real browser (Debian's headless Chromium): log in, open a ticket, find it in the list,
write a comment, rate the resolved ticket. A screenshot of the last page is kept as a test artifact."""

import os
import shutil
import tempfile

from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

import frappe

from support_plus.tests.http import PASSWORD, SiteServer
from support_plus.tests.test_portal import make_portal_user
from support_plus.tests.utils import SupportTestCase, make_customer

CUSTOMER_USER = "carla@browser-portal.example"


def chromium():
	for binary, driver in (("/usr/bin/chromium", "/usr/bin/chromedriver"),):
		if os.path.exists(binary) and os.path.exists(driver):
			options = webdriver.ChromeOptions()
			options.binary_location = binary
			for arg in (
				"--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
				"--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
				"--window-size=1280,1000",
			):  # fmt: skip
				options.add_argument(arg)
			options.set_capability("goog:loggingPrefs", {"browser": "ALL"})  # console, for get_log
			profile = tempfile.mkdtemp(prefix="sp-chromium-")
			options.add_argument(f"--user-data-dir={profile}")
			return webdriver.Chrome(service=Service(driver), options=options), profile
	raise AssertionError(
		"Chromium is missing: ./scripts/setup.sh installs Debian's chromium and chromium-driver"
	)


class TestPortalInABrowser(SupportTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_portal_user(CUSTOMER_USER, make_customer("Browser Portal Ltd"))
		cls.server = SiteServer.get()
		cls.server.login(CUSTOMER_USER)  # sets and commits the password
		cls.browser, cls.profile = chromium()
		# Pages reload after an action: an element found just before can go stale while waiting.
		cls.wait = WebDriverWait(cls.browser, 30, ignored_exceptions=(StaleElementReferenceException,))

	@classmethod
	def tearDownClass(cls):
		cls.browser.quit()
		shutil.rmtree(cls.profile, ignore_errors=True)
		frappe.db.rollback()
		names = frappe.get_all("Issue", filters={"raised_by": CUSTOMER_USER}, pluck="name")
		frappe.db.delete("Communication", {"reference_name": ("in", names or ["-"])})
		frappe.db.delete("Issue", {"name": ("in", names or ["-"])})
		frappe.db.commit()  # nosemgrep
		super().tearDownClass()

	def open(self, path):
		self.browser.get(self.server.url + path)

	def element(self, css):
		return self.wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, css)))

	def test_open_follow_comment_and_rate(self):
		browser = self.browser
		try:
			self.open("/login")
			self.element("#login_email").send_keys(CUSTOMER_USER)
			browser.find_element(By.ID, "login_password").send_keys(PASSWORD)
			browser.find_element(By.CSS_SELECTOR, ".btn-login").click()
			self.wait.until(lambda b: "/login" not in b.current_url)

			self.open("/support/new")
			self.element("#subject").send_keys("Browser: the card reader beeps")
			browser.find_element(By.ID, "description").send_keys(
				"It beeps three times and rejects every card."
			)
			browser.find_element(By.ID, "submit-ticket").click()
			number = self.element("#new-ticket-number").text
			self.assertRegex(number, r"^RE\d{8}$")

			self.open("/support/tickets")
			self.assertIn(number, self.element("#tickets").text)

			self.open(f"/support/tickets/{number}")
			self.element("#message").send_keys("It also happens with phone payments.")
			browser.find_element(By.ID, "send").click()
			self.wait.until(
				lambda b: "It also happens with phone payments." in b.find_element(By.ID, "conversation").text
			)

			frappe.db.rollback()  # see what the browser did
			doc = frappe.get_doc("Issue", number)
			doc.status = "Resolved"
			doc.save()
			frappe.db.commit()  # nosemgrep: the web server is another process

			self.open(f"/support/tickets/{number}")
			Select(self.element("#rating")).select_by_value("5")
			browser.find_element(By.ID, "feedback").send_keys("Fixed in a day")
			browser.find_element(By.ID, "rate").click()
			self.element(".msgprint, .modal-body")
			frappe.db.rollback()
			self.assertEqual(
				frappe.db.get_value("Issue", number, ["customer_rating", "customer_feedback"]),
				(5, "Fixed in a day"),
			)
		finally:
			artifacts = os.environ.get("SUPPORT_PLUS_ARTIFACTS") or tempfile.gettempdir()
			os.makedirs(artifacts, exist_ok=True)
			browser.save_screenshot(os.path.join(artifacts, "portal-browser.png"))
