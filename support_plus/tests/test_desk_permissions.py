"""The desk works for its roles: whoever opens a ticket, an SLA or an escalation rule can pick what every
link field on it points to, as the real user through Frappe's own link search and permission checks."""

import frappe
from frappe.desk.search import search_link

from support_plus.demo.loader import _desk_user
from support_plus.setup.permissions import DESK_PERMISSIONS, apply_desk_permissions
from support_plus.tests.utils import (
	AGENT,
	FINANCE,
	MANAGER,
	SALES,
	VIEWER,
	SupportTestCase,
	make_customer,
	make_user,
)

# The forms each role of seed 003's matrix works with in the desk (README, *Roles*).
SUPPORT_FORMS = (
	"Issue",
	"Issue Follow Up",
	"Issue Escalation",
	"Service Level Agreement",
	"Support Escalation Rule",
)
FORMS = {
	AGENT: SUPPORT_FORMS,
	MANAGER: (*SUPPORT_FORMS, "Support Plus Settings"),
	VIEWER: SUPPORT_FORMS,
	SALES: ("Issue", "Issue Follow Up"),
	FINANCE: ("Issue", "Issue Follow Up"),
}
# What they must not reach through a picker: the rights are what the desk needs, not more.
NOT_SEARCHABLE = {
	SALES: ("Role", "Holiday List", "Support Escalation Rule"),
	FINANCE: ("Role", "Holiday List", "Support Escalation Rule"),
}


def link_targets(doctype: str) -> dict[str, str]:
	"""{target doctype: "Form.field"} for every Link (and Dynamic Link choice) on a form and its tables."""
	targets = {}
	meta = frappe.get_meta(doctype)
	for field in meta.fields:
		where = f"{doctype}.{field.fieldname}"
		if field.fieldtype == "Link":
			targets.setdefault(field.options, where)
		elif field.fieldtype == "Dynamic Link":
			choices = meta.get_field(field.options).options or ""
			for choice in filter(None, choices.split("\n")):
				if choice != "DocType" and frappe.db.exists("DocType", choice):
					targets.setdefault(choice, where)
		elif field.fieldtype in ("Table", "Table MultiSelect"):
			for target, child_where in link_targets(field.options).items():
				targets.setdefault(target, child_where)
	return targets


