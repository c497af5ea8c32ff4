"""Reads served by a real MariaDB replica (issue 16).

A second MariaDB server on a loopback port replicates the test site's database from the primary with
MariaDB's own replication (support_plus.tests.replica), and the site reads from it as a site configured
with `read_from_replica` does. The reports, the workspace numbers, the portal's ticket list and the SLA
sweep's candidate selection are then served by the replica: their statements appear in the replica's
general log under the site's database user while the primary connection's own select counter stands still,
and each gives exactly what the same call gives on the primary. The test's tickets, committed on the
primary after the replica started, reach it by replication; nothing the site runs there writes (its
database user may only SELECT on the replica, and the log shows no write)."""

import pytest

import frappe
from frappe.desk.query_report import run
from frappe.utils import get_datetime

from support_plus.analytics import cards, charts, kpis
from support_plus.portal.pages import list_tickets
from support_plus.sla import due, sweep
from support_plus.tests.analytics_fixtures import NOW, PERIOD, REPORTS
from support_plus.tests.replica import WRITES, running_replica
from support_plus.tests.sla_fixtures import SlaTestCase, make_sla
from support_plus.tests.test_portal import contact_of, make_portal_user
from support_plus.tests.utils import MANAGER, make_customer

CUSTOMER = "SP Replica Customer"
PORTAL_USER = "replica-portal@replica-customer.example"
SLA = "SP Replica Standard"
OPENED = "2026-03-02 10:00:00"  # Monday, New York: 16:00 in Berlin, the response (4 h) due Tuesday 11:00
DUE = "2026-03-03 05:01:00"  # Tuesday 11:01 in Berlin: every ticket's response deadline has passed


@pytest.fixture(scope="module")
def replica():
	with running_replica() as running:
		print(f"replica {running.port}: " + ", ".join(f"{k} {v:.1f} s" for k, v in running.seconds.items()))
		yield running


