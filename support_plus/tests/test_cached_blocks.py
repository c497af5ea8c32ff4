"""The portal's navbar and footer, kept per site look and kind of visitor, are what Frappe renders."""

import re

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils.jinja_globals import web_block
from frappe.website.doctype.website_settings.website_settings import get_website_settings

from support_plus.portal import cached_blocks
from support_plus.tests.test_page_speed import request_for


def page_context() -> dict:
	frappe.local.request = request_for("support/tickets")
	try:
		context = get_website_settings(frappe._dict(path="support/tickets"))
	finally:
		del frappe.local.request
	context["_context_dict"] = context
	return context


def render(which: str) -> str:
	"""A new page (no web block scripts on it yet) rendering the portal's block."""
	frappe.flags.web_block_scripts = frappe.flags.web_block_styles = None
	frappe.local.jenv = None
	return frappe.get_jenv().from_string(f'{{{{ portal_web_block("{which}") }}}}').render(page_context())


def frappes(which: str) -> str:
	"""What base.html's block renders on a new page."""
	frappe.flags.web_block_scripts = frappe.flags.web_block_styles = None
	template = "Standard Navbar" if which == "navbar" else "Standard Footer"
	return web_block(
		template, values=page_context(), add_container=0, add_top_padding=0, add_bottom_padding=0
	)


def same(html: str) -> str:
	return re.sub(r"id-[0-9a-z]{12}", "id-x", html)  # dropdown ids are random on each render


class TestPortalWebBlocks(FrappeTestCase):
	def setUp(self):
		cached_blocks._BLOCKS.clear()

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.local.jenv = None
		frappe.flags.web_block_scripts = frappe.flags.web_block_styles = None

	def test_what_frappe_renders_once_per_kind_of_visitor(self):
		for user in ("Guest", "Administrator"):
			frappe.set_user(user)
			for which in ("navbar", "footer"):
				expected = same(frappes(which))
				self.assertEqual(same(render(which)), expected, (user, which))
				self.assertEqual(same(render(which)), expected, (user, which, "from the cache"))
		self.assertEqual(len(cached_blocks._BLOCKS), 4)
		frappe.set_user("Administrator")
		self.assertIn("website-post-login", render("navbar"))
		frappe.set_user("Guest")
		self.assertNotIn("website-post-login", render("navbar"))

	def test_the_footer_script_is_on_every_page_once(self):
		for _ in range(2):
			html = render("footer")
			self.assertEqual(html.count("data-web-template='Standard Footer'"), 1)
			self.assertTrue(frappe.flags.web_block_scripts.get("Standard Footer"))

	def test_a_website_settings_change_shows_on_the_next_page(self):
		render("navbar")
		settings = frappe.get_doc("Website Settings")
		settings.append("top_bar_items", {"label": "Status Page", "url": "/status-page"})
		settings.save()
		try:
			self.assertIn("/status-page", render("navbar"))
		finally:
			settings.reload()
			settings.top_bar_items = [i for i in settings.top_bar_items if i.url != "/status-page"]
			settings.save()
		self.assertNotIn("/status-page", render("navbar"))

	def test_the_support_pages_use_it(self):
		self.assertIn(
			"support_plus.portal.cached_blocks.portal_web_block", frappe.get_hooks("jinja")["methods"]
		)
		for page in ("support/index.html", "support/tickets/index.html", "support/kb/article.html"):
			with open(frappe.get_app_path("support_plus", "www", page)) as f:
				self.assertIn('{% extends "support_plus/templates/support_page.html" %}', f.read(), page)
