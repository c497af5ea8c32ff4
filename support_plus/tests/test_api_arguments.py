"""A missing or malformed argument to a support_plus whitelisted function is the caller's mistake: a 4xx
with a message, never Frappe's 500 for a Python TypeError (a parameter without a default, left out) or a
JSONDecodeError (support_plus.api.arguments). Checked on every function, over real HTTP as the real roles."""

import functools
import importlib
import inspect
import pkgutil

import requests

import frappe

import support_plus
from support_plus.tests.http import SiteServer
from support_plus.tests.test_portal import ANNA, PortalTestCase
from support_plus.tests.utils import AGENT, MANAGER

# Replacements of Frappe's own methods keep Frappe's signatures (support_plus/overrides).
COPIES_OF_FRAPPE = "support_plus.overrides."
# Called without arguments these act on the whole site (they have nothing to leave out).
NOT_CALLED = {
	"support_plus.api.sla.sla_sweep": "runs the SLA sweep",
	"support_plus.api.tickets.auto_close": "closes tickets",
	"support_plus.api.chat.start": "opens a conversation",
	"support_plus.api.v1.chatbot.start": "opens a conversation",
}


@functools.cache
def support_plus_methods() -> dict:
	"""path -> function of every whitelisted function of support_plus (its modules imported)."""
	for module in pkgutil.walk_packages(support_plus.__path__, "support_plus."):
		if any(part in module.name for part in (".tests", ".patches", ".demo")):
			continue
		importlib.import_module(module.name)
	return {
		f"{fn.__module__}.{fn.__name__}": fn
		for fn in frappe.whitelisted
		if fn.__module__.startswith("support_plus.") and not fn.__module__.startswith(COPIES_OF_FRAPPE)
	}


class TestEveryArgumentHasADefault(PortalTestCase):
	def test_no_whitelisted_parameter_is_required_by_python(self):
		methods = support_plus_methods()
		self.assertGreater(len(methods), 60)  # the register was really filled
		required = [
			f"{path}({name})"
			for path, fn in methods.items()
			for name, param in inspect.signature(fn).parameters.items()
			if param.default is inspect.Parameter.empty
			and param.kind not in (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)
		]
		self.assertEqual(required, [], "left out, these are a TypeError: Frappe answers 500")


class TestArgumentsOverHttp(PortalTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.server = SiteServer.get()
		cls.sessions = {
			AGENT: cls.server.login(AGENT),
			MANAGER: cls.server.login(MANAGER),
			ANNA: cls.server.login(ANNA),
		}

	def call(self, user, path, **params):
		session = self.sessions[user] if user else requests.Session()
		methods = frappe.allowed_http_methods_for_whitelisted_func.get(support_plus_methods()[path], [])
		url = f"{self.server.url}/api/method/{path}"
		if "POST" in methods:
			return session.post(url, data=params, timeout=60)
		return session.get(url, params=params, timeout=60)

	def test_every_method_called_with_nothing_answers_4xx_or_2xx(self):
		server_errors = []
		for path in sorted(support_plus_methods()):
			if path in NOT_CALLED or not path.startswith("support_plus.api."):
				continue
			for user in (AGENT, MANAGER):
				r = self.call(user, path)
				if r.status_code >= 500:
					server_errors.append(f"{path} as {user}: {r.status_code} {r.text[:200]}")
		self.assertEqual(server_errors, [])

	def test_what_is_missing_or_not_json_is_named(self):
		cases = [
			# (user, method, params, what the answer names)
			(ANNA, "support_plus.api.portal.create_ticket", {"subject": "x"}, "A ticket needs a subject"),
			(ANNA, "support_plus.api.portal.add_comment", {"ticket": self.anna_ticket}, "Write a message"),
			(ANNA, "support_plus.api.portal.add_comment", {"message": "hello"}, "ticket"),
			(
				AGENT,
				"support_plus.api.tickets.bulk_update",
				{"issues": "not json", "status": "Open"},
				"issues",
			),
			(AGENT, "support_plus.api.tickets.bulk_update", {"status": "Open"}, "issues"),
			(AGENT, "support_plus.api.tickets.set_status", {"name": self.anna_ticket}, "status"),
			(MANAGER, "support_plus.api.vans.record_van_count", {"audit_name": "x", "counts": "{"}, "counts"),
			(AGENT, "support_plus.api.my_work.card", {"filters": "[oops"}, "filters"),
			(AGENT, "support_plus.api.appointments.get_calendar_events", {"filters": "{"}, "filters"),
			(AGENT, "support_plus.api.tickets.reply_to_customer", {"message": "hello"}, "issue"),
		]
		for user, method, params, named in cases:
			r = self.call(user, method, **params)
			self.assertTrue(400 <= r.status_code < 500, f"{method} {params}: {r.status_code} {r.text[:300]}")
			self.assertIn(named, r.json().get("_server_messages", ""), f"{method} {params}")
		frappe.db.rollback()
		self.assertEqual(frappe.db.get_value("Issue", self.anna_ticket, "status"), "Open")
