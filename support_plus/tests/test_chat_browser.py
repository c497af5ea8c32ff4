"""The chat widget in a real browser (Debian's headless Chromium), as a logged-in customer: a knowledge-base
answer, then a new ticket opened in the chat, which the customer finds in /support/tickets. A screenshot
of the chat is kept as a test artifact."""

import os
import re
import shutil
import tempfile

from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

import frappe

from support_plus.channels import conversations
from support_plus.tests.http import PASSWORD, SiteServer
from support_plus.tests.test_knowledge_base import CATEGORY, article
from support_plus.tests.test_portal import make_portal_user
from support_plus.tests.test_portal_browser import chromium
from support_plus.tests.utils import SupportTestCase, make_customer

CUSTOMER_USER = "chloe@chat-browser.example"


class TestChatInABrowser(SupportTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_portal_user(CUSTOMER_USER, make_customer("Chat Browser Ltd"))
		if not frappe.db.exists("Help Category", CATEGORY):
			frappe.get_doc({"doctype": "Help Category", "category_name": CATEGORY, "published": 1}).insert(
				ignore_permissions=True
			)
		cls.kb = article(
			"Label printer prints blank labels",
			"<p>Blank labels mean the ribbon is inserted the wrong way round.</p>",
		)
		cls.server = SiteServer.get()
		cls.server.login(CUSTOMER_USER)  # sets and commits the password
		cls.browser, cls.profile = chromium()
		cls.wait = WebDriverWait(cls.browser, 30, ignored_exceptions=(StaleElementReferenceException,))

	@classmethod
	def tearDownClass(cls):
		cls.browser.quit()
		shutil.rmtree(cls.profile, ignore_errors=True)
		frappe.db.rollback()
		names = frappe.get_all("Issue", filters={"raised_by": CUSTOMER_USER}, pluck="name")
		convs = frappe.get_all("Support Conversation", filters={"user": CUSTOMER_USER}, pluck="name")
		frappe.db.delete(conversations.MESSAGE, {"conversation": ("in", convs or ["-"])})
		frappe.db.delete("Support Conversation", {"name": ("in", convs or ["-"])})
		frappe.db.delete("Communication", {"reference_name": ("in", names or ["-"])})
		frappe.db.delete("Issue", {"name": ("in", names or ["-"])})
		frappe.delete_doc("Help Article", cls.kb.name, force=True, ignore_permissions=True)
		frappe.db.commit()  # nosemgrep
		super().tearDownClass()

	def element(self, css):
		return self.wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, css)))

	def chat_text(self) -> str:
		return self.browser.find_element(By.CSS_SELECTOR, ".sp-chat-log").text

	def type(self, text: str) -> None:
		box = self.element(".sp-chat-input")
		box.send_keys(text)
		self.browser.find_element(By.CSS_SELECTOR, ".sp-chat-send").click()

	def click_option(self, label: str) -> None:
		buttons = [
			b for b in self.browser.find_elements(By.CSS_SELECTOR, ".sp-chat-option") if b.text == label
		]
		buttons[-1].click()

	def test_kb_answer_then_a_new_ticket_that_the_customer_finds_in_the_portal(self):
		browser = self.browser
		try:
			browser.get(self.server.url + "/login")
			self.element("#login_email").send_keys(CUSTOMER_USER)
			browser.find_element(By.ID, "login_password").send_keys(PASSWORD)
			browser.find_element(By.CSS_SELECTOR, ".btn-login").click()
			self.wait.until(lambda b: "/login" not in b.current_url)
			browser.get(self.server.url + "/support")
			self.element(".sp-chat-button").click()
			self.wait.until(lambda b: "support assistant" in self.chat_text())

			self.type("my label printer prints blank labels")
			link = self.element(".sp-chat-link")
			self.assertEqual(link.text, "Label printer prints blank labels")
			self.assertTrue(link.get_attribute("href").endswith(f"/support/{self.kb.route}"))
			self.click_option("No")
			self.wait.until(lambda b: "Shall I open a ticket" in self.chat_text())
			self.click_option("Yes")
			self.wait.until(lambda b: "what is the problem" in self.chat_text())
			self.type("Label printer: blank labels")
			self.wait.until(lambda b: "Anything else we should know" in self.chat_text())
			self.type("New ribbon, still blank. <b>Urgent</b>")
			self.wait.until(lambda b: re.search(r"Ticket (RE\d{8}) is open", self.chat_text()))
			number = re.search(r"Ticket (RE\d{8}) is open", self.chat_text()).group(1)
			self.assertIn(
				"New ribbon, still blank. <b>Urgent</b>", self.chat_text()
			)  # shown as typed, not as HTML
			self.assertFalse(browser.find_elements(By.CSS_SELECTOR, ".sp-chat-log b"))

			browser.get(self.server.url + "/support/tickets")
			self.assertIn(number, self.element("#tickets").text)
			frappe.db.rollback()
			self.assertEqual(
				frappe.db.get_value("Issue", number, ["channel", "raised_by", "subject"]),
				("Chat", CUSTOMER_USER, "Label printer: blank labels"),
			)
			browser.get(self.server.url + "/support")
			self.element(".sp-chat-button").click()  # the same conversation comes back in this tab
			self.wait.until(lambda b: number in self.chat_text())
		finally:
			artifacts = os.environ.get("SUPPORT_PLUS_ARTIFACTS") or tempfile.gettempdir()
			os.makedirs(artifacts, exist_ok=True)
			browser.save_screenshot(os.path.join(artifacts, "chat-browser.png"))
