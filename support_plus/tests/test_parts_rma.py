"""Returns to the vendor (support_plus.parts.rma): a replaced part shipped from Returns, its replacement
received, a credit, a rejection bringing the part back; the status moves only forward."""

import frappe

from support_plus.api import parts as api
from support_plus.parts import moves
from support_plus.tests import warranty_fixtures as wf
from support_plus.tests.parts_fixtures import CUSTOMER, PartsTestCase, assign, bin_qty, ledger, ticket
from support_plus.tests.utils import MANAGER

SUPPLIER = "SP Parts Vendor"


def make_supplier() -> str:
	if not frappe.db.exists("Supplier", SUPPLIER):
		frappe.get_doc(
			{
				"doctype": "Supplier",
				"supplier_name": SUPPLIER,
				"supplier_group": frappe.db.get_value("Supplier Group", {"is_group": 0}),
			}
		).insert(ignore_permissions=True)
	return SUPPLIER


class TestRMA(PartsTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_supplier()

	def replaced_part(self) -> tuple[str, str]:
		"""A customer's part replaced on a job: (the usage, the old serial now in Returns)."""
		old = f"SPR-{frappe.generate_hash(length=8).upper()}"
		wf.receive(self.SERIAL_ITEM, [old])
		wf.deliver(CUSTOMER, self.SERIAL_ITEM, [old], "2026-03-01")
		issue = ticket(serial_no=old)
		assign(issue, self.ned_user)
		frappe.set_user(self.ned_user)
		usage = api.use_part(issue, self.SERIAL_ITEM, old_serial_no=old)
		frappe.set_user("Administrator")
		return usage, old

	def test_replaced_part_shipped_and_replaced(self):
		usage, old = self.replaced_part()
		returns = moves.special_warehouse(self.company, moves.RETURNS)
		frappe.set_user(MANAGER)
		name = api.create_rma(SUPPLIER, "Dead on arrival", service_part_usage=usage)
		rma = frappe.get_doc("Return Material Authorization", name)
		self.assertEqual((rma.status, rma.serial_no, rma.warehouse), ("Requested", old, returns))
		before = bin_qty(self.SERIAL_ITEM, returns)
		api.ship_rma(name, supplier_reference="V-123")
		rma.reload()
		self.assertEqual(rma.status, "Shipped")
		self.assertEqual(ledger(rma.shipment_entry), [(returns, -1.0, 0)])
		self.assertEqual(bin_qty(self.SERIAL_ITEM, returns), before - 1)
		self.assertIsNone(frappe.db.get_value("Serial No", old, "warehouse"))
		with self.assertRaises(frappe.ValidationError):  # shipped once only
			api.ship_rma(name)
		new = f"SPR-NEW-{frappe.generate_hash(length=6).upper()}"
		entry = api.receive_rma_replacement(name, serial_no=new, warehouse=self.stores)
		frappe.set_user("Administrator")
		rma.reload()
		self.assertEqual(
			(rma.status, rma.replacement_serial_no, rma.replacement_entry), ("Replaced", new, entry)
		)
		self.assertEqual(ledger(entry), [(self.stores, 1.0, 0)])
		self.assertEqual(frappe.db.get_value("Serial No", new, "warehouse"), self.stores)
		self.assertEqual(frappe.db.get_value("Stock Entry", entry, "return_material_authorization"), name)

	def test_credit_and_rejection(self):
		usage, _old = self.replaced_part()
		returns = moves.special_warehouse(self.company, moves.RETURNS)
		frappe.set_user(MANAGER)
		credited = api.create_rma(SUPPLIER, "Faulty", service_part_usage=usage)
		with self.assertRaises(frappe.ValidationError):  # nothing to credit before it is shipped
			api.credit_rma(credited, "CN-1")
		api.ship_rma(credited)
		api.credit_rma(credited, "CN-1")
		self.assertEqual(
			frappe.db.get_value("Return Material Authorization", credited, ["status", "credit_reference"]),
			("Credited", "CN-1"),
		)
		frappe.set_user("Administrator")
		usage2, old2 = self.replaced_part()
		frappe.set_user(MANAGER)
		rejected = api.create_rma(SUPPLIER, "Faulty", service_part_usage=usage2)
		api.ship_rma(rejected)
		api.reject_rma(rejected, "Damaged by the customer")
		frappe.set_user("Administrator")
		self.assertEqual(frappe.db.get_value("Return Material Authorization", rejected, "status"), "Rejected")
		self.assertEqual(frappe.db.get_value("Serial No", old2, "warehouse"), returns)  # back where it waited
		# the status is not edited by hand
		doc = frappe.get_doc("Return Material Authorization", rejected)
		doc.status = "Requested"
		self.assertRaises(frappe.ValidationError, doc.save)

	def test_technician_cannot_ship(self):
		usage, _old = self.replaced_part()
		name = api.create_rma(SUPPLIER, "Faulty", service_part_usage=usage)
		frappe.set_user(self.ned_user)
		with self.assertRaises(frappe.PermissionError):
			api.ship_rma(name)
		frappe.set_user("Administrator")
		self.assertEqual(frappe.db.get_value("Return Material Authorization", name, "status"), "Requested")
