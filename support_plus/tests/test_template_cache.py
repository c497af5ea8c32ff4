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
