"""Technicians, teams and skills for the dispatch tests (support_plus.dispatch)."""

import json

import frappe

from support_plus.tests.utils import make_user

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
# Tuesday 1 December 2026, site time.
TUESDAY_10 = "2026-12-01 10:00:00"
TUESDAY_22 = "2026-12-01 22:00:00"


def make_skill(name: str) -> str:
	if not frappe.db.exists("Service Skill", name):
		frappe.get_doc({"doctype": "Service Skill", "skill_name": name}).insert(ignore_permissions=True)
	return name


def make_language(code: str, name: str) -> str:
	if not frappe.db.exists("Language", code):
		frappe.get_doc({"doctype": "Language", "language_code": code, "language_name": name}).insert(
			ignore_permissions=True
		)
	return code


# The technician users the tests share: a new User is slow to make, so these are made once and kept.
POOL = ("ana", "ben", "cal", "dan", "eve", "fay", "ned", "gus")


def tech_user(key: str) -> str:
	assert key in POOL, key
	return make_user(f"sp-tech-{key}@example.com", ["Service Technician"], first_name=f"Tech {key.title()}")


def ensure_tech_users() -> None:
	"""Call before FrappeTestCase.setUpClass, which commits them."""
	for key in POOL:
		tech_user(key)


def make_technician(
	key: str,
	skills: dict | None = None,
	*,
	languages=(),
	capacity: int = 10,
	status: str = "Active",
	hours: tuple | None = ("09:00", "18:00"),
	**values,
):
	"""A fresh profile for sp-tech-<key>@example.com (any earlier one is dropped); Monday to Friday `hours`,
	or no working hours (any hour) when `hours` is None."""
	user = tech_user(key)
	for name in frappe.get_all("Service Technician", filters={"user": user}, pluck="name"):
		frappe.delete_doc("Service Technician", name, ignore_permissions=True, force=True)
	return frappe.get_doc(
		{
			"doctype": "Service Technician",
			"user": user,
			"full_name": f"Tech {key.title()}",
			"status": status,
			"capacity": capacity,
			"skills": [{"skill": make_skill(s), "level": level} for s, level in (skills or {}).items()],
			"languages": [{"language": code} for code in languages],
			"working_hours": [
				{"weekday": day, "start_time": hours[0], "end_time": hours[1]} for day in WEEKDAYS
			]
			if hours
			else [],
			**values,
		}
	).insert(ignore_permissions=True)


def make_team(name: str, technicians: list) -> str:
	if frappe.db.exists("Support Team", name):
		frappe.delete_doc("Support Team", name, ignore_permissions=True, force=True)
	frappe.get_doc(
		{
			"doctype": "Support Team",
			"team_name": name,
			"members": [{"technician": t.name if hasattr(t, "name") else t} for t in technicians],
		}
	).insert(ignore_permissions=True)
	return name


def new_ticket(subject: str = "Dispatch test", **values):
	return frappe.get_doc({"doctype": "Issue", "subject": subject, **values}).insert(ignore_permissions=True)


def open_todos(user: str) -> int:
	return frappe.db.count("ToDo", {"allocated_to": user, "reference_type": "Issue", "status": "Open"})


def counter(user: str) -> int:
	return frappe.db.get_value("Service Technician", {"user": user}, "open_tickets")


def drop_assignments(users: list[str]) -> None:
	"""Forget the users' ticket assignments made by earlier tests of the class (rolled back with it): their
	ToDos, the tickets' `_assign` naming them (My Work's cards filter on it) and the tickets shared with them
	(a technician reads those)."""
	frappe.db.delete("ToDo", {"reference_type": "Issue", "allocated_to": ("in", users)})
	frappe.db.delete("DocShare", {"share_doctype": "Issue", "user": ("in", users)})
	for user in users:
		frappe.db.sql(
			"update `tabIssue` set `_assign` = null where `_assign` like %s", f"%{json.dumps(user)}%"
		)
