"""Every whitelisted method a portal customer can call (Frappe's, ERPNext's and ours), called over real
HTTP as Anna (customer Alpha) with the names of Bea's records (customer Beta) in every name-like
argument: no answer may carry Bea's secrets, and none of Bea's records may change.

The methods are found, not listed: every module of the three apps is imported, which fills Frappe's
own register of whitelisted functions. A method that cannot be called safely on a shared test site
(it logs the caller out, or sends the site's setup wizard off) is skipped by name below, with the reason.
"""

import hashlib
import importlib
import inspect
import json
import pkgutil
from concurrent.futures import ThreadPoolExecutor

import requests

import frappe

from support_plus.tests.test_portal import ANNA
from support_plus.tests.test_portal_isolation import MARKER, IsolationTestCase

APPS = ("frappe", "erpnext", "support_plus")
NOT_IMPORTED = (
	".tests",
	".test_",
	".patches.",
	"frappe.commands",
	"erpnext.commands",
	".demo.",
	"bench_helper",
)

# Called as Anna, these end her session or act on the site as a whole: nothing of Bea's is involved.
SKIPPED = {
	"frappe.handler.logout": "ends the attacker's session",
	"frappe.handler.web_logout": "ends the attacker's session",
	"frappe.www.login.logout": "ends the attacker's session",
	"frappe.core.doctype.user.user.sign_up": "creates users, rate-limited",
	"frappe.core.doctype.user.user.reset_password": "emails a reset link, rate-limited",
	"frappe.core.doctype.user.user.update_password": "changes the attacker's password",
	"frappe.www.login.login_via_key": "logs in anew",
	"frappe.www.login.send_login_link": "emails a login link, rate-limited",
	"frappe.integrations.oauth2.revoke_token": "OAuth session handling",
	"frappe.sessions.clear": "ends the attacker's session",
	"frappe.auth.logout": "ends the attacker's session",
}

DOCTYPE_PARAMS = {
	"doctype", "dt", "reference_doctype", "ref_doctype", "parenttype", "parent_doctype", "doc_type",
	"document_type", "link_doctype", "from_doctype", "source_doctype", "target_doctype", "party_type",
}  # fmt: skip
NAME_PARAMS = {
	"name", "names", "docname", "dn", "reference_name", "ref_docname", "docnames", "doc_name",
	"document_name", "link_name", "source_name", "issue", "ticket", "communication", "file", "file_name",
	"file_url", "comm", "party", "customer", "contact", "record", "id", "parent", "item", "value",
}  # fmt: skip
TEXT_PARAMS = {"txt", "text", "query", "search", "search_text", "q", "keyword", "filter_text"}


def whitelisted_methods() -> dict[str, inspect.Signature]:
	for app in APPS:
		package = importlib.import_module(app)
		for module in pkgutil.walk_packages(package.__path__, app + "."):
			if any(part in module.name for part in NOT_IMPORTED):
				continue
			try:
				importlib.import_module(module.name)
			except Exception:
				continue  # optional integrations whose libraries are missing: not callable either
	methods = {}
	for fn in frappe.whitelisted:
		path = f"{fn.__module__}.{fn.__name__}"
		if path.split(".")[0] in APPS and path not in SKIPPED:
			try:
				methods[path] = inspect.signature(fn)
			except (TypeError, ValueError):
				methods[path] = None
	return methods


