"""The demo's equipment, contracts and maintenance (support_plus.demo.maintenance): serials under warranty,
under an AMC and a CMC, expired; a contract ending within the alert days; a visit done and one overdue;
the visits to come booked with the field technicians. Made once, unchanged when run again."""

import frappe
from frappe.utils import date_diff, getdate, today

from support_plus.demo import data, field_service, maintenance
from support_plus.demo.loader import _customer, _desk_user, _product
from support_plus.tests.utils import TEST_COMPANY, SupportTestCase
from support_plus.warranty.coverage import coverage


class TestDemoMaintenance(SupportTestCase):
	def test_idempotent_equipment_contracts_and_visits(self):
		users = [t[2] for t in field_service.TECHNICIANS]
		try:
			for row in data.CUSTOMERS:
				_customer(*row)
			for product in data.PRODUCTS:
				_product(TEST_COMPANY, *product)
			field_service.make_field_service(TEST_COMPANY, None, _desk_user)
			first = maintenance.make_maintenance(TEST_COMPANY)
			self.assertEqual(
				{k: first[k] for k in ("serials_registered", "contracts", "maintenance_visits")},
				{"serials_registered": len(maintenance.EQUIPMENT), "contracts": 3, "maintenance_visits": 1},
			)
			again = maintenance.make_maintenance(TEST_COMPANY)
			self.assertEqual(
				again,
				{
					"serials_registered": 0,
					"contracts": 0,
					"maintenance_visits": 0,
					"overdue_maintenance": first["overdue_maintenance"],
				},
			)

			status = {serial: coverage(serial) for serial, _customer_name in maintenance.EQUIPMENT}
			self.assertEqual(status["ESPX2-00001"]["status"], "Under Warranty")
			self.assertEqual(status["AC9K-00002"]["status"], "Under Warranty")
			self.assertEqual(status["POST1-00004"]["status"], "Out of Warranty")
			self.assertEqual(status["ESPX2-00008"]["status"], "Out of Warranty")
			self.assertEqual(
				(status["PRNL5-00004"]["status"], status["PRNL5-00004"]["contract_type"]),
				("Under Contract", "AMC"),
			)
			cmc = status["ESPX2-00006"]
			self.assertEqual((cmc["status"], cmc["contract_type"]), ("Under Contract", "CMC"))
			self.assertTrue(0 < date_diff(cmc["contract_end"], today()) <= 30, "ends within the alert days")

			orion = frappe.db.get_value(
				"Maintenance Schedule", {"customer": "Orion Print Shop", "docstatus": 1}
			)
			late = frappe.get_all(
				"Maintenance Schedule Detail",
				filters={"parent": orion, "is_overdue": 1},
				fields=["scheduled_date", "sales_person"],
			)
			self.assertEqual(len(late), 2)  # the first quarterly visit, for each of the two printers
			self.assertTrue(
				all(getdate(r.scheduled_date) < getdate(today()) and r.sales_person for r in late)
			)
			self.assertGreaterEqual(first["overdue_maintenance"], 2)
			# the visits to come are technicians' appointments (whoever the routing engine picks on this site)
			booked = frappe.get_all(
				"Service Appointment",
				filters={"maintenance_schedule": orion},
				fields=["technician", "scheduled_start"],
			)
			self.assertTrue(booked)
			self.assertTrue(all(getdate(b.scheduled_start) > getdate(today()) for b in booked))

			done = frappe.get_all(
				"Maintenance Visit",
				filters={"customer": "Cedar Hotels", "docstatus": 1},
				fields=["customer_feedback", "completion_status"],
			)
			self.assertEqual(
				[(v.customer_feedback, v.completion_status) for v in done],
				[(maintenance.DONE_VISIT[2], "Fully Completed")],
			)
		finally:
			frappe.db.rollback()
			# nothing of it may stay for the routing tests, which rank every technician
			self.assertFalse(frappe.db.exists("Service Technician", {"user": ("in", users)}))
