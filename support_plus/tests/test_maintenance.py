"""Preventive maintenance on time (support_plus.maintenance), on the real site with fixed dates, as the real
roles: a Maintenance Manager plans and cancels schedules, a Service Technician works the visit on /field's
API, a Maintenance User submits a visit and reads the Overdue Maintenance report, a Support Manager reads
the report too."""

from datetime import date, datetime

import frappe
from frappe.utils import getdate

from erpnext.maintenance.doctype.maintenance_schedule.maintenance_schedule import make_maintenance_visit

from support_plus.api.field import set_appointment_status
from support_plus.maintenance import overdue, reminders
from support_plus.support_plus.report.overdue_maintenance.overdue_maintenance import execute as report
from support_plus.tests.appointment_fixtures import SIGNATURE, make_address, make_contact
from support_plus.tests.dispatch_fixtures import ensure_tech_users, make_technician
from support_plus.tests.utils import (
	MANAGER,
	SupportTestCase,
	make_customer,
	make_item,
	make_sales_person,
	make_user,
)
from support_plus.tests.warranty_fixtures import company
from support_plus.utils import clock

MAINTENANCE_MANAGER = "sp-maintenance-manager@example.com"
MAINTENANCE_USER = "sp-maintenance-user@example.com"
CUSTOMER = "SP Maintenance Customer"  # prefers Tech Ben
OTHER = "SP Maintenance Other Customer"  # no preferred technician
CONTACT_EMAIL = "facilities@maintenance-customer.example"
ITEM = "SP-MNT-CHILLER"
HAND_PICKED = "SP Hand Picked Engineer"  # a Sales Person with no technician profile
# Monday 4 January 2027: the schedules' two visits fall on Mondays 11 and 18 January.
PLANNED_ON = "2027-01-04 08:00:00"
VISITS = [date(2027, 1, 11), date(2027, 1, 18)]


def make_schedule(customer: str, sales_person: str | None = None, submit: bool = True):
	"""A two-visit schedule of ITEM in January 2027, saved (and submitted) as the session user."""
	doc = frappe.get_doc(
		{
			"doctype": "Maintenance Schedule",
			"customer": customer,
			"company": company(),
			"transaction_date": "2027-01-04",
			"contact_person": make_contact(customer, CONTACT_EMAIL) if customer == CUSTOMER else None,
			"customer_address": make_address(customer),
			"items": [
				{
					"item_code": ITEM,
					"start_date": "2027-01-04",
					"end_date": "2027-01-18",
					"no_of_visits": 2,
					"sales_person": sales_person,
				}
			],
		}
	).insert()
	if submit:
		doc.submit()
	return doc


def appointments_of(schedule: str) -> list:
	return frappe.get_all(
		"Service Appointment",
		filters={"maintenance_schedule": schedule},
		fields=[
			"name",
			"technician",
			"scheduled_start",
			"scheduled_end",
			"maintenance_schedule_detail",
			"status",
		],
		order_by="scheduled_start asc",
	)


def event_days(schedule: str) -> list[date]:
	names = frappe.get_all(
		"Event Participants",
		filters={"reference_doctype": "Maintenance Schedule", "reference_docname": schedule},
		pluck="parent",
	)
	return sorted(
		{d.date() for d in frappe.get_all("Event", filters={"name": ("in", names)}, pluck="starts_on")}
	)