class TestEveryWhitelistedMethod(IsolationTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.bea_comment = frappe.db.get_value(
			"Comment", {"reference_name": cls.bea_ticket, "comment_type": "Comment"}
		)
		cls.targets = {
			"Issue": cls.bea_ticket,
			"Communication": cls.bea_message.name,
			"File": cls.bea_file.name,
			"Comment": cls.bea_comment,
			"Issue Follow Up": frappe.db.get_value("Issue Follow Up", {"issue": cls.bea_ticket}),
		}

	def snapshot(self) -> str:
		"""Everything of Bea's that an attack could change."""
		rows = [
			frappe.db.sql("select * from `tabIssue` where name=%s", self.bea_ticket, as_dict=True),
			frappe.db.sql(
				"select name, reference_doctype, reference_name, content, status, _liked_by, seen from `tabCommunication` where name=%s or reference_name=%s order by name",
				(self.bea_message.name, self.bea_ticket),
				as_dict=True,
			),
			frappe.get_all(
				"Comment",
				filters={"reference_name": self.bea_ticket},
				fields=["name", "content", "comment_type"],
				order_by="name",
			),
			frappe.get_all(
				"File",
				filters={"attached_to_name": self.bea_ticket},
				fields=["name", "file_url", "attached_to_name"],
				order_by="name",
			),
			frappe.get_all(
				"File", filters={"file_url": self.bea_file.file_url}, fields=["name"], order_by="name"
			),
			frappe.get_all(
				"ToDo",
				filters={"reference_name": self.bea_ticket},
				fields=["name", "allocated_to", "status"],
				order_by="name",
			),
			frappe.get_all(
				"Issue Follow Up",
				filters={"issue": self.bea_ticket},
				fields=["name", "note"],
				order_by="name",
			),
			frappe.get_all(
				"Dynamic Link",
				filters={"link_name": self.beta, "parenttype": "Contact"},
				fields=["parent"],
				order_by="parent",
			),
		]
		return hashlib.sha256(json.dumps(rows, default=str, sort_keys=True).encode()).hexdigest()

	def calls(self, methods):
		"""(method, params): each method once per kind of target it can be pointed at."""
		for path, signature in methods.items():
			params = set(signature.parameters) if signature else set()
			kinds = self.targets.items() if params & DOCTYPE_PARAMS else [("Issue", self.bea_ticket)]
			for doctype, name in kinds:
				args = {}
				for param in params:
					if param in DOCTYPE_PARAMS:
						args[param] = doctype
					elif param in NAME_PARAMS or param.endswith(("_name", "name")):
						args[param] = name
					elif param in ("filters", "current_filters", "or_filters"):
						args[param] = json.dumps({"name": name})
					elif param in ("fields", "fieldname"):
						args[param] = json.dumps(["*"])
					elif param in ("doc", "docs"):
						args[param] = json.dumps({"doctype": doctype, "name": name})
					elif param in TEXT_PARAMS:
						args[param] = MARKER
				yield path, args

	def test_no_method_leaks_or_changes_another_customers_data(self):
		methods = whitelisted_methods()
		self.assertGreater(len(methods), 500)  # the register was really filled
		before = self.snapshot()
		calls = list(self.calls(methods))
		session_cookies = self.anna.cookies.copy()

		def call(item):
			path, args = item
			with requests.Session() as session:
				session.cookies.update(session_cookies)
				try:
					response = session.post(f"{self.server.url}/api/method/{path}", data=args, timeout=20)
				except requests.RequestException as e:
					return path, args, 0, str(e)
			return path, args, response.status_code, response.text

		def logged_in_as():
			answer = self.anna.get(f"{self.server.url}/api/method/frappe.auth.get_logged_user", timeout=30)
			return answer.json().get("message") if answer.ok else None

		leaks = []
		with ThreadPoolExecutor(max_workers=4) as pool:
			for start in range(0, len(calls), 200):
				chunk = calls[start : start + 200]
				for path, args, status, text in pool.map(call, chunk):
					if MARKER in text or "secret merger" in text:
						leaks.append(f"{path} {args} -> {status}: {text[:200]}")
				# every call was made as Anna: a method that ended her session is among these
				self.assertEqual(logged_in_as(), ANNA, sorted({path for path, _ in chunk}))
		frappe.db.rollback()  # a fresh read of what the server committed
		self.assertEqual(leaks, [], "\n".join(leaks))
		self.assertEqual(self.snapshot(), before, "an endpoint changed Bea's data")
		print(f"\n{len(methods)} whitelisted methods, {len(calls)} calls as a portal customer")
