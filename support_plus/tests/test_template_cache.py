"""Website templates are compiled once per process; what they show stays per request."""

import frappe
from frappe.tests.utils import FrappeTestCase

from support_plus.portal.template_cache import ProcessBytecodeCache


class CountingCache(ProcessBytecodeCache):
	def __init__(self):
		super().__init__()
		self.dumps = 0

	def dump_bytecode(self, bucket):
		self.dumps += 1
		super().dump_bytecode(bucket)


def render_as(user: str, cache) -> str:
	"""What a new request for `user` renders (Frappe builds a new Jinja environment per request)."""
	frappe.set_user(user)
	frappe.local.jenv = None
	env = frappe.get_jenv()
	env.bytecode_cache = cache
	return env.get_template("support_plus/tests/session_user.html").render().strip()


class TestTemplateCache(FrappeTestCase):
	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.local.jenv = None

	def test_compiled_once_but_never_sharing_the_session(self):
		cache = CountingCache()
		self.assertEqual(render_as("Administrator", cache), "Administrator")
		self.assertEqual(render_as("Guest", cache), "Guest")
		self.assertEqual(render_as("Administrator", cache), "Administrator")
		self.assertEqual(cache.dumps, 1, "compiled once, then loaded from the cache")

	def test_attached_to_web_pages_only(self):
		self.assertIn("support_plus.portal.template_cache.attach", frappe.get_hooks("before_request"))


class TestRouteMapCache(FrappeTestCase):
	def resolve(self, evaluate, path):
		"""What Frappe's route resolution finds for `path` on a request for it."""
		from werkzeug.routing import Rule
		from werkzeug.test import EnvironBuilder
		from werkzeug.wrappers import Request

		from frappe.website.path_resolver import get_website_rules

		frappe.local.request = Request(
			EnvironBuilder(path="/" + path, base_url="http://test.localhost").get_environ()
		)
		frappe.local.form_dict = frappe._dict()
		rules = [
			Rule(r["from_route"], endpoint=r["to_route"], defaults=r.get("defaults"))
			for r in get_website_rules()
		]
		try:
			return evaluate(rules, path), dict(frappe.local.form_dict)
		finally:
			del frappe.local.request

	def test_same_answers_as_frappe_with_one_compiled_map(self):
		from frappe.website import router

		from support_plus.portal import template_cache

		frappes = router.evaluate_dynamic_routes
		if frappes is template_cache.evaluate_dynamic_routes:  # a web request in this process attached it
			frappes = frappes.__wrapped_frappe__
		template_cache._ROUTE_MAPS.clear()
		for path in ("support/tickets/RE00000042", "support/kb/printing/toner", "support", "no/such/page"):
			self.assertEqual(
				self.resolve(template_cache.evaluate_dynamic_routes, path), self.resolve(frappes, path), path
			)
		self.assertEqual(
			self.resolve(template_cache.evaluate_dynamic_routes, "support/tickets/RE00000042"),
			("support/tickets/ticket", {"ticket": "RE00000042"}),
		)
		self.assertEqual(len(template_cache._ROUTE_MAPS), 1, "one set of rules, compiled once")
