"""Equipment, parts, prices, tickets and parts used for the service billing and parts report tests.

Prices (hand-checked numbers in the tests): the filter lists at 40.00, the gasket has no price (cost 5.00),
labour lists at 60.00 an hour; the markup is 10%."""

import frappe

from support_plus.tests.dispatch_fixtures import make_technician, tech_user
from support_plus.tests.utils import make_customer, make_item
from support_plus.tests.warranty_fixtures import company, deliver, make_serial_item, receive, warehouse
from support_plus.utils import clock

CUSTOMER = "SP Billing Customer"
OTHER = "SP Billing Other Customer"
EQUIPMENT = "SP-BILL-BOILER"  # a year of warranty from delivery
SHORT = "SP-BILL-PUMP"  # thirty days of warranty
FILTER = "SP-BILL-FILTER"
GASKET = "SP-BILL-GASKET"
LABOUR = "SP-BILL-LABOUR"
FILTER_PRICE, GASKET_COST, LABOUR_PRICE, MARKUP = 40.0, 5.0, 60.0, 10.0
TODAY = "2026-06-01"  # the tests' day: serials delivered on 2026-01-10 are under (a year) / out of (30 days) warranty


def price_list() -> str:
	from support_plus.parts.pricing import price_list_for

	return price_list_for(CUSTOMER)


def set_price(item_code: str, rate: float) -> None:
	existing = frappe.db.get_value("Item Price", {"item_code": item_code, "price_list": price_list()})
	if existing:
		frappe.db.set_value("Item Price", existing, {"price_list_rate": rate, "valid_from": "2020-01-01"})
		return
	frappe.get_doc(
		{
			"doctype": "Item Price",
			"item_code": item_code,
			"price_list": price_list(),
			"price_list_rate": rate,
			"valid_from": "2020-01-01",  # Frappe's default is the real today, after the tests' pinned day
		}
	).insert(ignore_permissions=True)


def setup_billing_masters() -> None:
	"""Customers, delivered equipment (real stock), parts in stock, prices and the settings."""
	make_customer(CUSTOMER)
	make_customer(OTHER)
	make_serial_item(EQUIPMENT, 365)
	make_serial_item(SHORT, 30)
	make_item(FILTER)
	make_item(GASKET)
	make_item(LABOUR, is_stock_item=False)
	frappe.db.set_value("Item", LABOUR, "stock_uom", "Hour")  # hours are fractions (Nos is whole)
	set_price(FILTER, FILTER_PRICE)
	set_price(LABOUR, LABOUR_PRICE)
	frappe.db.delete("Item Price", {"item_code": GASKET})
	frappe.db.set_single_value(
		"Support Plus Settings", {"parts_markup_percent": MARKUP, "labour_item": LABOUR}
	)


def delivered_serial(item_code: str, serial: str, customer: str = CUSTOMER) -> str:
	if not frappe.db.exists("Serial No", serial):
		receive(item_code, [serial])
		deliver(customer, item_code, [serial], "2026-01-10")
	return serial


def receive_parts(item_code: str, qty: float, rate: float) -> None:
	from erpnext.stock.doctype.stock_entry.stock_entry_utils import make_stock_entry

	make_stock_entry(
		item_code=item_code,
		qty=qty,
		to_warehouse=warehouse(),
		company=company(),
		rate=rate,
		posting_date="2026-01-02",
	)


def ticket(subject: str, customer: str = CUSTOMER, **values):
	with clock.pinned(f"{TODAY} 09:00:00"):
		return frappe.get_doc(
			{
				"doctype": "Issue",
				"subject": subject,
				"customer": customer,
				"company": company(),
				"opening_date": TODAY,
				**values,
			}
		).insert(ignore_permissions=True)


def use(issue, item_code: str, qty: float, usage_type: str = "Installed", **values):
	"""A part used on the ticket through support_plus.api.use_part (real stock from the stores), as the
	session user, on the tests' day; the usage's coverage is the warranty check's."""
	from support_plus.parts.usage import use_part  # the API wrapper takes no posting date

	name = use_part(
		issue.name if hasattr(issue, "name") else issue,
		item_code,
		qty,
		warehouse=warehouse(),
		usage_type=usage_type,
		**{"posting_date": TODAY, **values},
	)
	return frappe.get_doc("Service Part Usage", name)


_SLOTS = iter(
	f"2026-06-{day:02d}" for day in (1, 2, 3, 4, 5, 8, 9, 10, 11, 12, 15, 16, 17, 18, 19, 22, 23, 24, 25, 26)
)


def technician() -> str:
	"""Tech Ana's profile (made when missing)."""
	user = tech_user("ana")
	return (
		frappe.db.get_value("Service Technician", {"user": user}) or make_technician("ana", hours=None).name
	)


def log_time(issue, minutes: int):
	"""A completed appointment on the ticket with `minutes` spent (its Maintenance Visit submitted), on
	the next free working day of June 2026."""
	tech = technician()
	day = next(_SLOTS)
	appointment = frappe.get_doc(
		{
			"doctype": "Service Appointment",
			"issue": issue.name,
			"technician": tech,
			"scheduled_start": f"{day} 10:00:00",
			"scheduled_end": f"{day} 12:00:00",
		}
	).insert(ignore_permissions=True)
	appointment.status = "Completed"
	appointment.work_done = "Serviced the boiler"
	appointment.time_spent_minutes = minutes
	appointment.save(ignore_permissions=True)
	return appointment
