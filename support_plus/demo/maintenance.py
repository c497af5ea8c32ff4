"""The demo's equipment, service contracts and preventive maintenance (support_plus.warranty and
support_plus.maintenance): customers own serial numbers (some under warranty, some expired), an AMC and
two CMCs cover some of them, one CMC ends within the coverage alert days, a past visit was done and one
is overdue, and the visits still to come are the field technicians' appointments.

Idempotent like the rest of the demo: a serial is registered once (kept when it has a customer), a
contract is found by its customer and type, a visit is entered only for a row still Pending; dates are
counted from the day of the first run.
"""

from collections.abc import Callable, Iterable

import frappe
from frappe.utils import add_days, add_months, get_first_day, today

from erpnext.maintenance.doctype.maintenance_schedule.maintenance_schedule import make_maintenance_visit

from support_plus.maintenance import overdue

# Who owns which unit of the demo's products (demo/data.PRODUCTS: eight serials each, the n-th sold 4n+1
# months ago); each delivery is the unit's sale. The warranty follows from the item's period.
EQUIPMENT = (
	("ESPX2-00001", "Northwind Dental Group"),  # 24-month warranty, sold 5 months ago: under warranty
	("POST1-00001", "Northwind Dental Group"),  # 12-month warranty, sold 5 months ago: under warranty
	("AC9K-00002", "Harbor Logistics"),  # 36-month warranty, sold 9 months ago: under warranty
	("POST1-00004", "Bluebell Bakeries"),  # sold 17 months ago: warranty expired, no contract
	("ESPX2-00008", "Bluebell Bakeries"),  # sold 33 months ago: warranty expired, no contract
	("PRNL5-00004", "Orion Print Shop"),  # expired warranty, under the AMC below
	("PRNL5-00005", "Orion Print Shop"),
	("ESPX2-00006", "Cedar Hotels"),  # expired warranty, under the CMC below that ends soon
	("ESPX2-00007", "Cedar Hotels"),
	("POST1-00005", "Summit Fitness Clubs"),  # expired warranty, under a two-year CMC
)
# (customer, AMC or CMC, serials, started days ago, lasts days, visits a year)
CONTRACTS = (
	# Quarterly printer servicing, started 100 days ago: its first visit (9 days ago) was never done.
	("Orion Print Shop", "AMC", ("PRNL5-00004", "PRNL5-00005"), 100, 365, 4),
	# Espresso machines, parts and labour, ending in 20 days (inside the 30 coverage alert days).
	("Cedar Hotels", "CMC", ("ESPX2-00006", "ESPX2-00007"), 345, 365, 2),
	("Summit Fitness Clubs", "CMC", ("POST1-00005",), 30, 730, 2),
)
DONE_VISIT = (
	"Cedar Hotels",
	"Descaled the boiler and replaced the group gasket.",
	"Coffee tastes right again.",
)


def sold_on(n: int):
	"""The day the n-th unit of each demo product was sold (and delivered): 4n+1 months ago, on the 1st."""
	return get_first_day(add_months(today(), -4 * n - 1))


def make_maintenance(company: str, progress: Callable[[Iterable, str], Iterable] | None = None) -> dict:
	progress = progress or (lambda items, label: items)
	registered = sum(_register(serial, customer) for serial, customer in progress(EQUIPMENT, "Equipment"))
	contracts = 0
	for row in progress(CONTRACTS, "Service contracts and visits"):
		contracts += _contract(company, *row)
	visits = _done_visit(*DONE_VISIT)
	overdue.refresh()
	return {
		"serials_registered": registered,
		"contracts": contracts,
		"maintenance_visits": visits,
		"overdue_maintenance": frappe.db.count(
			"Maintenance Schedule Detail", {"parenttype": "Maintenance Schedule", "is_overdue": 1}
		),
	}


def _register(serial: str, customer: str) -> int:
	"""The serial's owner and delivery, as a Support Manager registers equipment sold before the app."""
	if not frappe.db.exists("Serial No", serial) or frappe.db.get_value("Serial No", serial, "customer"):
		return 0
	doc = frappe.get_doc("Serial No", serial)
	doc.customer = customer
	doc.delivered_on = sold_on(int(serial[-5:]))
	doc.save(ignore_permissions=True)
	return 1


def _contract(company, customer, contract_type, serials, started_days_ago, days, visits) -> int:
	if frappe.db.exists(
		"Service Contract", {"customer": customer, "contract_type": contract_type, "docstatus": 1}
	):
		return 0
	if not all(frappe.db.get_value("Serial No", s, "customer") == customer for s in serials):
		return 0  # the equipment is not there (a partial demo site)
	start = add_days(today(), -started_days_ago)
	contract = frappe.get_doc(
		{
			"doctype": "Service Contract",
			"customer": customer,
			"company": company,
			"contract_type": contract_type,
			"start_date": start,
			"end_date": add_days(start, days - 1),
			"visits_per_year": visits,
			"serials": [{"serial_no": s} for s in serials],
		}
	)
	contract.insert(ignore_permissions=True)
	contract.submit()
	return 1


def _done_visit(customer: str, work_done: str, feedback: str) -> int:
	"""The customer's first visit date that has passed, done on its day by its technician (one Maintenance
	Visit for the units seen that day), signed off with feedback. Once: not when the schedule has a visit."""
	schedule = frappe.db.get_value(
		"Maintenance Schedule", {"customer": customer, "docstatus": 1}, "name", order_by="creation asc"
	)
	if not schedule or frappe.db.exists(
		"Maintenance Visit", {"maintenance_schedule": schedule, "docstatus": 1}
	):
		return 0
	first = frappe.db.get_value(
		"Maintenance Schedule Detail",
		{"parent": schedule, "scheduled_date": ("<", today()), "completion_status": "Pending"},
		"scheduled_date",
		order_by="scheduled_date asc",
	)
	if not first:
		return 0
	rows = frappe.get_all(
		"Maintenance Schedule Detail",
		filters={"parent": schedule, "scheduled_date": first, "completion_status": "Pending"},
		fields=["name", "sales_person"],
	)
	people = {row.name: row.sales_person for row in rows}
	visit = make_maintenance_visit(schedule)  # ERPNext's mapping of the schedule's rows
	visit.set("purposes", [p for p in visit.purposes if p.maintenance_schedule_detail in people])
	visit.update(
		{
			"mntc_date": first,
			"mntc_time": "10:30:00",
			"completion_status": "Fully Completed",
			"customer_feedback": feedback,
		}
	)
	for purpose in visit.purposes:
		purpose.work_done = work_done
		purpose.service_person = purpose.service_person or people[purpose.maintenance_schedule_detail]
	visit.flags.ignore_permissions = True
	visit.insert()
	visit.submit()
	return 1
