"""Shared by the API v1 tests: a served OpenAPI document, token-authenticated callers, cleanup."""

import requests
import schemathesis

import frappe
from frappe.utils import now_datetime
from frappe.utils.password import set_encrypted_password

from support_plus.tests.http import SiteServer
from support_plus.tests.test_portal import PortalTestCase
from support_plus.tests.utils import AGENT, MANAGER

BASE = "/api/method/support_plus.api.v1."


def token_for(user: str) -> str:
	"""Frappe token authentication for `user`: an API key and a new secret (commit to use them)."""
	key = frappe.db.get_value("User", user, "api_key") or frappe.generate_hash(length=15)
	frappe.db.set_value("User", user, "api_key", key)
	secret = frappe.generate_hash(length=15)
	set_encrypted_password("User", user, secret, "api_secret")
	return f"token {key}:{secret}"


class ApiTestCase(PortalTestCase):
	"""Anna and Alex (Alpha) and Bea (Beta) with tickets, from test_portal; a Support Agent and a Support
	Manager calling with API keys; the document from the running server. Tickets and SLAs the class
	makes through the API are removed afterwards."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.started = now_datetime()
		cls.server = SiteServer.get()
		cls.headers = {user: {"Authorization": token_for(user)} for user in (AGENT, MANAGER)}
		frappe.db.commit()  # nosemgrep: the server process must see the keys
		cls.document = requests.get(cls.server.url + BASE[:-1] + ".openapi", timeout=30).json()
		cls.schema = schemathesis.openapi.from_dict(cls.document)

	@classmethod
	def tearDownClass(cls):
		frappe.set_user("Administrator")
		frappe.db.rollback()
		made = frappe.get_all(
			"Issue",
			filters={"owner": ("in", [AGENT, MANAGER]), "creation": (">=", cls.started)},
			pluck="name",
		)
		for doctype, field in (
			("Communication", "reference_name"),
			("Comment", "reference_name"),
			("ToDo", "reference_name"),
			("Version", "docname"),
		):
			frappe.db.delete(doctype, {field: ("in", made or ["-"])})
		frappe.db.delete("Issue", {"name": ("in", made or ["-"])})
		for name in frappe.get_all(
			"Service Level Agreement",
			filters={"owner": MANAGER, "creation": (">=", cls.started)},
			pluck="name",
		):
			frappe.delete_doc("Service Level Agreement", name, force=True, ignore_permissions=True)
		frappe.db.commit()  # nosemgrep
		super().tearDownClass()

	def call(self, user: str | None, method: str, endpoint: str, **kwargs) -> requests.Response:
		headers = {**(self.headers.get(user) or {}), **kwargs.pop("headers", {})}
		return requests.request(
			method, self.server.url + BASE + endpoint, headers=headers, timeout=60, **kwargs
		)

	def valid(self, response: requests.Response, endpoint: str, method: str) -> dict:
		"""The response, checked against the document's schema for its status; its JSON."""
		self.schema[BASE + endpoint][method].validate_response(response)
		return response.json()
