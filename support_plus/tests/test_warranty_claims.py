"""Contract SLAs, warranty claims from tickets and the coverage alerts, with fixed dates on real deliveries
(support_plus/warranty/)."""

import frappe
from frappe.utils import getdate

from erpnext.support.doctype.warranty_claim.warranty_claim import make_maintenance_visit

from support_plus.api import create_warranty_claim, service_history
from support_plus.tests.sla_fixtures import SlaTestCase, make_sla
from support_plus.tests.utils import AGENT, MANAGER, SALES, make_customer, make_sales_person
from support_plus.tests.warranty_fixtures import (
	WarrantyTestCase,
	deliver,
	make_contract,
	make_serial_item,
	receive,
)
from support_plus.warranty import alerts


class TestContractSla(SlaTestCase):
	"""A ticket about equipment under a contract with an SLA gets it before the customer's default."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_customer(cls.CUSTOMER)
		make_serial_item(cls.ITEM, 365)
		cls.standard = make_sla("SP Warranty Standard", default=True)
		gold = make_sla("SP Warranty Gold", priorities={"Medium": (1, 4), "High": (1, 2)})
		frappe.db.set_value("Service Level Agreement", gold, "service_contracts_only", 1)
		cls.gold = gold
		receive(cls.ITEM, ["SPW-SLA-1", "SPW-SLA-2"])
		deliver(cls.CUSTOMER, cls.ITEM, ["SPW-SLA-1", "SPW-SLA-2"], "2026-01-10")
		frappe.set_user(MANAGER)
		cls.contract = make_contract(
			cls.CUSTOMER, "2026-01-01", "2026-12-31", serials=["SPW-SLA-1"], service_level_agreement=gold
		).name
		frappe.set_user("Administrator")

	ITEM = WarrantyTestCase.ITEM
	CUSTOMER = WarrantyTestCase.CUSTOMER

	def test_contract_sla_wins_the_selection(self):
		frappe.set_user(AGENT)
		covered = self.ticket("2026-03-02 10:00:00", customer=self.CUSTOMER, serial_no="SPW-SLA-1")
		self.assertEqual(
			(covered.service_contract, covered.service_level_agreement), (self.contract, self.gold)
		)
		other = self.ticket("2026-03-02 10:00:00", customer=self.CUSTOMER, serial_no="SPW-SLA-2")
		self.assertEqual((other.service_contract, other.service_level_agreement), (None, self.standard))
		# Gold is for contracts only: a ticket without a serial never gets it.
		plain = self.ticket("2026-03-02 10:00:00", customer=self.CUSTOMER)
		self.assertEqual(plain.service_level_agreement, self.standard)
		# Naming the covered serial later moves the ticket to the contract's SLA.
		other.serial_no = "SPW-SLA-1"
		other.save()
		self.assertEqual(other.service_level_agreement, self.gold)


class TestWarrantyClaims(WarrantyTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		short = make_serial_item("SP-WTY-SHORT", 30)
		receive(cls.ITEM, ["SPW-CL-1"])
		receive(short, ["SPW-CL-2"])
		deliver(cls.CUSTOMER, cls.ITEM, ["SPW-CL-1"], "2026-02-01")  # warranty until 2027-02-01
		deliver(cls.CUSTOMER, short, ["SPW-CL-2"], "2026-01-10")  # warranty until 2026-02-09

	def setUp(self):
		frappe.db.savepoint("sp_claim_test")
		frappe.flags.current_time = "2026-05-04 10:00:00"

	def tearDown(self):
		frappe.db.rollback(save_point="sp_claim_test")
		super().tearDown()

	def ticket(self, serial_no):
		return frappe.get_doc(
			{
				"doctype": "Issue",
				"subject": "Printer jams",
				"description": "Paper jams on every page",
				"customer": self.CUSTOMER,
				"serial_no": serial_no,
			}
		).insert()

	def test_claim_under_warranty_and_its_visit_resolves_the_ticket(self):
		frappe.set_user(AGENT)
		doc = self.ticket("SPW-CL-1")
		name = create_warranty_claim(doc.name, complaint="Jams since Monday")
		claim = frappe.get_doc("Warranty Claim", name)
		self.assertEqual(
			(claim.customer, claim.serial_no, claim.item_code, claim.issue, claim.complaint),
			(self.CUSTOMER, "SPW-CL-1", self.ITEM, doc.name, "Jams since Monday"),
		)
		self.assertEqual(claim.warranty_amc_status, "Under Warranty")
		self.assertEqual(frappe.db.get_value("Issue", doc.name, "warranty_claim"), name)
		with self.assertRaisesRegex(frappe.ValidationError, "already has warranty claim"):
			create_warranty_claim(doc.name)

		# ERPNext's visit of the claim, completed by the technician.
		frappe.set_user("Administrator")
		visit = make_maintenance_visit(name)
		visit.company = claim.company
		visit.mntc_date = "2026-05-05"
		visit.completion_status = "Fully Completed"
		for purpose in visit.purposes:
			purpose.service_person = make_sales_person("SP Warranty Technician")
			purpose.work_done = "Replaced the feed roller"
		visit.insert()
		visit.submit()
		self.assertEqual(frappe.db.get_value("Warranty Claim", name, "status"), "Closed")
		self.assertEqual(
			frappe.db.get_value("Issue", doc.name, ["status", "resolution_details"]),
			("Resolved", "Replaced the feed roller"),
		)

	def test_service_history_newest_first(self):
		frappe.set_user(MANAGER)
		contract = make_contract(self.CUSTOMER, "2027-03-01", "2027-12-31", serials=["SPW-CL-1"]).name
		frappe.set_user(AGENT)
		doc = self.ticket("SPW-CL-1")
		claim = create_warranty_claim(doc.name)
		self.ticket("SPW-CL-2")  # another serial of the customer
		history = service_history("SPW-CL-1")
		self.assertEqual(
			[(e["doctype"], e["name"]) for e in history],
			[("Service Contract", contract), ("Issue", doc.name), ("Warranty Claim", claim)],
		)  # contract from 2027; the ticket made today; the claim dated on the pinned 2026-05-04
		self.assertEqual(len(service_history(customer=self.CUSTOMER)), 4)
		frappe.set_user(SALES)  # picks serial numbers, reads none
		with self.assertRaises(frappe.PermissionError):
			service_history("SPW-CL-1")

	def test_out_of_warranty_refused_unless_a_manager_overrides(self):
		frappe.set_user(AGENT)
		doc = self.ticket("SPW-CL-2")
		self.assertEqual(doc.warranty_status, "Out of Warranty")
		with self.assertRaisesRegex(frappe.ValidationError, "A Support Manager can make the claim"):
			create_warranty_claim(doc.name)
		with self.assertRaises(frappe.PermissionError):
			create_warranty_claim(doc.name, override_reason="Customer is a friend")
		self.assertFalse(frappe.db.exists("Warranty Claim", {"serial_no": "SPW-CL-2"}))

		frappe.set_user(MANAGER)
		name = create_warranty_claim(doc.name, override_reason="Failed two days after the warranty ended")
		self.assertEqual(
			frappe.db.get_value("Warranty Claim", name, "warranty_amc_status"), "Out of Warranty"
		)
		for doctype, docname in (("Issue", doc.name), ("Warranty Claim", name)):
			logged = frappe.get_all(
				"Comment",
				filters={"reference_doctype": doctype, "reference_name": docname},
				pluck="content",
			)
			self.assertTrue(
				any("overridden by sp-manager@example.com" in c and "two days after" in c for c in logged),
				logged,
			)

	def test_claim_on_a_cancelled_ticket_refused(self):
		frappe.set_user(AGENT)
		doc = self.ticket("SPW-CL-1")
		doc.status = "Cancelled"
		doc.cancel_reason = "Duplicate"
		doc.save()
		with self.assertRaisesRegex(frappe.ValidationError, "is cancelled"):
			create_warranty_claim(doc.name)
		with self.assertRaises(frappe.DoesNotExistError):
			create_warranty_claim("RE-NO-SUCH-TICKET")


class TestCoverageAlerts(WarrantyTestCase):
	CUSTOMER = "SP Warranty Alert Customer"
	ITEM = "SP-WTY-ALERT"
	WARRANTY_DAYS = 100

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		contact = frappe.get_doc(
			{
				"doctype": "Contact",
				"first_name": "Alert",
				"email_ids": [{"email_id": "alert.contact@example.com", "is_primary": 1}],
				"links": [{"link_doctype": "Customer", "link_name": cls.CUSTOMER}],
			}
		).insert(ignore_permissions=True)
		cls.contact = contact.name
		frappe.db.set_value("Customer", cls.CUSTOMER, "account_manager", MANAGER)
		receive(cls.ITEM, ["SPW-AL-1", "SPW-AL-2", "SPW-AL-3"])
		# Warranties end 2026-05-12, 2026-06-11 and 2026-08-10.
		deliver(cls.CUSTOMER, cls.ITEM, ["SPW-AL-1"], "2026-02-01")
		deliver(cls.CUSTOMER, cls.ITEM, ["SPW-AL-2"], "2026-03-03")
		deliver(cls.CUSTOMER, cls.ITEM, ["SPW-AL-3"], "2026-05-02")

	def setUp(self):
		frappe.db.savepoint("sp_alert_test")

	def tearDown(self):
		frappe.db.rollback(save_point="sp_alert_test")
		super().tearDown()

	def queued(self):
		return frappe.get_all(
			"Email Queue",
			filters={"reference_doctype": "Customer", "reference_name": self.CUSTOMER},
			pluck="name",
		)

	def test_alerts_once_when_the_job_runs_twice(self):
		first = alerts.send_coverage_alerts(getdate("2026-05-01"))  # 30 days: up to 2026-05-31
		self.assertEqual(len(self.queued()), 1)
		self.assertGreaterEqual(first["emails"], 1)
		email = frappe.get_doc("Email Queue", self.queued()[0])
		self.assertEqual(
			sorted(r.recipient for r in email.recipients), ["alert.contact@example.com", MANAGER]
		)
		self.assertTrue("SPW-AL-1" in email.message and "SPW-AL-2" not in email.message)
		self.assertEqual(
			frappe.db.get_value("Serial No", "SPW-AL-1", "warranty_alerted_for"), getdate("2026-05-12")
		)

		alerts.send_coverage_alerts(getdate("2026-05-01"))
		alerts.send_coverage_alerts(getdate("2026-05-02"))
		self.assertEqual(len(self.queued()), 1, "never twice for the same serial and expiry")

		alerts.send_coverage_alerts(getdate("2026-05-20"))  # SPW-AL-2 comes into the window
		self.assertEqual(len(self.queued()), 2)

	def test_alert_days_setting(self):
		try:
			frappe.db.set_single_value("Support Plus Settings", "coverage_alert_days", 0)
			self.assertEqual(alerts.send_coverage_alerts(getdate("2026-05-01"))["emails"], 0)
			frappe.db.set_single_value("Support Plus Settings", "coverage_alert_days", 120)
			alerts.send_coverage_alerts(getdate("2026-05-01"))
			email = frappe.get_doc("Email Queue", self.queued()[0])
			self.assertTrue("SPW-AL-3" in email.message)
		finally:
			frappe.db.set_single_value("Support Plus Settings", "coverage_alert_days", 30)

	def test_contract_end_and_parts_quota(self):
		frappe.set_user(MANAGER)
		contract = make_contract(
			self.CUSTOMER,
			"2026-09-01",
			"2026-10-15",
			serials=["SPW-AL-3"],
			contract_type="CMC",
			parts_quota_amount=1000,
			parts_quota_count=10,
		)
		frappe.set_user("Administrator")
		alerts.send_coverage_alerts(getdate("2026-10-01"))
		email = frappe.get_doc("Email Queue", self.queued()[0])
		self.assertTrue("SPW-AL-3" in email.message)
		self.assertEqual(
			frappe.db.get_value("Serial No", "SPW-AL-3", "amc_alerted_for"), getdate("2026-10-15")
		)

		def notices():
			return frappe.get_all(
				"Notification Log",
				filters={
					"document_type": "Service Contract",
					"document_name": contract.name,
					"for_user": MANAGER,
				},
				pluck="subject",
			)

		# Parts usage (counted by another part of the app) stands in as stored numbers.
		contract.db_set({"parts_used_amount": 500, "parts_used_count": 8})
		alerts.send_coverage_alerts(getdate("2026-10-02"))
		alerts.send_coverage_alerts(getdate("2026-10-03"))
		self.assertEqual(len(notices()), 1)
		self.assertIn("80%", notices()[0])
		contract.db_set({"parts_used_amount": 1000})
		self.assertEqual(alerts.check_parts_quota(contract.name), 100)
		self.assertIsNone(alerts.check_parts_quota(contract.name))
		self.assertEqual(len(notices()), 2)

	def test_quota_level(self):
		self.assertEqual(alerts.quota_level(1000, 0, 799, 0), 0)
		self.assertEqual(alerts.quota_level(1000, 0, 800, 0), 80)
		self.assertEqual(alerts.quota_level(1000, 10, 100, 10), 100)  # the count is further
		self.assertEqual(alerts.quota_level(0, 0, 5000, 50), 0)  # no quota