class TestDeskPermissions(SupportTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_customer("Desk Permissions Customer")

	def search(self, user: str, target: str, form: str) -> list:
		frappe.set_user(user)
		try:
			return search_link(target, "", reference_doctype=form)
		finally:
			frappe.set_user("Administrator")

	def test_every_link_on_the_forms_a_role_uses_can_be_searched(self):
		failures = []
		for user, forms in FORMS.items():
			for form in forms:
				self.assertTrue(frappe.has_permission(form, "read", user=user), f"{user} reads {form}")
				for target, field in link_targets(form).items():
					try:
						self.search(user, target, form)
					except frappe.PermissionError:
						failures.append(f"{user} ({frappe.get_roles(user)[0]}): {field} -> {target}")
					frappe.local.message_log = []
		self.assertEqual(failures, [], "link fields a role cannot search")
		# The check is real: the forms have their links (custom fields too), and results come back.
		issue_targets = link_targets("Issue")
		for target in ("Issue Priority", "Customer", "Serial No", "Project", "Contact", "Address"):
			self.assertIn(target, issue_targets)
		self.assertIn("Customer Group", link_targets("Service Level Agreement"))
		self.assertIn("Role", link_targets("Support Escalation Rule"))
		self.assertIn("High", [row["value"] for row in self.search(AGENT, "Issue Priority", "Issue")])
		self.assertIn(
			"Desk Permissions Customer",
			[row["value"] for row in self.search(MANAGER, "Customer", "Support Escalation Rule")],
		)

	def test_what_roles_must_not_reach(self):
		for user, targets in NOT_SEARCHABLE.items():
			for target in targets:
				with self.assertRaises(frappe.PermissionError, msg=f"{user} searching {target}"):
					self.search(user, target, "Issue")
				frappe.local.message_log = []
		for user in (AGENT, VIEWER):
			self.assertFalse(frappe.has_permission("Support Escalation Rule", "write", user=user), user)
			self.assertFalse(frappe.has_permission("Support Plus Settings", "read", user=user), user)
		self.assertFalse(frappe.has_permission("Customer", "write", user=AGENT))

	def test_managers_edit_settings_and_rules_and_everyone_reads_support_settings(self):
		for doctype in ("Support Plus Settings", "Support Escalation Rule"):
			self.assertTrue(frappe.has_permission(doctype, "write", user=MANAGER), doctype)
		frappe.set_user(MANAGER)
		settings = frappe.get_doc("Support Plus Settings")
		settings.check_permission("write")
		# ERPNext's Issue form reads Support Settings on every load (frappe.client.get_value).
		for user in FORMS:
			frappe.set_user(user)
			values = frappe.client.get_value(
				"Support Settings", ["track_service_level_agreement"], {"name": "Support Settings"}
			)
			self.assertIn("track_service_level_agreement", values, user)

	def test_install_adds_rights_idempotently_and_never_removes_any(self):
		def rows():
			return frappe.get_all(
				"Custom DocPerm",
				filters={"parent": ("in", list(DESK_PERMISSIONS))},
				fields=["parent", "role", "read", "select", "write", "create", "report"],
				order_by="parent, role",
			)

		apply_desk_permissions()
		before = rows()
		apply_desk_permissions()
		self.assertEqual(rows(), before)
		# A right a site gave the role itself stays.
		name = frappe.db.get_value("Custom DocPerm", {"parent": "Territory", "role": "Support Agent"})
		frappe.db.set_value("Custom DocPerm", name, "write", 1)
		apply_desk_permissions()
		self.assertEqual(frappe.db.get_value("Custom DocPerm", name, "write"), 1)
		frappe.db.rollback()
		frappe.clear_cache(doctype="Territory")

	def test_demo_agents_hold_only_their_support_role(self):
		email = make_user("sp-demo-agent@example.com", ["Support Agent", "Support Team", "System Manager"])
		_desk_user("Demo", "Agent", email)
		self.assertEqual(
			frappe.get_all("Has Role", filters={"parent": email}, pluck="role"), ["Support Agent"]
		)


class TestReportsByRole(SupportTestCase):
	"""Frappe's query report runs a report for a user in its roles (or its Custom Role) with "report" on its
	reference doctype; run here through frappe.desk.query_report.run, the desk's own call."""

	def run_as(self, user, report, **filters):
		from frappe.desk.query_report import run
		from frappe.utils import add_days, today

		frappe.set_user(user)
		try:
			base = {
				"from_date": add_days(today(), -30),
				"to_date": today(),
				"company": frappe.defaults.get_global_default("company"),
			}
			return run(report, filters={**base, **filters})
		finally:
			frappe.set_user("Administrator")

	def test_service_revenue_runs_for_managers_and_accounts_and_opens_no_invoice(self):
		for user in (MANAGER, FINANCE):
			self.assertIn("result", self.run_as(user, "Service Revenue"), user)
		for user in (AGENT, VIEWER, SALES):
			with self.assertRaises(frappe.PermissionError, msg=user):
				self.run_as(user, "Service Revenue")
		# The manager reads revenue through the report only: no invoice list, form or print.
		frappe.set_user(MANAGER)
		for ptype in ("select", "read", "report", "print"):
			self.assertFalse(frappe.has_permission("Sales Invoice", ptype), ptype)
		with self.assertRaises(frappe.PermissionError):
			frappe.get_list("Sales Invoice", fields=["name", "grand_total"])

	def test_erpnexts_support_reports_run_for_the_support_roles(self):
		from support_plus.setup.permissions import ERPNEXT_SUPPORT_REPORTS

		filters = {"based_on": "Customer", "range": "Monthly"}
		for report in ERPNEXT_SUPPORT_REPORTS:
			for user in (MANAGER, AGENT, VIEWER):
				self.assertIn("result", self.run_as(user, report, **filters), f"{report} as {user}")
			with self.assertRaises(frappe.PermissionError, msg=report):
				self.run_as(SALES, report, **filters)  # not a support role: ERPNext's own rule stands

	def test_report_roles_are_added_once_and_taken_back_on_uninstall(self):
		from support_plus.setup.permissions import (
			ERPNEXT_SUPPORT_REPORTS,
			REPORT_ROLES,
			apply_report_roles,
			remove_report_roles,
		)

		def roles(report):
			name = frappe.db.get_value("Custom Role", {"report": report})
			return name and sorted(frappe.get_all("Has Role", filters={"parent": name}, pluck="role"))

		installed = {report: roles(report) for report in ERPNEXT_SUPPORT_REPORTS}
		for report in ERPNEXT_SUPPORT_REPORTS:
			self.assertEqual(
				installed[report],
				sorted(
					{*(row.role for row in frappe.get_doc("Report", report).roles), *REPORT_ROLES[report]}
				),
				report,
			)
		apply_report_roles()
		self.assertEqual({report: roles(report) for report in ERPNEXT_SUPPORT_REPORTS}, installed)
		remove_report_roles()
		self.assertEqual(
			{report: roles(report) for report in ERPNEXT_SUPPORT_REPORTS}, dict.fromkeys(installed)
		)
		apply_report_roles()
		self.assertEqual({report: roles(report) for report in ERPNEXT_SUPPORT_REPORTS}, installed)
