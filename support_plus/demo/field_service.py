"""The demo's field service: technicians with skills and a van each, a team, an on-call roster for the
nights and weekend ahead, and a week of appointments on open tickets (support_plus.dispatch).

Idempotent like the rest of the demo: every record is found by its natural key (a technician by user, a
van by name, a shift by technician and start, an appointment by technician and start) before it is made.
Run again on a later day, it adds the days that are new.
"""

from datetime import datetime, time, timedelta

import frappe
from frappe.utils import getdate, today

from support_plus.dispatch.appointments import BOOKED, within_working_hours
from support_plus.tickets.lifecycle import ACTIVE

SKILLS = ("Heating", "Networking", "Point of Sale", "Medical Equipment", "Printers")
# (first name, last name, email, {skill: level}, languages)
TECHNICIANS = (
	("Rosa", "Meyer", "rosa.meyer@support-plus.example", {"Heating": "Expert", "Printers": "Beginner"}, ("de",)),
	("Kofi", "Mensah", "kofi.mensah@support-plus.example", {"Networking": "Expert", "Point of Sale": "Intermediate"}, ()),
	("Elena", "Petrova", "elena.petrova@support-plus.example", {"Medical Equipment": "Expert", "Networking": "Beginner"}, ()),
	("Jack", "Taylor", "jack.taylor@support-plus.example", {"Point of Sale": "Expert", "Printers": "Intermediate"}, ("es",)),
)  # fmt: skip
TEAM = "Field Service"
WORKDAY = (time(8, 0), time(17, 0))
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
# Each technician's visits on a working day: (start, minutes); the day's first ones differ per technician.
SLOTS = ((time(9, 0), 90), (time(11, 0), 60), (time(14, 0), 120))
DAYS = 7


def make_field_service(company: str, holiday_list: str, desk_user) -> dict:
	"""`desk_user(first, last, email, role=...)` is the loader's idempotent user maker."""
	for skill in SKILLS:
		if not frappe.db.exists("Service Skill", skill):
			frappe.get_doc({"doctype": "Service Skill", "skill_name": skill}).insert(ignore_permissions=True)
	technicians = [_technician(company, holiday_list, desk_user, *t) for t in TECHNICIANS]
	if not frappe.db.exists("Support Team", TEAM):
		frappe.get_doc(
			{
				"doctype": "Support Team",
				"team_name": TEAM,
				"members": [{"technician": t} for t in technicians],
			}
		).insert(ignore_permissions=True)
	start = getdate(today())
	shifts = _on_call(technicians, start)
	visits = _appointments(technicians, start)
	return {"technicians": len(technicians), "on_call_shifts": shifts, "appointments": visits}


def _technician(company, holiday_list, desk_user, first, last, email, skills, languages) -> str:
	user = desk_user(first, last, email, role="Service Technician")
	if frappe.db.exists("Service Technician", user):
		return user
	return (
		frappe.get_doc(
			{
				"doctype": "Service Technician",
				"user": user,
				"full_name": f"{first} {last}",
				"status": "Active",
				"capacity": 8,
				"van_warehouse": _van(company, first),
				"holiday_list": holiday_list,
				"working_hours": [
					{"weekday": day, "start_time": WORKDAY[0], "end_time": WORKDAY[1]} for day in WEEKDAYS
				],
				"skills": [{"skill": skill, "level": level} for skill, level in skills.items()],
				"languages": [{"language": code} for code in languages if frappe.db.exists("Language", code)],
			}
		)
		.insert(ignore_permissions=True)
		.name
	)


def _van(company: str, first_name: str) -> str:
	"""The technician's van, a Warehouse of the company (the parts they carry)."""
	abbr = frappe.get_cached_value("Company", company, "abbr")
	name = f"Van {first_name} - {abbr}"
	if not frappe.db.exists("Warehouse", name):
		parent = frappe.db.get_value(
			"Warehouse", {"company": company, "is_group": 1}, "name", order_by="lft asc"
		)
		frappe.get_doc(
			{
				"doctype": "Warehouse",
				"warehouse_name": f"Van {first_name}",
				"company": company,
				"parent_warehouse": parent,
			}
		).insert(ignore_permissions=True)
	return name


