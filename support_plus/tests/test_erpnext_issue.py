"""ERPNext's own Issue tests (erpnext/support/doctype/issue/test_issue.py), run with support_plus installed.

Each of ERPNext's test classes is run here as it is, on the test site, with only the records it expects from
ERPNext's test fixtures made first (the company its issues name, the agent it assigns). Where support_plus
means to behave differently, the test is skipped by name with the reason; README.md ("ERPNext's own Issue
tests") lists the same differences. Everything is rolled back after each test and each class.
"""

import unittest

import frappe
from frappe.tests.utils import FrappeTestCase

from erpnext.support.doctype.issue import test_issue as erpnext_issue_tests

from support_plus.sla.config import clear_config_cache
from support_plus.tests.utils import make_user

# ERPNext's test records named by test_issue.py.
ERPNEXT_TEST_COMPANY = "_Test Company"
ERPNEXT_TEST_AGENT = "test@admin.com"  # its first name, "test", is asserted in a timeline comment

# The intentional differences (test name -> why); README.md lists them too.
BUSINESS_TIME_PAUSES = (
	"support_plus counts a pause in the SLA's business time: time paused outside working hours holds nothing "
	"and moves no deadline; ERPNext adds the wall-clock time paused to its business-time deadlines"
)
DIFFERENCES = {
	"test_hold_time_on_replied": (
		f"{BUSINESS_TIME_PAUSES} (paused 04:15-05:00, before working hours: 0 s, not 2700 s)."
	),
	"test_issue_close_after_on_hold": (
		f"{BUSINESS_TIME_PAUSES} (20 days on hold move the resolution deadline to 15:00, not to 06:00)."
	),
	"test_issue_open_after_closed": (
		"A customer's message on a Closed ticket opens a new ticket linked to it instead of reopening it; and "
		f"{BUSINESS_TIME_PAUSES} (the 24-hour SLA's day ends at 23:59:59: a night holds one second less)."
	),
}


def make_erpnext_test_records() -> None:
	"""What test_issue.py expects from `make_test_records`: the company on its issues and the agent it
	assigns (ERPNext's tests make SLAs, customers, groups, territories and priorities themselves)."""
	if not frappe.db.exists("Company", ERPNEXT_TEST_COMPANY):
		# An issue only links to its company: the row is enough. ERPNext's Company controller would also make
		# cost centres and departments and clear every cache, seconds per class.
		home = frappe.get_cached_doc("Company", frappe.defaults.get_global_default("company"))
		company = frappe.new_doc("Company")
		company.update(
			{
				"company_name": ERPNEXT_TEST_COMPANY,
				"abbr": "_TC",
				"default_currency": home.default_currency,
				"country": home.country,
			}
		)
		company.name = ERPNEXT_TEST_COMPANY
		company.db_insert()
	# Email notifications off: Frappe sends an assignment's email at once in tests, and commits.
	make_user(ERPNEXT_TEST_AGENT, ["System Manager"], first_name="test")


class ErpnextIssueTests(FrappeTestCase):
	"""Runs an ERPNext test class (the second base) on the test site, rolled back after each test."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()  # rolls back the class's records at the end
		make_erpnext_test_records()
		# ERPNext's setUp (delete every SLA, make its test SLAs, turn tracking on) once per class instead of
		# before each test: no test changes an SLA, and each test is rolled back to this point.
		erpnext_issue_tests.TestSetUp("setUp").setUp()

	@classmethod
	def tearDownClass(cls):
		super().tearDownClass()
		# ERPNext's setUp turns SLA tracking on; the rest of the suite assumes it is off.
		frappe.db.rollback()
		frappe.db.set_single_value("Support Settings", "track_service_level_agreement", 0)
		frappe.db.commit()  # nosemgrep: the suite's state, whatever a test did
		clear_config_cache()
		frappe.cache.hdel("service_level_agreement", "active")

	def setUp(self):  # instead of ERPNext's, which ran in setUpClass
		frappe.db.savepoint("erpnext_issue_test")

	def tearDown(self):
		frappe.db.rollback(save_point="erpnext_issue_test")
		frappe.flags.current_time = None
		frappe.set_user("Administrator")


def with_differences_skipped(cls):
	for name, reason in DIFFERENCES.items():
		if hasattr(cls, name):
			setattr(cls, name, unittest.skip(reason)(getattr(cls, name)))
	return cls


@with_differences_skipped
class TestErpnextIssue(ErpnextIssueTests, erpnext_issue_tests.TestIssue):
	pass


@with_differences_skipped
class TestErpnextFirstResponseTime(ErpnextIssueTests, erpnext_issue_tests.TestFirstResponseTime):
	pass


class TestTheRunner(unittest.TestCase):
	def test_every_erpnext_test_runs_here_and_every_difference_names_one(self):
		erpnext_classes = {
			cls
			for cls in vars(erpnext_issue_tests).values()
			if isinstance(cls, type)
			and issubclass(cls, unittest.TestCase)
			and cls.__module__ == erpnext_issue_tests.__name__
		}
		ours = {
			TestErpnextIssue: erpnext_issue_tests.TestIssue,
			TestErpnextFirstResponseTime: erpnext_issue_tests.TestFirstResponseTime,
		}
		loader = unittest.TestLoader()
		with_tests = {cls for cls in erpnext_classes if loader.getTestCaseNames(cls)}
		self.assertEqual(with_tests, set(ours.values()))
		names = {name for cls in with_tests for name in loader.getTestCaseNames(cls)}
		self.assertLessEqual(set(DIFFERENCES), names)