class TestMaintenanceOnTime(SupportTestCase):
	@classmethod
	def setUpClass(cls):
		ensure_tech_users()
		make_user(MAINTENANCE_MANAGER, ["Maintenance Manager"])
		make_user(MAINTENANCE_USER, ["Maintenance User"])
		super().setUpClass()

	def setUp(self):
		self.ana = make_technician("ana")
		self.ben = make_technician("ben")
		# Only these two are in the running (the other tests' profiles are set aside until the rollback).
		frappe.db.set_value(
			"Service Technician", {"name": ("not in", (self.ana.name, self.ben.name))}, "status", "Inactive"
		)
		frappe.db.set_value("Service Technician", self.ben.name, "open_tickets", 3)  # Ana is the less loaded
		# the profiles keep their names: earlier tests' appointments and schedules go
		frappe.db.delete("Service Appointment", {"technician": ("in", (self.ana.name, self.ben.name))})
		for name in frappe.get_all(
			"Maintenance Schedule", {"customer": ("in", (CUSTOMER, OTHER))}, pluck="name"
		):
			frappe.db.delete("Maintenance Schedule Detail", {"parent": name})
			frappe.db.delete("Maintenance Schedule Item", {"parent": name})
			frappe.db.delete("Maintenance Schedule", name)
		make_customer(CUSTOMER)
		make_customer(OTHER)
		frappe.db.set_value("Customer", CUSTOMER, "preferred_technician", self.ben.name)
		make_item(ITEM, is_stock_item=False)
		make_sales_person(HAND_PICKED)
		frappe.db.set_single_value("Support Plus Settings", "maintenance_reminder_days", 2)
		frappe.flags.current_time = PLANNED_ON
		frappe.set_user(MAINTENANCE_MANAGER)

	def test_rows_get_the_preferred_or_the_routed_technician(self):
		preferred = make_schedule(CUSTOMER, submit=False)
		self.assertEqual([getdate(r.scheduled_date) for r in preferred.schedules], VISITS)
		self.assertEqual({r.sales_person for r in preferred.schedules}, {self.ben.sales_person})
		routed = make_schedule(OTHER, submit=False)  # no preference: the engine's choice, the less loaded
		self.assertEqual({r.sales_person for r in routed.schedules}, {self.ana.sales_person})
		chosen = make_schedule(OTHER, sales_person=HAND_PICKED, submit=False)  # a person chosen by hand stays
		self.assertEqual({r.sales_person for r in chosen.schedules}, {HAND_PICKED})

		# Nobody free (both at capacity): the customer's preferred technician, else nobody.
		frappe.db.set_value(
			"Service Technician", {"name": ("in", (self.ana.name, self.ben.name))}, "open_tickets", 10
		)
		self.assertEqual(
			{r.sales_person for r in make_schedule(CUSTOMER, submit=False).schedules}, {self.ben.sales_person}
		)
		self.assertEqual({r.sales_person for r in make_schedule(OTHER, submit=False).schedules}, {None})

	def test_each_visit_becomes_an_appointment_and_cancel_keeps_the_past(self):
		schedule = make_schedule(CUSTOMER)
		visits = appointments_of(schedule.name)
		self.assertEqual([v.scheduled_start.date() for v in visits], VISITS)
		self.assertEqual({v.technician for v in visits}, {self.ben.name})
		self.assertEqual(
			sorted(v.maintenance_schedule_detail for v in visits), sorted(r.name for r in schedule.schedules)
		)
		self.assertEqual(event_days(schedule.name), [])  # the appointments replace ERPNext's Events
		# The visits keep to Ben's working hours (09:00 to 18:00) and do not overlap a second schedule's.
		second = make_schedule(CUSTOMER)
		starts = sorted(v.scheduled_start for v in appointments_of(second.name) + visits)
		self.assertEqual(starts[:2], [datetime(2027, 1, 11, 9, 0), datetime(2027, 1, 11, 10, 0)])

		# A person with no technician profile: ERPNext's Events, as ERPNext makes them.
		by_hand = make_schedule(OTHER, sales_person=HAND_PICKED)
		self.assertEqual(appointments_of(by_hand.name), [])
		self.assertEqual(event_days(by_hand.name), VISITS)

		# Cancelled on 12 January: the visit of the 11th stays, the one of the 18th goes.
		frappe.flags.current_time = "2027-01-12 12:00:00"
		for doc in (schedule, by_hand):
			doc.reload()
			doc.cancel()
		self.assertEqual([v.scheduled_start.date() for v in appointments_of(schedule.name)], VISITS[:1])
		self.assertEqual(event_days(by_hand.name), VISITS[:1])
		self.assertEqual(len(appointments_of(second.name)), 2)  # another schedule's are untouched

	def test_reminders_sent_once_to_customer_and_technician(self):
		schedule = make_schedule(CUSTOMER)
		frappe.set_user("Administrator")  # the scheduler
		self.assertEqual(reminders.send_reminders(date(2027, 1, 8))["visits"], 0)  # the 11th is 3 days away
		first = reminders.send_reminders(date(2027, 1, 9))
		self.assertEqual(first, {"visits": 1, "customer_emails": 1, "technician_emails": 1, "failed": 0})
		self.assertEqual(reminders.send_reminders(date(2027, 1, 9))["visits"], 0)  # run again: nothing
		self.assertEqual(reminders.send_reminders(date(2027, 1, 10))["visits"], 0)  # the next day: nothing
		queued = frappe.get_all(
			"Email Queue",
			filters={"reference_doctype": "Maintenance Schedule", "reference_name": schedule.name},
			fields=["name", "message"],
		)
		recipients = sorted(
			frappe.get_all(
				"Email Queue Recipient",
				filters={"parent": ("in", [q.name for q in queued])},
				pluck="recipient",
			)
		)
		self.assertEqual(recipients, sorted([CONTACT_EMAIL, self.ben.user]))
		self.assertTrue(all("09:00" in q.message for q in queued), "the appointment's time is given")
		self.assertEqual(
			frappe.db.get_value(
				"Maintenance Schedule Detail",
				{"parent": schedule.name, "scheduled_date": VISITS[0]},
				"reminded_for",
			),
			VISITS[0],
		)
		self.assertEqual(reminders.send_reminders(date(2027, 1, 16))["visits"], 1)  # the visit of the 18th

	def test_overdue_flagged_and_cleared_by_the_technicians_visit(self):
		schedule = make_schedule(CUSTOMER)
		frappe.set_user("Administrator")
		self.assertEqual(overdue.refresh(date(2027, 1, 11), [schedule.name]), 0)  # due today: not yet
		self.assertEqual(overdue.refresh(date(2027, 1, 12), [schedule.name]), 1)
		overdue.refresh(date(2027, 1, 12))  # the daily job's way: every schedule
		self.assertEqual(overdue.refresh(date(2027, 1, 12)), 0)  # run again: nothing changes
		first, second = sorted(schedule.schedules, key=lambda r: r.scheduled_date)
		self.assertEqual(frappe.db.get_value("Maintenance Schedule Detail", first.name, "is_overdue"), 1)
		self.assertEqual(frappe.db.get_value("Maintenance Schedule Detail", second.name, "is_overdue"), 0)
		self.assertEqual(frappe.db.get_value("Maintenance Schedule", schedule.name, "overdue_visits"), 1)
		self.assertIn(
			schedule.name,
			frappe.get_all("Maintenance Schedule", filters={"overdue_visits": (">", 0)}, pluck="name"),
		)

		frappe.flags.current_time = "2027-01-12 14:00:00"
		for user in (MAINTENANCE_USER, MANAGER):  # the report, with each one's own permissions
			frappe.set_user(user)
			rows = [
				r for r in report({"customer": CUSTOMER})[1] if r["maintenance_schedule"] == schedule.name
			]
			self.assertEqual(len(rows), 1, user)
			self.assertEqual((rows[0]["scheduled_date"], rows[0]["days_overdue"]), (VISITS[0], 1))
			self.assertEqual(rows[0]["sales_person"], self.ben.sales_person)

		# Ben does the late visit a day after, on his phone: the customer signs and says a word.
		appointment = frappe.db.get_value(
			"Service Appointment", {"maintenance_schedule_detail": first.name}, "name"
		)
		frappe.set_user(self.ben.user)
		for status in ("En Route", "On Site"):
			set_appointment_status(appointment, status)
		set_appointment_status(
			appointment, "Completed", "Cleaned the coils", 45, SIGNATURE, feedback="Quick and tidy, thanks"
		)
		frappe.set_user("Administrator")
		self.assertEqual(frappe.db.get_value("Maintenance Schedule Detail", first.name, "is_overdue"), 0)
		self.assertEqual(frappe.db.get_value("Maintenance Schedule", schedule.name, "overdue_visits"), 0)
		visit = frappe.get_doc(
			"Maintenance Visit", frappe.db.get_value("Service Appointment", appointment, "maintenance_visit")
		)
		self.assertEqual(
			(visit.docstatus, visit.customer_feedback, visit.customer_signature),
			(1, "Quick and tidy, thanks", SIGNATURE),
		)
		frappe.set_user(MAINTENANCE_USER)
		self.assertNotIn(
			schedule.name, [r["maintenance_schedule"] for r in report({"customer": CUSTOMER})[1]]
		)

	def test_visit_entered_by_a_maintenance_user_clears_and_its_cancel_sets_again(self):
		schedule = make_schedule(OTHER, sales_person=HAND_PICKED)
		overdue.refresh(date(2027, 1, 19))
		self.assertEqual(frappe.db.get_value("Maintenance Schedule", schedule.name, "overdue_visits"), 2)

		frappe.flags.current_time = "2027-01-19 09:00:00"  # the visit of the 18th, entered the next day
		frappe.set_user(MAINTENANCE_USER)
		first = min(schedule.schedules, key=lambda r: r.scheduled_date)
		visit = make_maintenance_visit(schedule.name, s_id=first.name)
		visit.update(
			{
				"mntc_date": "2027-01-18",
				"mntc_time": "15:00:00",
				"completion_status": "Fully Completed",
				"customer_feedback": "Filter was clogged",
				"customer_signature": SIGNATURE,
			}
		)
		visit.purposes[0].work_done = "Replaced the filter"
		visit.insert()
		visit.submit()
		self.assertEqual(frappe.db.get_value("Maintenance Schedule Detail", first.name, "is_overdue"), 0)
		self.assertEqual(frappe.db.get_value("Maintenance Schedule", schedule.name, "overdue_visits"), 1)
		self.assertEqual(
			frappe.db.get_value("Maintenance Visit", visit.name, ["customer_feedback", "customer_signature"]),
			("Filter was clogged", SIGNATURE),
		)
		visit.cancel()  # not done after all: overdue again
		self.assertEqual(frappe.db.get_value("Maintenance Schedule Detail", first.name, "is_overdue"), 1)
		self.assertEqual(frappe.db.get_value("Maintenance Schedule", schedule.name, "overdue_visits"), 2)

		frappe.set_user(MAINTENANCE_MANAGER)
		schedule.reload()
		schedule.cancel()
		self.assertEqual(frappe.db.get_value("Maintenance Schedule", schedule.name, "overdue_visits"), 0)
		self.assertEqual(
			frappe.db.count("Maintenance Schedule Detail", {"parent": schedule.name, "is_overdue": 1}), 0
		)
