"""Serialised equipment (received on 2 January 2026, in the test company's only fiscal year) for warranty tests: real stock receipts, deliveries and invoices through ERPNext's
Serial and Batch Bundle (as ERPNext's own stock tests make them), on the test company."""

import frappe
from frappe.utils import getdate

from support_plus.tests.utils import TEST_COMPANY, SupportTestCase, make_customer, make_item


def company() -> str:
	return frappe.db.get_value(
		"Company", {"company_name": TEST_COMPANY}
	) or frappe.defaults.get_global_default("company")


def warehouse() -> str:
	return frappe.db.get_value(
		"Warehouse", {"company": company(), "is_group": 0, "warehouse_name": "Stores"}
	) or (frappe.db.get_value("Warehouse", {"company": company(), "is_group": 0}))


def make_serial_item(item_code: str, warranty_days: int = 365, starts_on: str = "Delivery") -> str:
	make_item(item_code, has_serial_no=True)
	frappe.db.set_value(
		"Item", item_code, {"warranty_period": str(warranty_days), "warranty_starts_on": starts_on}
	)
	frappe.clear_document_cache("Item", item_code)
	return item_code


def receive(item_code: str, serials: list[str], posting_date: str = "2026-01-02") -> None:
	"""A Material Receipt of these serial numbers into the test company's stores."""
	from erpnext.stock.doctype.stock_entry.stock_entry_utils import make_stock_entry

	for serial in serials:  # registered first, as a purchase receipt's serial numbers are
		frappe.get_doc({"doctype": "Serial No", "serial_no": serial, "item_code": item_code}).insert()
	make_stock_entry(
		item_code=item_code,
		qty=len(serials),
		to_warehouse=warehouse(),
		company=company(),
		rate=100,
		serial_no=serials,
		posting_date=posting_date,
	)


def deliver(
	customer: str, item_code: str, serials: list[str], posting_date: str, doctype: str = "Delivery Note"
):
	"""A submitted Delivery Note (or stock-updating Sales Invoice) of these serial numbers."""
	doc = frappe.get_doc(
		{
			"doctype": doctype,
			"customer": customer,
			"company": company(),
			"currency": frappe.get_cached_value("Company", company(), "default_currency"),
			"set_posting_time": 1,
			"posting_date": posting_date,
			"due_date": posting_date,
			"update_stock": 1 if doctype == "Sales Invoice" else 0,
			"items": [
				{
					"item_code": item_code,
					"qty": len(serials),
					"rate": 500,
					"warehouse": warehouse(),
					"use_serial_batch_fields": 1,
					"serial_no": "\n".join(serials),
				}
			],
		}
	)
	doc.insert()
	# ERPNext writes the serial's bundle back onto the document after the insert (a new serial's first
	# delivery): submit what the database holds, as the desk does after a save.
	doc.reload()
	doc.submit()
	return doc


def make_contract(customer: str, start: str, end: str, *, serials=(), items=(), submit=True, **values):
	doc = frappe.get_doc(
		{
			"doctype": "Service Contract",
			"customer": customer,
			"company": company(),
			"contract_type": values.pop("contract_type", "AMC"),
			"start_date": start,
			"end_date": end,
			"serials": [{"serial_no": s} for s in serials],
			"items": [{"item_code": i} for i in items],
			**values,
		}
	)
	doc.insert()
	if submit:
		doc.submit()
	return doc


class WarrantyTestCase(SupportTestCase):
	"""Two customers with delivered equipment; everything is rolled back after the class."""

	ITEM = "SP-WTY-PRINTER"
	CUSTOMER = "SP Warranty Customer"
	OTHER = "SP Warranty Other Customer"
	WARRANTY_DAYS = 365

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_customer(cls.CUSTOMER)
		make_customer(cls.OTHER)
		make_serial_item(cls.ITEM, cls.WARRANTY_DAYS)


def day(value: str):
	return getdate(value)