class TestReadReplica(SlaTestCase):
	isolate_tests = False  # the replica sees committed data only: the class commits and cleans up

	@pytest.fixture(autouse=True)
	def _replica(self, replica):
		self.replica = replica

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_sla(SLA, default=True)
		make_customer(CUSTOMER)
		make_portal_user(PORTAL_USER, CUSTOMER)
		cls.tickets = [make_ticket(f"Replica ticket {n}", OPENED) for n in range(3)]
		frappe.db.commit()  # nosemgrep: the replica gets committed data only

	@classmethod
	def tearDownClass(cls):
		frappe.set_user("Administrator")
		frappe.db.rollback()
		names = frappe.get_all("Issue", filters={"customer": CUSTOMER}, pluck="name") or ["-"]
		for doctype, field in (
			("Issue Escalation", "issue"),
			("Notification Log", "document_name"),
			("Comment", "reference_name"),
			("Communication", "reference_name"),
			("Email Queue", "reference_name"),
			("Version", "docname"),
		):
			frappe.db.delete(doctype, {field: ("in", names)})
		frappe.db.delete("Issue", {"name": ("in", names)})
		frappe.delete_doc(
			"Service Level Agreement",
			frappe.db.get_value("Service Level Agreement", {"service_level": SLA}),
			force=True,
		)
		frappe.db.commit()  # nosemgrep
		super().tearDownClass()

	def setUp(self):
		super().setUp()
		self.replica.catch_up()

	def on_replica(self, call, reads_only_there: bool = True):
		"""`call()` in one request of the site reading from the replica: (the statements the site ran on the
		replica, the result). Nothing is written there; with `reads_only_there`, the primary connection runs
		no select meanwhile."""
		logged = len(self.replica.site_statements())
		primary_selects = session_selects()
		with self.replica.serving():
			result = call()
		if reads_only_there:
			self.assertEqual(session_selects(), primary_selects, "a select ran on the primary")
		statements = self.replica.site_statements()[logged:]
		writes = [s for s in statements if s.split(None, 1)[0].lower() in WRITES]
		self.assertEqual(writes, [], "a write was sent to the replica")
		return statements, result

	def test_heavy_reads_are_served_by_the_replica_and_agree_with_the_primary(self):
		frappe.flags.current_time = NOW
		filters = {**PERIOD, "customer": CUSTOMER}
		calls = {
			**{
				report: (
					MANAGER,
					"tabIssue",
					lambda report=report: without_timing(run(report, filters=filters)),
				)
				for report in REPORTS
			},
			"workspace numbers": (MANAGER, "tabIssue", lambda: kpis.support_kpis(**filters)),
			"workspace card": (MANAGER, "tabIssue", lambda: cards.card({"kpi": "open"})),
			"workspace chart": (MANAGER, "tabIssue", lambda: charts.chart("by_status")),
			"portal ticket list": (PORTAL_USER, "tabIssue", list_tickets),
			"sweep candidates": ("Administrator", due.INDEX, lambda: due.due_names(get_datetime(DUE))),
		}
		served = {}
		for label, (user, table, call) in calls.items():
			with self.subTest(label):
				frappe.set_user(user)
				on_primary = call()
				statements, served[label] = self.on_replica(call)
				self.assertTrue(any(table in s for s in statements), f"{label}: {statements}")
				self.assertEqual(served[label], on_primary, label)
		# ... and the class's tickets, committed after the replica started, are among what it served
		self.assertLessEqual(set(self.tickets), {row.name for row in served["portal ticket list"]["tickets"]})
		self.assertLessEqual(set(self.tickets), set(served["sweep candidates"]))
		self.assertGreaterEqual(served["workspace numbers"]["open"], len(self.tickets))

	def test_a_ticket_committed_on_the_primary_reaches_the_replica(self):
		name = make_ticket("Saved after the replica started", NOW)
		frappe.db.commit()  # nosemgrep: the replica gets committed data only
		self.replica.catch_up()
		frappe.set_user(PORTAL_USER)
		_statements, listed = self.on_replica(list_tickets)
		self.assertEqual(listed["tickets"][0].name, name, "newest first")

	def test_the_sweep_selects_on_the_replica_and_writes_on_the_primary(self):
		# (the sweep then reads the due rows from the primary by name, and decides on the primary's state)
		statements, on_replica = self.on_replica(lambda: sweep.sla_sweep(DUE), reads_only_there=False)
		self.assertTrue(any(due.INDEX in s for s in statements), statements)
		self.assertGreaterEqual(on_replica["breached"], len(self.tickets))
		for name in self.tickets:  # marked on the primary, in this transaction
			self.assertEqual(frappe.db.get_value("Issue", name, "sla_health"), "Breached")
		frappe.db.rollback()
		self.assertEqual(sweep.sla_sweep(DUE), on_replica, "the same sweep on the primary alone")
		frappe.db.rollback()

	def test_a_write_sent_to_the_replica_fails(self):
		"""The guard behind "nothing written": were a read-only path to write, its test would fail."""

		@frappe.read_only()
		def write():
			frappe.db.sql("update `tabIssue` set subject = subject where name = %s", self.tickets[0])

		with self.replica.serving(), self.assertRaisesRegex(Exception, "read-only|command denied"):
			write()


def make_ticket(subject: str, when: str) -> str:
	frappe.flags.current_time = when
	return (
		frappe.get_doc(
			{
				"doctype": "Issue",
				"subject": subject,
				"priority": "Medium",
				"raised_by": PORTAL_USER,
				"contact": contact_of(PORTAL_USER),
				"customer": CUSTOMER,
			}
		)
		.insert()
		.name
	)


def session_selects() -> int:
	"""The primary connection's own count of selects (other connections to the primary do not move it)."""
	return int(frappe.db.sql("show session status like 'Com_select'")[0][1])


def without_timing(result: dict) -> dict:
	return {key: value for key, value in result.items() if key != "execution_time"}
