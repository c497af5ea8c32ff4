"""Vans, stock and tickets for the parts tests (support_plus.parts): real warehouses, real Material
Receipts through ERPNext's Serial and Batch Bundle, technicians assigned to real tickets."""

import frappe

from support_plus.tests.dispatch_fixtures import make_technician, tech_user
from support_plus.tests.utils import SupportTestCase, make_customer, make_item
from support_plus.tests.warranty_fixtures import company, make_serial_item
from support_plus.tests.warranty_fixtures import warehouse as stores

CUSTOMER = "SP Parts Customer"


def make_warehouse(name: str) -> str:
	"""A leaf warehouse of the test company (a van, for these tests)."""
	abbr = frappe.get_cached_value("Company", company(), "abbr")
	full = f"{name} - {abbr}"
	if not frappe.db.exists("Warehouse", full):
		parent = frappe.db.get_value(
			"Warehouse", {"company": company(), "is_group": 1}, "name", order_by="lft"
		)
		frappe.get_doc(
			{"doctype": "Warehouse", "warehouse_name": name, "company": company(), "parent_warehouse": parent}
		).insert(ignore_permissions=True)
	return full


def receive(item_code: str, warehouse: str, qty: float = 0, serials=(), rate: float = 100):
	"""A Material Receipt into `warehouse` (serial numbers registered first, as a purchase would)."""
	from erpnext.stock.doctype.stock_entry.stock_entry_utils import make_stock_entry

	for serial in serials:
		if not frappe.db.exists("Serial No", serial):
			frappe.get_doc({"doctype": "Serial No", "serial_no": serial, "item_code": item_code}).insert()
	return make_stock_entry(
		item_code=item_code,
		qty=len(serials) or qty,
		to_warehouse=warehouse,
		company=company(),
		rate=rate,
		serial_no=list(serials) or None,
	)


def technician_with_van(key: str, van: str):
	tech = make_technician(key, hours=None)
	tech.db_set("van_warehouse", van)
	return tech


def assign(issue: str, user: str) -> None:
	"""An open assignment of the ticket, and a share of it (as Frappe's assign_to made for technicians
	before they read their assigned tickets; either gives them the ticket)."""
	frappe.share.add_docshare("Issue", issue, user, flags={"ignore_share_permission": True})
	frappe.get_doc(
		{
			"doctype": "ToDo",
			"allocated_to": user,
			"reference_type": "Issue",
			"reference_name": issue,
			"description": "parts test",
			"assigned_by": user,
		}
	).insert(ignore_permissions=True)


def ticket(customer: str = CUSTOMER, **values) -> str:
	return (
		frappe.get_doc({"doctype": "Issue", "subject": "Parts test", "customer": customer, **values})
		.insert(ignore_permissions=True)
		.name
	)


def bin_qty(item_code: str, warehouse: str) -> float:
	return frappe.db.get_value("Bin", {"item_code": item_code, "warehouse": warehouse}, "actual_qty") or 0


def bin_value(item_code: str, warehouse: str) -> float:
	return frappe.db.get_value("Bin", {"item_code": item_code, "warehouse": warehouse}, "stock_value") or 0


def ledger(voucher_no: str) -> list[tuple]:
	"""(warehouse, actual_qty, is_cancelled) of a Stock Entry's ledger rows."""
	return [
		tuple(r)
		for r in frappe.get_all(
			"Stock Ledger Entry",
			filters={"voucher_type": "Stock Entry", "voucher_no": voucher_no},
			fields=["warehouse", "actual_qty", "is_cancelled"],
			order_by="warehouse, actual_qty",
			as_list=True,
		)
	]


class PartsTestCase(SupportTestCase):
	"""Two technicians with vans (Ned's is stocked), the customer, a serialised and a plain part.
	Everything is rolled back after the class."""

	SERIAL_ITEM = "SP-PART-BOARD"
	PLAIN_ITEM = "SP-PART-FILTER"

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_customer(CUSTOMER)
		make_serial_item(cls.SERIAL_ITEM, 365)
		make_item(cls.PLAIN_ITEM)
		cls.company = company()
		cls.stores = stores()
		cls.van = make_warehouse("SP Test Van Ned")
		cls.other_van = make_warehouse("SP Test Van Gus")
		cls.ned = technician_with_van("ned", cls.van)
		cls.gus = technician_with_van("gus", cls.other_van)
		cls.ned_user, cls.gus_user = tech_user("ned"), tech_user("gus")
		prefix = frappe.generate_hash(length=6).upper()
		cls.serials = [f"SPB-{prefix}-{i}" for i in range(1, 6)]
		receive(cls.SERIAL_ITEM, cls.van, serials=cls.serials)
		receive(cls.PLAIN_ITEM, cls.van, qty=10, rate=20)
