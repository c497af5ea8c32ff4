"""The demo's service billing (support_plus.demo.billing): a warranty repair with nothing to bill and a
chargeable repair with its draft invoice, made once on real stock, unchanged when run again."""

import frappe
from frappe.utils import flt

from support_plus.demo import billing, data
from support_plus.demo.loader import _product
from support_plus.tests.utils import SupportTestCase, make_customer
from support_plus.tests.warranty_fixtures import company


class TestDemoBilling(SupportTestCase):
	def test_two_repairs_one_invoiced_once(self):
		product = next(p for p in data.PRODUCTS if p[0] == billing.EQUIPMENT)
		_product(company(), *product)
		for _subject, customer, _months, _parts in billing.TICKETS:
			make_customer(customer)
		make_customer(billing.LOANER[1])
		first = billing.make_billing_demo(company())
		self.assertEqual(first, {"billing_tickets": 2, "service_invoices": 1, "loaners_out": 1})
		again = billing.make_billing_demo(company())
		self.assertEqual(again, {"billing_tickets": 0, "service_invoices": 0, "loaners_out": 0})
		loaner = frappe.get_doc(
			"Service Part Usage", {"issue": frappe.db.get_value("Issue", {"subject": billing.LOANER[0]})}
		)
		self.assertEqual((loaner.usage_type, loaner.docstatus, loaner.returned_on), ("Loaner", 1, None))
		self.assertTrue(loaner.expected_return_date and loaner.stock_entry)
		moved_to = frappe.db.get_value("Stock Entry Detail", {"parent": loaner.stock_entry}, "t_warehouse")
		self.assertTrue(frappe.db.get_value("Warehouse", moved_to, "warehouse_name").startswith("Loaners"))

		warranty, charged = (frappe.db.get_value("Issue", {"subject": t[0]}) for t in billing.TICKETS)
		self.assertEqual(frappe.db.get_value("Issue", warranty, "warranty_status"), "Under Warranty")
		self.assertFalse(frappe.db.exists("Sales Invoice", {"issue": warranty}))
		usages = frappe.get_all(
			"Service Part Usage",
			filters={"issue": ("in", (warranty, charged)), "docstatus": 1},
			fields=["issue", "chargeable", "stock_entry"],
		)
		self.assertEqual(len(usages), 3)
		self.assertTrue(all(u.stock_entry for u in usages))  # real stock moved
		self.assertEqual({u.chargeable for u in usages if u.issue == warranty}, {0})
		self.assertEqual({u.chargeable for u in usages if u.issue == charged}, {1})
		invoice = frappe.get_doc("Sales Invoice", {"issue": charged})
		# pump 180 + 15% = 207.00; filter 40 + 15% = 46.00
		self.assertEqual(invoice.docstatus, 0)
		self.assertEqual(flt(invoice.net_total), 253.0)
