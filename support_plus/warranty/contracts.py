"""Service Contracts: an AMC (labour) or CMC (labour and parts) for a customer's equipment.

ERPNext has no contract that covers serial numbers with dates, an SLA, visits and a fee (its Contract is
a signed text; Serial No keeps one `amc_expiry_date`), so support_plus adds the Service Contract doctype
and hands each part to ERPNext's own records: the visits to a Maintenance Schedule, the fee to a
Subscription, the dates to the serials' `amc_expiry_date` / `maintenance_status`.

- Covered: the serials in its rows, and every serial of its items that the customer owns on the day.
- Refused: an end before the start, a serial of another customer, and a serial that another submitted
  contract covers on overlapping days.
- Submit: visits per year make a Maintenance Schedule (one row per covered serial, over the contract's
  dates); a Subscription Plan makes a Subscription for the contract's dates; the serials follow.
- Cancel: its schedule is cancelled (its future visits and their events go; visits done stay), its
  Subscription is cancelled, and the serials follow the contracts left.
"""

import frappe
from frappe import _
from frappe.utils import date_diff, getdate

from support_plus.utils import clock

AMC, CMC = "AMC", "CMC"
# Visits per year that are one of ERPNext's periodicities.
PERIODICITY = {1: "Yearly", 2: "Half Yearly", 4: "Quarterly", 12: "Monthly", 52: "Weekly"}


def validate(doc) -> None:
	if doc.start_date and doc.end_date and getdate(doc.end_date) < getdate(doc.start_date):
		frappe.throw(_("A service contract cannot end before it starts."), title=_("Invalid Dates"))
	if doc.contract_type == CMC:
		doc.covers_parts = doc.covers_labour = 1
	if not doc.serials and not doc.items:
		frappe.throw(_("Add the serial numbers or the items the contract covers."))
	seen = set()
	for row in doc.serials:
		if row.serial_no in seen:
			frappe.throw(
				_("Row {0}: Serial No {1} is listed twice.").format(row.idx, frappe.bold(row.serial_no))
			)
		seen.add(row.serial_no)
		owner = frappe.db.get_value("Serial No", row.serial_no, "customer")
		if owner != doc.customer:
			frappe.throw(
				_("Row {0}: Serial No {1} is not registered to customer {2}.").format(
					row.idx, frappe.bold(row.serial_no), frappe.bold(doc.customer)
				)
			)
	if doc.service_level_agreement:
		enabled, document_type = frappe.db.get_value(
			"Service Level Agreement", doc.service_level_agreement, ["enabled", "document_type"]
		)
		if not enabled or document_type != "Issue":
			frappe.throw(
				_("Service Level Agreement {0} is not an enabled agreement for tickets.").format(
					frappe.bold(doc.service_level_agreement)
				)
			)
	check_overlap(doc)


def covered_serials(doc) -> set[str]:
	"""The serial numbers the contract covers now: its rows, and the customer's serials of its items."""
	names = {row.serial_no for row in doc.serials}
	items = [row.item_code for row in doc.items]
	if items:
		names |= set(
			frappe.get_all(
				"Serial No", filters={"customer": doc.customer, "item_code": ("in", items)}, pluck="name"
			)
		)
	return names


def check_overlap(doc) -> None:
	"""No serial may be covered by two submitted contracts on the same day."""
	others = frappe.get_all(
		"Service Contract",
		filters={
			"docstatus": 1,
			"name": ("!=", doc.name or ""),
			"customer": doc.customer,
			"start_date": ("<=", doc.end_date),
			"end_date": (">=", doc.start_date),
		},
		pluck="name",
	)
	if not others:
		return
	mine = covered_serials(doc)
	my_items = {row.item_code for row in doc.items}
	for name in others:
		other = frappe.get_doc("Service Contract", name)
		both = mine & covered_serials(other)
		shared_items = my_items & {row.item_code for row in other.items}
		if both or shared_items:
			what = (
				_("Serial No {0}").format(frappe.bold(sorted(both)[0]))
				if both
				else _("Item {0}").format(frappe.bold(sorted(shared_items)[0]))
			)
			frappe.throw(
				_("{0} is already covered by service contract {1} on overlapping dates.").format(
					what, frappe.bold(name)
				),
				title=_("Overlapping Contracts"),
			)


