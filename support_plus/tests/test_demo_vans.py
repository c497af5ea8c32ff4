"""The demo's vans (support_plus.demo.vans): seed 002's table in the first van, below and above par in
the others, one refill request per van below par, and nothing new when run again."""

import frappe

from support_plus.demo import field_service
from support_plus.demo.loader import _desk_user
from support_plus.demo.vans import make_vans
from support_plus.parts import vans
from support_plus.tests.utils import TEST_COMPANY, SupportTestCase
from support_plus.tests.van_fixtures import open_requests


class TestDemoVans(SupportTestCase):
	def test_vans_below_and_above_par_idempotent(self):
		users = [t[2] for t in field_service.TECHNICIANS]
		try:
			field_service.make_field_service(TEST_COMPANY, None, _desk_user)
			first = make_vans(TEST_COMPANY, users)
			self.assertEqual(first["vans"], 4)
			van = frappe.db.get_value("Service Technician", users[0], "van_warehouse")
			self.assertEqual(
				{r["item_name"]: (r["par_level"], r["actual_qty"], r["status"]) for r in vans.van_stock(van)},
				{
					'LCD 15.6"': (3, 1, "Below Par"),
					"Laptop Battery": (5, 6, "OK"),
					"RAM 8GB DDR4": (4, 0, "Out of Stock"),
					"Network Cable": (10, 12, "OK"),
				},
			)
			self.assertEqual(len(open_requests(van)), 1)
			statuses = {r.status for r in vans.stock_rows(list(vans.vans()))}
			self.assertEqual(statuses, {"OK", "Below Par", "Out of Stock"})
			entries = frappe.db.count("Stock Entry")
			again = make_vans(TEST_COMPANY, users)
			self.assertEqual((again["vans"], frappe.db.count("Stock Entry")), (4, entries))
			self.assertEqual(len(open_requests(van)), 1)
		finally:
			frappe.db.rollback()
			vans._drop_cache()
