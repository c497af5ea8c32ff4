"""The demo's service billing: spare parts with prices, a labour item, and two repair tickets with parts
used on real stock (support_plus.parts.usage) — one under warranty (nothing to bill) and one out of
warranty with its draft service invoice (support_plus.parts.billing).

Idempotent like the rest of the demo: items, prices and the tickets are found by their natural keys (item
code, price list and item, ticket subject) before they are made; the stock is topped up only when low.
"""

import frappe
from frappe.utils import add_days, add_months, flt, get_first_day, today

from support_plus.parts import pricing
from support_plus.parts.billing import make_service_invoice
from support_plus.parts.usage import use_part
from support_plus.setup.masters import tree_leaf

LABOUR_ITEM = ("SVC-LABOUR", "Service Labour (per hour)", 75.0)
# (item code, item name, list price, cost)
PARTS = (
	("PART-FILTER", "Water Filter Kit", 40.0, 22.0),
	("PART-PUMP", "Espresso Pump Assembly", 180.0, 95.0),
	("LOAN-GRINDER", "Loaner Coffee Grinder", 0.0, 140.0),
)
# A customer keeps a loaner while their machine is repaired (out, back in 10 days).
LOANER = ("Grinder jammed: loaner until the repair is done", "Bluebell Bakeries", "LOAN-GRINDER", 10)
MARKUP = 15.0
EQUIPMENT = "ESP-X2"  # the demo's espresso machines (24 months of warranty, demo/data.py)
# (subject, customer, months since the machine was sold (its serial number), parts used)
TICKETS = (
	(
		"Espresso machine leaking at the group head (warranty repair)",
		"Northwind Dental Group",
		5,
		(("PART-FILTER", 1),),
	),
	(
		"Espresso machine pump failed (chargeable repair)",
		"Bluebell Bakeries",
		33,
		(("PART-PUMP", 1), ("PART-FILTER", 1)),
	),
)


def make_billing_demo(company: str) -> dict:
	settings = frappe.get_single("Support Plus Settings")
	if not settings.labour_item:
		_item(*LABOUR_ITEM[:2], stock=False)
		_price(LABOUR_ITEM[0], LABOUR_ITEM[2])
		frappe.db.set_single_value(
			"Support Plus Settings", {"labour_item": LABOUR_ITEM[0], "parts_markup_percent": MARKUP}
		)
	stores = frappe.db.get_value("Warehouse", {"company": company, "is_group": 0, "warehouse_name": "Stores"})
	for code, name, price, cost in PARTS:
		_item(code, name, stock=True)
		_price(code, price)
		_stock(company, stores, code, cost)
	made = {"billing_tickets": 0, "service_invoices": 0}
	for subject, customer, months, parts in TICKETS:
		if frappe.db.exists("Issue", {"subject": subject}):
			continue
		issue = frappe.get_doc(
			{
				"doctype": "Issue",
				"subject": subject,
				"customer": customer,
				"company": company,
				"serial_no": _serial_sold(months),
				"status": "Open",
			}
		).insert(ignore_permissions=True)
		for code, qty in parts:
			use_part(issue.name, code, qty, warehouse=stores)
		made["billing_tickets"] += 1
		if make_service_invoice(issue.name):
			made["service_invoices"] += 1
	made["loaners_out"] = _loaner(company, stores)
	return made


def _loaner(company: str, stores: str) -> int:
	"""1 when the loaner went out now, 0 when the demo made it before."""
	subject, customer, item_code, days = LOANER
	if frappe.db.exists("Issue", {"subject": subject}):
		return 0
	issue = frappe.get_doc(
		{"doctype": "Issue", "subject": subject, "customer": customer, "company": company, "status": "Open"}
	).insert(ignore_permissions=True)
	use_part(
		issue.name,
		item_code,
		1,
		warehouse=stores,
		usage_type="Loaner",
		expected_return_date=add_days(today(), days),
	)
	return 1


def _item(code: str, name: str, stock: bool) -> None:
	if frappe.db.exists("Item", code):
		return
	frappe.get_doc(
		{
			"doctype": "Item",
			"item_code": code,
			"item_name": name,
			"item_group": tree_leaf("Item Group"),
			"stock_uom": "Nos" if stock else "Hour",
			"is_stock_item": int(stock),
		}
	).insert(ignore_permissions=True)


def _price(code: str, rate: float) -> None:
	price_list = pricing.price_list_for(None)
	if price_list and not frappe.db.exists("Item Price", {"item_code": code, "price_list": price_list}):
		frappe.get_doc(
			{
				"doctype": "Item Price",
				"item_code": code,
				"price_list": price_list,
				"price_list_rate": rate,
				"valid_from": "2020-01-01",
			}
		).insert(ignore_permissions=True)


def _stock(company: str, warehouse: str, code: str, cost: float) -> None:
	from erpnext.stock.doctype.stock_entry.stock_entry_utils import make_stock_entry

	have = flt(frappe.db.get_value("Bin", {"item_code": code, "warehouse": warehouse}, "actual_qty"))
	if have < 5:
		make_stock_entry(item_code=code, qty=10, to_warehouse=warehouse, company=company, rate=cost)


def _serial_sold(months_ago: int) -> str | None:
	"""The demo's espresso machine sold about `months_ago` months ago (demo/loader.py: unit n sold 4n + 1
	months ago, under warranty for 24 months)."""
	sold_on = get_first_day(add_months(today(), -months_ago))
	return frappe.db.get_value(
		"Serial No", {"item_code": EQUIPMENT, "warranty_expiry_date": add_months(sold_on, 24)}, "name"
	)
