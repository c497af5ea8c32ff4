"""The app installs into a site, and uninstalling it leaves ERPNext working."""

import frappe
from frappe.installer import install_app, remove_app
from frappe.tests.utils import FrappeTestCase
from frappe.utils import cstr

from support_plus.analytics.cards import CARDS, card_name
from support_plus.setup.analytics import CHARTS
from support_plus.setup.customizations import PROPERTY_SETTERS
from support_plus.tests.utils import AGENT, FINANCE, ROLE_USERS, forget_doc_hooks, make_user
from support_plus.tickets.priorities import ISSUE_PRIORITIES


def field_default(doctype: str, fieldname: str):
	return frappe.get_meta(doctype).get_field(fieldname).default


def forget_cached_hooks():
	"""What a new request sees after an install or uninstall: no cached hooks of the old app set."""
	frappe.clear_cache()
	forget_doc_hooks()


def customized_value(doctype: str, fieldname: str | None, prop: str) -> str:
	meta = frappe.get_meta(doctype)
	return cstr((meta.get_field(fieldname) if fieldname else meta).get(prop))


class TestInstall(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		for user in (AGENT, FINANCE):
			make_user(user, ROLE_USERS[user])

	def test_app_is_installed_with_its_hooks(self):
		self.assertIn("support_plus", frappe.get_installed_apps())
		hooks = frappe.get_hooks(app_name="support_plus")
		self.assertEqual(hooks.required_apps, ["frappe/erpnext"])
		self.assertIn(
			"support_plus.maintenance.schedule.fill_visit_count",
			frappe.get_hooks("doc_events")["Maintenance Schedule"]["before_validate"],
		)
		self.assertEqual(frappe.db.get_value("Module Def", "Support Plus", "app_name"), "support_plus")

	def test_uninstall_leaves_erpnext_working(self):
		highest_before = int(
			frappe.get_doc({"doctype": "Issue", "subject": "Before uninstall"}).insert().name[2:]
		)
		frappe.db.commit()  # nosemgrep: remove_app commits; the ticket must be there before it does
		try:
			remove_app("support_plus", yes=True, no_backup=True)
			forget_cached_hooks()

			self.assertNotIn("support_plus", frappe.get_installed_apps())
			self.assertFalse(frappe.db.exists("Module Def", "Support Plus"))
			self.assertIsNone(field_default("Maintenance Visit", "completion_status"))
			self.assertEqual(customized_value("Issue", None, "allow_rename"), "1")
			self.assertNotIn("Maintenance Schedule", frappe.get_hooks("doc_events"))
			# The desk rights given to the support roles are taken back; ERPNext's own rows are kept.
			self.assertFalse(frappe.db.exists("Custom DocPerm", {"role": "Support Agent"}))
			self.assertFalse(frappe.db.exists("Custom DocPerm", {"parent": "Issue Priority"}))
			self.assertFalse(frappe.has_permission("Customer", "read", user=AGENT))
			self.assertTrue(frappe.has_permission("Customer", "read", user=FINANCE))
			# ERPNext's support reports are back to ERPNext's roles (their Custom Roles held only ours).
			self.assertFalse(frappe.db.exists("Custom Role", {"report": "Issue Summary"}))
			# The analytics cards and charts leave the Support workspace with the app.
			self.assertFalse(frappe.db.exists("Number Card", card_name("open")))
			self.assertNotIn("sp-analytics-", frappe.db.get_value("Workspace", "Support", "content"))

			# ERPNext itself still works: its doctypes load, issues are created and listed.
			issue = frappe.get_doc(
				{"doctype": "Issue", "subject": "Still works after uninstall", "priority": "Medium"}
			).insert()
			self.assertEqual(issue.status, "Open")
			self.assertTrue(issue.name.startswith("ISS-"), f"ERPNext's own naming is back: {issue.name}")
			self.assertIn(issue.name, frappe.get_all("Issue", pluck="name"))
			frappe.db.rollback()
		finally:
			if "support_plus" not in frappe.get_installed_apps():
				install_app("support_plus")
				frappe.get_single("Installed Applications").update_versions()  # remove_app updated it too
				# install_app does not commit what after_install made; the test class would roll it back.
				frappe.db.commit()  # nosemgrep
				forget_cached_hooks()

		# Installing again applied the customizations and the masters.
		self.assertIn("support_plus", frappe.get_installed_apps())
		self.assertEqual(frappe.db.get_value("Module Def", "Support Plus", "app_name"), "support_plus")
		for doctype, fieldname, prop, value, _type in PROPERTY_SETTERS:
			self.assertEqual(customized_value(doctype, fieldname, prop), value)
		# Numbering goes on above the tickets made before the uninstall, never giving a number twice.
		self.assertEqual(
			int(frappe.get_doc({"doctype": "Issue", "subject": "After reinstall"}).insert().name[2:]),
			highest_before + 1,
		)
		for priority in ISSUE_PRIORITIES:
			self.assertTrue(frappe.db.exists("Issue Priority", priority))
		self.assertTrue(frappe.has_permission("Customer", "read", user=AGENT))
		self.assertTrue(frappe.has_permission("Issue Priority", "select", user=FINANCE))
		report_roles = frappe.get_doc("Custom Role", {"report": "Issue Summary"}).roles
		self.assertIn("Support Manager", [row.role for row in report_roles])
		# The workspace has its number cards and charts again.
		cards_on_workspace = frappe.get_all(
			"Workspace Number Card", filters={"parent": "Support"}, pluck="number_card_name"
		)
		for key, *_rest in CARDS:
			self.assertTrue(frappe.db.exists("Number Card", card_name(key)))
			self.assertIn(card_name(key), cards_on_workspace)
		for _key, chart, _type, _width in CHARTS:
			self.assertTrue(frappe.db.exists("Dashboard Chart", chart))
		self.assertTrue(frappe.db.exists("Dashboard Chart Source", "Support Analytics"))
