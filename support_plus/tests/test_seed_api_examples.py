"""The four API examples of the product seed (../shared/seeds/000_*.txt), run as the user wrote them.

Only the masters they name (CUST-00001, Technical, High, ITEM-001, user@example.com) are made here.
"""

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import getdate, today

from support_plus.tests.utils import make_customer, make_issue_type, make_item, make_sales_person


class TestSeedApiExamples(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_customer("CUST-00001")
		make_issue_type("Technical")
		make_item("ITEM-001")
		make_sales_person("user@example.com")

	def create_issue(self):
		doc = frappe.get_doc(
			{
				"doctype": "Issue",
				"subject": "Product not working",
				"customer": "CUST-00001",
				"issue_type": "Technical",
				"priority": "High",
				"description": "Detailed description of the issue",
			}
		)
		doc.insert()
		return doc

	def test_create_issue(self):
		doc = self.create_issue()

		stored = frappe.db.get_value(
			"Issue", doc.name, ["subject", "customer", "issue_type", "priority", "status"], as_dict=True
		)
		self.assertEqual(
			stored,
			{
				"subject": "Product not working",
				"customer": "CUST-00001",
				"issue_type": "Technical",
				"priority": "High",
				"status": "Open",
			},
		)

	def test_close_issue_with_resolution_details(self):
		# The seed fetches "ISS-00001"; here it is the issue just created, whatever its number.
		name = self.create_issue().name

		doc = frappe.get_doc("Issue", name)
		doc.status = "Closed"
		doc.resolution_details = "Issue resolved by replacing component"
		doc.save()

		stored = frappe.get_doc("Issue", name)
		self.assertEqual(stored.status, "Closed")
		self.assertEqual(stored.resolution_details, "Issue resolved by replacing component")
		self.assertEqual(stored.subject, "Product not working")

	def test_create_and_submit_maintenance_schedule(self):
		doc = frappe.get_doc(
			{
				"doctype": "Maintenance Schedule",
				"customer": "CUST-00001",
				"items": [
					{
						"item_code": "ITEM-001",
						"start_date": "2024-01-01",
						"end_date": "2024-12-31",
						"periodicity": "Monthly",
					}
				],
			}
		)
		doc.insert()
		doc.submit()

		doc.reload()
		self.assertEqual(doc.docstatus, 1)
		self.assertEqual(doc.transaction_date, getdate(today()))
		# The row keeps its year-long range and gets a visit per month in it.
		self.assertEqual(doc.items[0].no_of_visits, 12)
		self.assertEqual(doc.items[0].end_date, getdate("2024-12-31"))
		dates = sorted(row.scheduled_date for row in doc.schedules)
		self.assertEqual(len(dates), 12)
		self.assertTrue(all(getdate("2024-01-01") <= d <= getdate("2024-12-31") for d in dates))
		gaps = [(b - a).days for a, b in zip([getdate("2024-01-01"), *dates], dates, strict=False)]
		self.assertTrue(all(28 <= gap <= 33 for gap in gaps), f"visits about a month apart: {gaps}")

	def test_given_visit_count_is_kept(self):
		doc = frappe.get_doc(
			{
				"doctype": "Maintenance Schedule",
				"customer": "CUST-00001",
				"items": [
					{
						"item_code": "ITEM-001",
						"start_date": "2024-01-01",
						"end_date": "2024-12-31",
						"periodicity": "Monthly",
						"no_of_visits": 6,
					}
				],
			}
		).insert()

		self.assertEqual(doc.items[0].no_of_visits, 6)
		self.assertEqual(len(doc.schedules), 6)

	def test_log_and_submit_maintenance_visit(self):
		doc = frappe.get_doc(
			{
				"doctype": "Maintenance Visit",
				"customer": "CUST-00001",
				"mntc_date": "2024-02-05",
				"purposes": [
					{
						"item_code": "ITEM-001",
						"work_done": "Routine maintenance completed",
						"service_person": "user@example.com",
					}
				],
			}
		)
		doc.insert()
		doc.submit()

		doc.reload()
		self.assertEqual(doc.docstatus, 1)
		self.assertEqual(doc.status, "Submitted")
		self.assertEqual(doc.mntc_date, getdate("2024-02-05"))
		self.assertEqual(doc.completion_status, "Fully Completed")
		self.assertEqual(doc.purposes[0].service_person, "user@example.com")
		self.assertEqual(doc.purposes[0].work_done, "Routine maintenance completed")
