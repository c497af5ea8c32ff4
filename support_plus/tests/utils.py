"""Test bootstrap and factories: real records on the real test site, created once and reused."""

import frappe
from frappe.desk.doctype.notification_settings.notification_settings import create_notification_settings
from frappe.tests.utils import FrappeTestCase

from support_plus.setup.company import ensure_setup_complete
from support_plus.setup.masters import ensure_issue_priorities, tree_leaf

TEST_COMPANY = "Support Plus Test Co"

# One desk user per role of seed 003's matrix.
SALES = "sp-sales@example.com"
AGENT = "sp-agent@example.com"
MANAGER = "sp-manager@example.com"
FINANCE = "sp-finance@example.com"
VIEWER = "sp-viewer@example.com"
ROLE_USERS = {
	SALES: ["Sales User"],
	AGENT: ["Support Agent"],
	MANAGER: ["Support Manager"],
	FINANCE: ["Accounts User"],
	VIEWER: ["Support Viewer"],
}


class SupportTestCase(FrappeTestCase):
	"""A test case with the role users made, and the user and pinned time reset after each test."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		for user, roles in ROLE_USERS.items():
			make_user(user, roles)

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.flags.current_time = None


def before_tests():
	"""`before_tests` hook (bench run-tests) and pytest session start: a company and the masters."""
	frappe.clear_cache()
	ensure_setup_complete(TEST_COMPANY, "SPT")
	ensure_issue_priorities()
	ensure_outgoing_email_account()
	# Frappe gives System Manager to any user saved while Administrator is the only one: have one.
	make_user("sp-system-manager@example.com", ["System Manager"])
	frappe.db.commit()  # nosemgrep: tests start from this committed state


def ensure_outgoing_email_account() -> None:
	"""Mail is queued, never sent, in tests; queuing still needs a default outgoing account."""
	if frappe.db.exists("Email Account", {"default_outgoing": 1}):
		return
	from support_plus.demo.mail_sink import SmtpSink

	# Frappe connects to a local outgoing server when the account is saved: a sink answers meanwhile (a
	# fresh test site has no mail server running; port 2525 may already be the demo's sink).
	try:
		sink = SmtpSink(2525)
	except OSError:
		sink = None
	try:
		frappe.get_doc(
			{
				"doctype": "Email Account",
				"email_account_name": "Support Plus Test Outbox",
				"email_id": "support@test.localhost",
				"enable_outgoing": 1,
				"default_outgoing": 1,
				"smtp_server": "127.0.0.1",
				"smtp_port": 2525,
				"no_smtp_authentication": 1,
			}
		).insert(ignore_permissions=True)
	finally:
		if sink:
			sink.stop()


def make_customer(name: str, customer_group: str | None = None) -> str:
	"""A customer whose document name is exactly `name` (e.g. CUST-00001), whatever the naming setting."""
	if not frappe.db.exists("Customer", name):
		frappe.get_doc(
			{
				"doctype": "Customer",
				"customer_name": name,
				"customer_type": "Company",
				"customer_group": customer_group or tree_leaf("Customer Group"),
				"territory": tree_leaf("Territory"),
			}
		).insert(ignore_permissions=True, set_name=name)
	return name


def make_issue_type(name: str) -> str:
	if not frappe.db.exists("Issue Type", name):
		frappe.get_doc({"doctype": "Issue Type", "name": name}).insert(ignore_permissions=True)
	return name


def make_item(item_code: str, *, has_serial_no: bool = False, is_stock_item: bool = True) -> str:
	if not frappe.db.exists("Item", item_code):
		frappe.get_doc(
			{
				"doctype": "Item",
				"item_code": item_code,
				"item_name": item_code,
				"item_group": tree_leaf("Item Group"),
				"stock_uom": "Nos",
				"is_stock_item": int(is_stock_item),
				"has_serial_no": int(has_serial_no),
			}
		).insert(ignore_permissions=True)
	return item_code


def make_sales_person(name: str) -> str:
	"""Maintenance visits name their service person by Sales Person."""
	if not frappe.db.exists("Sales Person", name):
		frappe.get_doc(
			{
				"doctype": "Sales Person",
				"sales_person_name": name,
				"parent_sales_person": frappe.db.get_value("Sales Person", {"is_group": 1}, "name"),
			}
		).insert(ignore_permissions=True)
	return name


def make_user(email: str, roles: list[str], first_name: str | None = None) -> str:
	"""A desk user with exactly these roles (reset on every call)."""
	if not frappe.db.exists("User", email):
		frappe.get_doc(
			{
				"doctype": "User",
				"email": email,
				"first_name": first_name or email.split("@")[0],
				"send_welcome_email": 0,
				"user_type": "System User",
			}
		).insert(ignore_permissions=True)
	user = frappe.get_doc("User", email)
	if sorted(r.role for r in user.roles) != sorted(roles):
		user.set("roles", [{"role": role} for role in roles])
		user.save(ignore_permissions=True)
	# In tests Frappe emails a notification at once, and its email queue commits: the test's data with it.
	create_notification_settings(email)
	frappe.db.set_value("Notification Settings", email, "enable_email_notifications", 0)
	return email


def forget_doc_hooks() -> None:
	"""Drop this process's cached doc_events map, as a new request would not have it."""
	if hasattr(frappe.local, "doc_events_hooks"):
		del frappe.local.doc_events_hooks


def run_queued_jobs(method: str, queue: str = "short", **match) -> list:
	"""Run in this process, as a worker would, this site's jobs queued for `method` whose arguments include
	`match`, and take them off the queue; their results, oldest first. No worker runs for the test site."""
	from frappe.utils.background_jobs import get_queue

	results = []
	for job in get_queue(queue).get_jobs():
		args = job.kwargs
		if args.get("site") != frappe.local.site or args.get("method") != method:
			continue
		if any(args["kwargs"].get(key) != value for key, value in match.items()):
			continue
		job.delete()
		results.append(frappe.get_attr(method)(**args["kwargs"]))
	return results
