"""What page_speed.py and renderer.py keep per process answers exactly as Frappe does per request."""

import os
import time
from collections import defaultdict

import sqlparse

import frappe
from frappe.apps import get_apps as frappes_get_apps
from frappe.tests.utils import FrappeTestCase
from frappe.utils.jinja import get_jloader
from frappe.website.doctype.web_page import web_page

from support_plus.overrides import page_speed
from support_plus.overrides.page_speed import ProcessTemplateLoader
from support_plus.portal.renderer import SupportPortalPage
from support_plus.tests.utils import make_user

SCRATCH = "support_plus/tests/scratch_speed.html"


class CountingLoader(ProcessTemplateLoader):
	"""Counts how often a template's source is read (each read is followed by a compile)."""

	def __init__(self, loader):
		super().__init__(loader)
		self.reads = 0

	def load(self, environment, name, globals=None):
		entry = self.codes.get(name)
		if entry is None or not (entry[1] is None or entry[1]()):
			self.reads += 1
		return super().load(environment, name, globals)


def render_as(user: str, loader, template: str = "support_plus/tests/session_user.html") -> str:
	"""What a new request for `user` renders (Frappe builds a new Jinja environment per request)."""
	frappe.set_user(user)
	frappe.local.jenv = None
	env = frappe.get_jenv()
	env.loader = loader
	return env.get_template(template).render().strip()


class TestTemplateLoader(FrappeTestCase):
	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.local.jenv = None
		path = frappe.get_app_path("support_plus", "..", SCRATCH)
		if os.path.exists(path):
			os.remove(path)

	def test_compiled_once_but_never_sharing_the_session(self):
		loader = CountingLoader(get_jloader())
		self.assertEqual(render_as("Administrator", loader), "Administrator")
		self.assertEqual(render_as("Guest", loader), "Guest")
		self.assertEqual(render_as("Administrator", loader), "Administrator")
		self.assertEqual(loader.reads, 1, "read and compiled once, then reused by each new environment")

	def test_a_changed_file_is_compiled_again(self):
		path = frappe.get_app_path("support_plus", "..", SCRATCH)
		loader = CountingLoader(get_jloader())
		with open(path, "w") as f:
			f.write("before {{ frappe.session.user }}")
		self.assertEqual(render_as("Guest", loader, SCRATCH), "before Guest")
		with open(path, "w") as f:
			f.write("after {{ frappe.session.user }}")
		later = time.time() + 5
		os.utime(path, (later, later))
		self.assertEqual(render_as("Guest", loader, SCRATCH), "after Guest")
		self.assertEqual(loader.reads, 2)

	def test_attached_to_web_pages(self):
		self.assertIn("support_plus.overrides.page_speed.attach", frappe.get_hooks("before_request"))


class TestRouteMapCache(FrappeTestCase):
	def test_same_answers_as_frappe_with_one_compiled_map(self):
		from frappe.website import router

		frappes = router.evaluate_dynamic_routes
		if frappes is page_speed.evaluate_dynamic_routes:  # a web request in this process attached it
			frappes = frappes.__wrapped_frappe__
		page_speed._ROUTE_MAPS.clear()
		for path in ("support/tickets/RE00000042", "support/kb/printing/toner", "support", "no/such/page"):
			self.assertEqual(
				resolve_rules(page_speed.evaluate_dynamic_routes, path), resolve_rules(frappes, path), path
			)
		self.assertEqual(
			resolve_rules(page_speed.evaluate_dynamic_routes, "support/tickets/RE00000042"),
			("support/tickets/ticket", {"ticket": "RE00000042"}),
		)
		self.assertEqual(len(page_speed._ROUTE_MAPS), 1, "one set of rules, compiled once")


