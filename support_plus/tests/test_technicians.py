"""Service Technician profiles, teams and on-call shifts: their rules, their Sales Person, who reads them."""

import frappe
from frappe.utils import get_system_timezone

from support_plus.dispatch import technicians
from support_plus.sla.business_time import from_timestamp, to_timestamp
from support_plus.tests.dispatch_fixtures import (
	TUESDAY_10,
	ensure_tech_users,
	make_skill,
	make_team,
	make_technician,
	new_ticket,
	tech_user,
)
from support_plus.tests.utils import AGENT, MANAGER, SupportTestCase


def error_of(fn, *args, **kwargs) -> str:
	try:
		fn(*args, **kwargs)
	except frappe.ValidationError as e:
		return str(e)
	raise AssertionError("no error")


class TestServiceTechnician(SupportTestCase):
	@classmethod
	def setUpClass(cls):
		ensure_tech_users()
		super().setUpClass()

	def test_profile_gets_a_sales_person_for_maintenance_visits(self):
		tech = make_technician("ana", {"SP Networking": "Expert"})
		self.assertEqual(tech.sales_person, "Tech Ana")
		self.assertTrue(frappe.db.exists("Sales Person", "Tech Ana"))
		# Given one, it is kept.
		other = make_technician("ben", sales_person=tech.sales_person)
		self.assertEqual(other.sales_person, "Tech Ana")

	def test_bad_input_is_refused_with_a_clear_error(self):
		self.assertIn("below zero", error_of(make_technician, "cal", capacity=-1))
		self.assertIn("does not exist", error_of(make_technician, "cal", {"SP Networking": "Guru"}))
		self.assertIn("not a timezone", error_of(make_technician, "cal", timezone="Mars/Olympus"))
		self.assertIn(
			"must be after",
			error_of(make_technician, "cal", hours=("18:00", "09:00")),
		)
		self.assertIn(
			"expires before",
			error_of(
				make_technician,
				"cal",
				certifications=[
					{"certification": "CCNA", "issued_on": "2026-01-01", "expires_on": "2025-01-01"}
				],
			),
		)
		self.assertFalse(frappe.db.exists("Service Technician", {"user": tech_user("cal")}))

	def test_one_profile_per_user(self):
		tech = make_technician("dan")
		duplicate = frappe.get_doc({"doctype": "Service Technician", "user": tech.user, "capacity": 1})
		self.assertIn("already has a technician profile", error_of(duplicate.insert, ignore_permissions=True))

	def test_the_form_never_overwrites_the_load_counter(self):
		tech = make_technician("eve")
		frappe.db.set_value("Service Technician", tech.name, "open_tickets", 3, update_modified=False)
		tech.reload()
		tech.open_tickets = 0  # a stale form
		tech.capacity = 12
		tech.save()
		self.assertEqual(frappe.db.get_value("Service Technician", tech.name, "open_tickets"), 3)

	def test_working_time_comes_from_the_sla_calendar(self):
		tech = make_technician("fay", holiday_list=self.holiday_list())
		tz = get_system_timezone()
		cal = technicians.calendar(tech.name, technicians.calendar_version(tech))
		ts = to_timestamp(frappe.utils.get_datetime(TUESDAY_10), tz)
		self.assertEqual(str(from_timestamp(technicians.working_until(cal, ts), tz)), "2026-12-01 18:00:00")
		evening = ts + 10 * 3600
		self.assertIsNone(technicians.working_until(cal, evening))
		# Wednesday 2 December is a holiday: next work is Thursday 09:00.
		self.assertEqual(
			str(from_timestamp(technicians.next_working_time(cal, evening), tz)), "2026-12-03 09:00:00"
		)
		anytime = make_technician("ned", hours=None)
		self.assertEqual(
			technicians.working_until(technicians.calendar(anytime.name, "x"), evening), float("inf")
		)

	def holiday_list(self) -> str:
		name = "SP Dispatch Holidays"
		if not frappe.db.exists("Holiday List", name):
			frappe.get_doc(
				{
					"doctype": "Holiday List",
					"holiday_list_name": name,
					"from_date": "2026-01-01",
					"to_date": "2027-12-31",
					"holidays": [{"holiday_date": "2026-12-02", "description": "Test holiday"}],
				}
			).insert(ignore_permissions=True)
		return name


class TestDispatchPermissions(SupportTestCase):
	@classmethod
	def setUpClass(cls):
		ensure_tech_users()
		super().setUpClass()

	def test_agent_reads_and_manager_edits_profiles(self):
		tech = make_technician("gus")
		frappe.set_user(AGENT)
		self.assertTrue(frappe.has_permission("Service Technician", "read", tech.name))
		self.assertFalse(frappe.has_permission("Service Technician", "write", tech.name))
		self.assertRaises(
			frappe.PermissionError,
			frappe.get_doc({"doctype": "Service Skill", "skill_name": "SP Agent Skill"}).insert,
		)
		frappe.set_user(MANAGER)
		doc = frappe.get_doc("Service Technician", tech.name)
		doc.capacity = 4
		doc.save()
		frappe.get_doc({"doctype": "Service Skill", "skill_name": "SP Manager Skill"}).insert()

	def test_technician_reads_only_their_own_profile(self):
		mine = make_technician("ana")
		other = make_technician("ben")
		frappe.set_user(mine.user)
		self.assertEqual(frappe.get_list("Service Technician", pluck="name"), [mine.name])
		self.assertTrue(frappe.has_permission("Service Technician", "read", mine.name))
		self.assertFalse(frappe.has_permission("Service Technician", "read", other.name))
		self.assertFalse(frappe.has_permission("Service Technician", "write", mine.name))


class TestTeamsAndShifts(SupportTestCase):
	@classmethod
	def setUpClass(cls):
		ensure_tech_users()
		super().setUpClass()

	def test_team_members_once_and_shifts_end_after_they_start(self):
		tech = make_technician("cal")
		self.assertIn("listed twice", error_of(make_team, "SP Twice Team", [tech, tech]))
		team = make_team("SP Once Team", [tech])
		shift = frappe.get_doc(
			{
				"doctype": "On-call Shift",
				"technician": tech.name,
				"support_team": team,
				"from_time": "2026-12-01 18:00:00",
				"to_time": "2026-12-01 08:00:00",
			}
		)
		self.assertIn("must end after it starts", error_of(shift.insert, ignore_permissions=True))

	def test_ticket_and_customer_fields(self):
		skill = make_skill("SP Networking")
		tech = make_technician("dan")
		team = make_team("SP Fields Team", [tech])
		ticket = new_ticket(support_team=team, required_skill=skill, required_skill_level="Expert")
		self.assertEqual(
			frappe.db.get_value(
				"Issue", ticket.name, ["support_team", "required_skill", "required_skill_level"]
			),
			(team, skill, "Expert"),
		)
		ticket.required_skill_level = "Guru"
		self.assertRaises(frappe.ValidationError, ticket.save)
		self.assertEqual(
			frappe.get_meta("Customer").get_field("preferred_technician").options, "Service Technician"
		)
