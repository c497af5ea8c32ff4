"""The demo's field service (support_plus.demo.field_service): made once, unchanged when run again, and
every appointment inside its technician's working hours with no double booking."""

import itertools

import frappe

from support_plus.demo import field_service
from support_plus.demo.loader import _desk_user
from support_plus.dispatch.appointments import BOOKED, within_working_hours
from support_plus.tests.appointment_fixtures import field_ticket
from support_plus.tests.utils import TEST_COMPANY, SupportTestCase


class TestDemoFieldService(SupportTestCase):
	def test_idempotent_week_of_visits(self):
		users = [t[2] for t in field_service.TECHNICIANS]
		try:
			field_ticket("Demo: the card terminal is offline")
			first = field_service.make_field_service(TEST_COMPANY, None, _desk_user)
			self.assertEqual(first["technicians"], 4)
			self.assertGreaterEqual(first["on_call_shifts"], 5)
			self.assertGreater(first["appointments"], 10)
			again = field_service.make_field_service(TEST_COMPANY, None, _desk_user)
			self.assertEqual(again, {**first, "on_call_shifts": 0, "appointments": 0})

			for user in users:
				tech = frappe.get_doc("Service Technician", user)
				self.assertTrue(tech.skills and tech.van_warehouse and tech.sales_person)
				self.assertTrue(frappe.db.exists("Warehouse", tech.van_warehouse))
				visits = frappe.get_all(
					"Service Appointment",
					filters={"technician": user, "status": ("in", BOOKED)},
					fields=["scheduled_start", "scheduled_end", "address_display"],
					order_by="scheduled_start asc",
				)
				self.assertTrue(visits)
				for before, after in itertools.pairwise(visits):
					self.assertLessEqual(before.scheduled_end, after.scheduled_start)
				for visit in visits:
					self.assertTrue(within_working_hours(user, visit.scheduled_start, visit.scheduled_end))
					self.assertIn("Springfield", visit.address_display)
		finally:
			frappe.db.rollback()
			# nothing of it may stay for the routing tests, which rank every technician
			self.assertFalse(frappe.db.exists("Service Technician", {"user": ("in", users)}))