class TestParsedOnce(FrappeTestCase):
	HTML = (
		'<nav class="navbar"><a href="/">Home</a></nav>'
		"<script>frappe.ready(() => 1)</script><style>.navbar { color: red }</style><p>after</p>"
	)

	def test_script_and_style_extraction_is_frappes(self):
		frappes = page_speed._frappe_extract
		page_speed._EXTRACTED.clear()
		ours = page_speed.extract_script_and_style_tags(self.HTML)
		self.assertEqual(ours, frappes(self.HTML))
		self.assertEqual(ours[1], ["frappe.ready(() => 1)"])
		self.assertNotIn("<script>", ours[0])
		ours[1].append("changed by the caller")
		self.assertEqual(page_speed.extract_script_and_style_tags(self.HTML), frappes(self.HTML))
		self.assertEqual(len(page_speed._EXTRACTED), 1, "parsed once")

	def test_attach_puts_the_remembering_versions_in_place(self):
		from frappe.database import query
		from frappe.utils import user as frappe_user

		frappe.local.request = frappe._dict(path="/support/tickets")
		try:
			page_speed.attach()
		finally:
			del frappe.local.request
			frappe.local.jenv = frappe.local.jloader = None
		self.assertIs(web_page.extract_script_and_style_tags, page_speed.extract_script_and_style_tags)
		self.assertIs(query.sqlparse, page_speed.REMEMBERING_SQLPARSE)
		self.assertIs(frappe_user.get_fullname_and_avatar, page_speed.get_fullname_and_avatar)
		# and the database still answers through it
		self.assertEqual(frappe.db.get_value("User", "Administrator", "user_type"), "System User")
		# a REST or method request of the same worker runs on Frappe's own functions again
		frappe.local.request = frappe._dict(path="/api/method/ping")
		try:
			page_speed.attach()
		finally:
			del frappe.local.request
		for module, name, frappes in page_speed.FRAPPES:
			self.assertIs(getattr(module, name), frappes, name)
		self.assertIsNot(query.sqlparse, page_speed.REMEMBERING_SQLPARSE)

	def test_field_formatting_is_sqlparses(self):
		remembering = page_speed.RememberingSqlparse()
		for field in ("user_type", "name as n", "count(*) -- a comment", "`tabUser`.name /* x */"):
			expected = sqlparse.format(field, strip_comments=True, keyword_case="lower")
			self.assertEqual(remembering.format(field, strip_comments=True, keyword_case="lower"), expected)
			self.assertEqual(remembering.format(field, strip_comments=True, keyword_case="lower"), expected)
		self.assertEqual(len(remembering.formatted), 4)
		self.assertEqual(remembering.split("select 1; select 2"), sqlparse.split("select 1; select 2"))

	def test_name_and_picture_as_frappe_has_them(self):
		email = make_user("sp-speed@example.com", [], first_name="Speedy")
		frappe.db.set_value("User", email, "user_image", "/files/speedy.png")
		for name in (email, "Administrator", "Guest"):
			self.assertEqual(
				page_speed.get_fullname_and_avatar(name),
				page_speed._frappe_get_fullname_and_avatar(name),
				name,
			)
		frappe.db.set_value("User", "sp-agent@example.com", "last_name", "Renamed")
		self.assertEqual(
			page_speed.get_fullname_and_avatar("sp-agent@example.com").fullname.split()[-1], "Renamed"
		)

	def test_apps_once_per_request_and_as_frappe_lists_them(self):
		saved = getattr(frappe.local, "request_cache", None)
		frappe.local.request_cache = defaultdict(dict)
		try:
			self.assertEqual(page_speed.get_apps(), frappes_get_apps())
			self.assertEqual(page_speed.get_apps(), frappes_get_apps())
			self.assertEqual(len(frappe.local.request_cache[frappes_get_apps]), 1, "kept for the request")
		finally:
			frappe.local.request_cache = saved if saved is not None else defaultdict(dict)


class TestPortalRenderer(FrappeTestCase):
	def renderer(self, path):
		from frappe.website.path_resolver import PathResolver

		frappe.local.request = request_for(path)
		try:
			return PathResolver(path).resolve()
		finally:
			del frappe.local.request

	def test_claims_the_support_pages_only(self):
		from frappe.website.page_renderers.not_found_page import NotFoundPage

		for path, endpoint in (
			("support", "support"),
			("support/tickets", "support/tickets"),
			("support/tickets/RE00000042", "support/tickets/ticket"),
		):
			found, renderer = self.renderer(path)
			self.assertEqual(found, endpoint)
			self.assertIsInstance(renderer, SupportPortalPage, path)
		self.assertNotIsInstance(self.renderer("me")[1], SupportPortalPage)
		self.assertIsInstance(self.renderer("support/no-such-page")[1], NotFoundPage)
		self.assertFalse(SupportPortalPage("supportive").can_render())


def request_for(path: str):
	from werkzeug.test import EnvironBuilder
	from werkzeug.wrappers import Request

	frappe.local.form_dict = frappe._dict()
	return Request(EnvironBuilder(path="/" + path, base_url="http://test.localhost").get_environ())


def resolve_rules(evaluate, path):
	"""What Frappe's route resolution finds for `path` on a request for it."""
	from werkzeug.routing import Rule

	from frappe.website.path_resolver import get_website_rules

	frappe.local.request = request_for(path)
	rules = [
		Rule(r["from_route"], endpoint=r["to_route"], defaults=r.get("defaults")) for r in get_website_rules()
	]
	try:
		return evaluate(rules, path), dict(frappe.local.form_dict)
	finally:
		del frappe.local.request