def on_submit(doc) -> None:
	check_overlap(doc)
	if doc.visits_per_year:
		doc.db_set("maintenance_schedule", make_schedule(doc))
	if doc.subscription_plan:
		doc.db_set("subscription", make_subscription(doc))
	sync_serials(covered_serials(doc))


def on_cancel(doc) -> None:
	if doc.maintenance_schedule:
		cancel_schedule(doc.maintenance_schedule)
	if doc.subscription:
		subscription = frappe.get_doc("Subscription", doc.subscription)
		if subscription.status != "Cancelled":
			subscription.flags.ignore_permissions = True
			subscription.cancel_subscription()
	sync_serials(covered_serials(doc))


def make_schedule(doc) -> str | None:
	"""A Maintenance Schedule with one row per covered serial over the contract's dates (ERPNext spreads
	the visits, makes the events; support_plus.maintenance.schedule derives the count of a periodic row)."""
	serials = sorted(covered_serials(doc))
	if not serials:
		return None
	item_of = dict(
		frappe.get_all(
			"Serial No", filters={"name": ("in", serials)}, fields=["name", "item_code"], as_list=True
		)
	)
	periodicity = PERIODICITY.get(doc.visits_per_year)
	days = date_diff(doc.end_date, doc.start_date) + 1
	rows = []
	for serial in serials:
		row = {
			"item_code": item_of[serial],
			"serial_no": serial,
			"start_date": doc.start_date,
			"end_date": doc.end_date,
			"periodicity": periodicity,
		}
		if not periodicity:  # an uneven rate: ERPNext spreads this many visits over the dates
			row["no_of_visits"] = max(1, round(doc.visits_per_year * days / 365))
		rows.append(row)
	schedule = frappe.get_doc(
		{
			"doctype": "Maintenance Schedule",
			"customer": doc.customer,
			"company": doc.company,
			"transaction_date": clock.today(),
			"service_contract": doc.name,
			"items": rows,
		}
	)
	schedule.flags.ignore_permissions = True
	schedule.insert()
	schedule.submit()
	return schedule.name


def cancel_schedule(name: str) -> None:
	"""Cancel a contract's schedule: its pending visits and their events go; visits done are kept."""
	schedule = frappe.get_doc("Maintenance Schedule", name)
	if schedule.docstatus != 1:
		return
	schedule.flags.ignore_permissions = True
	schedule.flags.ignore_links = True  # submitted visits of the schedule stay as they are
	schedule.cancel()


def make_subscription(doc) -> str:
	subscription = frappe.get_doc(
		{
			"doctype": "Subscription",
			"party_type": "Customer",
			"party": doc.customer,
			"company": doc.company,
			"start_date": doc.start_date,
			"end_date": doc.end_date,
			"generate_invoice_at": "Beginning of the current subscription period",
			"plans": [{"plan": doc.subscription_plan, "qty": 1}],
		}
	)
	subscription.flags.ignore_permissions = True
	subscription.insert()
	return subscription.name


def sync_serials(names) -> None:
	"""Each serial's `amc_expiry_date` is the end of the last submitted contract covering it, and its
	`maintenance_status` ERPNext's reading of its dates."""
	from erpnext.stock.doctype.serial_no.serial_no import SerialNo

	from support_plus.warranty.coverage import SERIAL_FIELDS, _contracts

	for name in sorted(set(names or ())):
		serial = frappe.db.get_value("Serial No", name, [*SERIAL_FIELDS, "amc_expiry_date"], as_dict=True)
		if not serial:
			continue
		last = _contracts(serial, None)
		amc = getdate(last[0].end_date) if last else None
		probe = frappe._dict(warranty_expiry_date=serial.warranty_expiry_date, amc_expiry_date=amc)
		probe.maintenance_status = None
		SerialNo.set_maintenance_status(probe)
		frappe.db.set_value(
			"Serial No", name, {"amc_expiry_date": amc, "maintenance_status": probe.maintenance_status}
		)
