"""Who does each scheduled maintenance visit: a technician on every Maintenance Schedule row.

ERPNext names the person of a schedule row by Sales Person (`sales_person` of Maintenance Schedule
Detail, copied from the item row) and leaves it empty when nobody picks one. A row left empty here gets
a Service Technician's Sales Person:
1. the routing engine's first choice (support_plus.dispatch.routing.rank) for the schedule's customer at
   10:00 on the visit's date (the hour ERPNext books its Events at): an Active technician below capacity
   who works that day, the customer's preferred technician first when they are one of them;
2. when nobody is eligible, the customer's preferred technician (Customer.preferred_technician);
3. else the row stays empty, as ERPNext leaves it.
A row whose Sales Person was chosen by hand keeps it. The rows of one date share one technician: they are
the same customer's visit that day.
"""

from datetime import datetime, time

import frappe
from frappe.utils import getdate

from support_plus.dispatch import routing

VISIT_HOUR = time(10, 0)  # ERPNext's Maintenance Schedule makes its Events at 10:00


def assign_technicians(doc, method=None) -> None:
	"""Maintenance Schedule `validate` (after ERPNext's, which generates the rows)."""
	if doc.docstatus == 2:
		return
	chosen: dict = {}  # visit date -> Sales Person
	for row in doc.get("schedules") or []:
		if row.sales_person or not row.scheduled_date:
			continue
		day = getdate(row.scheduled_date)
		if day not in chosen:
			chosen[day] = technician_for(doc.customer, day)
		row.sales_person = chosen[day]


def technician_for(customer: str | None, day) -> str | None:
	"""The Sales Person of the technician who should visit `customer` on `day` (None: nobody)."""
	job = {"customer": customer, "support_team": None, "required_skill": None, "required_skill_level": None}
	ranking = routing.rank(job, now=datetime.combine(getdate(day), VISIT_HOUR))
	technician = ranking.candidates[0].technician if ranking.candidates else preferred_technician(customer)
	if not technician:
		return None
	return frappe.db.get_value("Service Technician", technician, "sales_person")


def preferred_technician(customer: str | None) -> str | None:
	if not customer:
		return None
	return frappe.db.get_value("Customer", customer, "preferred_technician")


def technician_of(sales_person: str | None) -> frappe._dict | None:
	"""The Service Technician a Sales Person stands for: {name, user}, or None (no profile)."""
	if not sales_person:
		return None
	return frappe.db.get_value(
		"Service Technician", {"sales_person": sales_person}, ("name", "user"), as_dict=True
	)