def _on_call(technicians: list[str], start) -> int:
	"""One technician on call each night (17:00 to 08:00) and through the weekend, in turn."""
	made = 0
	for offset in range(DAYS):
		day = start + timedelta(days=offset)
		if day.weekday() == 5:  # Saturday 08:00 to Monday 08:00, one shift
			begin = datetime.combine(day, WORKDAY[0])
			end = datetime.combine(day + timedelta(days=2), WORKDAY[0])
		elif day.weekday() == 6:
			continue
		else:
			begin = datetime.combine(day, WORKDAY[1])
			end = datetime.combine(day + timedelta(days=1), WORKDAY[0])
		technician = technicians[day.toordinal() % len(technicians)]
		if frappe.db.exists("On-call Shift", {"technician": technician, "from_time": begin}):
			continue
		frappe.get_doc(
			{
				"doctype": "On-call Shift",
				"technician": technician,
				"support_team": TEAM,
				"from_time": begin,
				"to_time": end,
			}
		).insert(ignore_permissions=True)
		made += 1
	return made


def _appointments(technicians: list[str], start) -> int:
	"""Visits on the working days of the week ahead, each on an open ticket of a customer."""
	tickets = frappe.get_all(
		"Issue",
		filters={"status": ("in", list(ACTIVE)), "customer": ("is", "set")},
		fields=["name", "customer"],
		order_by="creation desc",
		limit=len(technicians) * len(SLOTS) * DAYS,
	)
	if not tickets:
		return 0
	made, n = 0, 0
	for offset in range(DAYS):
		day = start + timedelta(days=offset)
		if day.weekday() >= 5:
			continue
		for i, technician in enumerate(technicians):
			for j, (at, minutes) in enumerate(SLOTS):
				if (i + j + offset) % 4 == 3:  # a gap now and then: free slots to find
					continue
				ticket = tickets[n % len(tickets)]
				n += 1
				begin = datetime.combine(day, at)
				end = begin + timedelta(minutes=minutes)
				# made by an earlier run, or the time is taken (a maintenance visit booked there)
				if frappe.db.exists(
					"Service Appointment", {"technician": technician, "scheduled_start": begin}
				) or frappe.db.exists(
					"Service Appointment",
					{
						"technician": technician,
						"status": ("in", BOOKED),
						"scheduled_start": ("<", end),
						"scheduled_end": (">", begin),
					},
				):
					continue
				if not within_working_hours(technician, begin, end):  # a holiday
					continue
				frappe.get_doc(
					{
						"doctype": "Service Appointment",
						"technician": technician,
						"issue": ticket.name,
						"address": _site_address(ticket.customer),
						"scheduled_start": begin,
						"scheduled_end": end,
					}
				).insert(ignore_permissions=True)
				made += 1
	return made


# A street per customer, for the map links of /field.
STREETS = ("12 Harbor Road", "48 Elm Street", "7 Market Square", "230 Summit Avenue", "3 Clinic Lane")


def _site_address(customer: str) -> str:
	title = f"{customer} (site)"
	name = frappe.db.get_value("Address", {"address_title": title})
	if name:
		return name
	return (
		frappe.get_doc(
			{
				"doctype": "Address",
				"address_title": title,
				"address_type": "Shop",
				"address_line1": STREETS[sum(map(ord, customer)) % len(STREETS)],
				"city": "Springfield",
				"country": "United States" if frappe.db.exists("Country", "United States") else None,
				"links": [{"link_doctype": "Customer", "link_name": customer}],
			}
		)
		.insert(ignore_permissions=True)
		.name
	)
