"""Service Appointments: booking rules, status changes, the Maintenance Visit and free slots, as the real
roles (a Support Agent books, a Support Manager overrides, a technician-only user works the visit)."""

from datetime import date, datetime

import frappe

from support_plus import api
from support_plus.tests.appointment_fixtures import CONTACT_EMAIL, SIGNATURE, book, field_ticket
from support_plus.tests.dispatch_fixtures import ensure_tech_users, make_skill, make_technician
from support_plus.tests.utils import AGENT, MANAGER, SupportTestCase
from support_plus.utils import clock

# Tuesday 8 December 2026; the technicians work Monday to Friday, 09:00 to 18:00.
TUE = "2026-12-08"


class TestAppointmentRules(SupportTestCase):
	@classmethod
	def setUpClass(cls):
		ensure_tech_users()
		super().setUpClass()

	def setUp(self):
		self.ana = make_technician("ana", {"Boilers": "Expert"})
		self.ben = make_technician("ben")
		# the profiles keep their names: earlier tests' appointments go
		frappe.db.delete("Service Appointment", {"technician": ("in", (self.ana.name, self.ben.name))})

	def test_double_booking_refused_and_freed_by_cancelling(self):
		frappe.set_user(AGENT)
		first = book(self.ana, f"{TUE} 10:00", f"{TUE} 11:00")
		with self.assertRaisesRegex(frappe.ValidationError, "already booked"):
			book(self.ana, f"{TUE} 10:30", f"{TUE} 11:30")
		with self.assertRaisesRegex(frappe.ValidationError, "already booked"):
			book(self.ana, f"{TUE} 09:00", f"{TUE} 12:00")  # around it
		book(self.ana, f"{TUE} 11:00", f"{TUE} 12:00")  # right after it
		book(self.ben, f"{TUE} 10:30", f"{TUE} 11:30")  # another technician
		# moving an appointment onto another one is a double booking too
		later = book(self.ana, f"{TUE} 14:00", f"{TUE} 15:00")
		later.scheduled_start, later.scheduled_end = f"{TUE} 10:45", f"{TUE} 11:00"
		with self.assertRaisesRegex(frappe.ValidationError, "already booked"):
			later.save()
		first.reload()
		first.status = "Cancelled"
		first.save()
		book(self.ana, f"{TUE} 10:30", f"{TUE} 11:00")  # the cancelled time is free
		first.reload()
		first.status = "Scheduled"  # taking it back would now overlap
		with self.assertRaisesRegex(frappe.ValidationError, "already booked"):
			first.save()

	def test_end_before_start_refused(self):
		frappe.set_user(AGENT)
		for start, end in ((f"{TUE} 11:00", f"{TUE} 10:00"), (f"{TUE} 11:00", f"{TUE} 11:00")):
			with self.assertRaisesRegex(frappe.ValidationError, "must end after it starts"):
				book(self.ana, start, end)
		self.assertFalse(frappe.db.exists("Service Appointment", {"technician": self.ana.name}))

	def test_outside_working_hours_needs_a_manager_and_a_reason(self):
		frappe.set_user(AGENT)
		for start, end in (
			(f"{TUE} 17:30", f"{TUE} 18:30"),  # runs past the end of the day
			(f"{TUE} 07:00", f"{TUE} 08:00"),
			("2026-12-12 10:00", "2026-12-12 11:00"),  # a Saturday
		):
			with self.assertRaisesRegex(frappe.ValidationError, "does not work the whole time"):
				book(self.ana, start, end)
		with self.assertRaises(frappe.PermissionError):
			book(self.ana, f"{TUE} 17:30", f"{TUE} 18:30", override_reason="The customer is only home then")
		frappe.set_user(MANAGER)
		with self.assertRaisesRegex(frappe.ValidationError, "does not work the whole time"):
			book(self.ana, f"{TUE} 17:30", f"{TUE} 18:30")  # a manager still gives a reason
		reason = "The customer is only home then"
		done = book(self.ana, f"{TUE} 17:30", f"{TUE} 18:30", override_reason=reason)
		self.assertEqual(done.status, "Scheduled")
		# inside working hours anyone who may book does so
		frappe.set_user(AGENT)
		book(self.ana, f"{TUE} 09:00", f"{TUE} 17:30")

	def test_technician_works_own_visit_to_a_submitted_maintenance_visit(self):
		ticket = field_ticket()
		frappe.set_user(AGENT)
		appointment = book(self.ana, f"{TUE} 10:00", f"{TUE} 11:30", issue=ticket.name)
		self.assertEqual(appointment.customer, ticket.customer)  # filled from the ticket
		self.assertEqual(appointment.technician_user, self.ana.user)
		self.assertIn("Berlin", appointment.address_display)

		frappe.set_user(self.ana.user)  # only the Service Technician role
		doc = frappe.get_doc("Service Appointment", appointment.name)
		doc.status = "En Route"
		doc.save()
		queued = frappe.get_all(
			"Email Queue",
			filters={"reference_doctype": "Service Appointment", "reference_name": doc.name},
			fields=["name", "message"],
		)
		self.assertEqual(len(queued), 1)
		self.assertIn("Tech Ana", queued[0].message)
		self.assertEqual(
			frappe.get_all("Email Queue Recipient", filters={"parent": queued[0].name}, pluck="recipient"),
			[CONTACT_EMAIL],
		)

		doc.status = "On Site"
		doc.save()
		doc.status = "Completed"
		with self.assertRaisesRegex(frappe.ValidationError, "work done"):
			doc.save()
		doc.reload()
		doc.status, doc.work_done, doc.time_spent_minutes = "Completed", "Replaced the valve", 50
		doc.customer_signature = SIGNATURE
		doc.save()

		frappe.set_user("Administrator")
		doc.reload()
		visit = frappe.get_doc("Maintenance Visit", doc.maintenance_visit)
		self.assertEqual(visit.docstatus, 1)
		self.assertEqual(visit.completion_status, "Fully Completed")
		self.assertEqual(visit.customer, ticket.customer)
		self.assertEqual(visit.customer_signature, SIGNATURE)
		purpose = visit.purposes[0]
		self.assertEqual(
			(purpose.item_code, purpose.work_done, purpose.service_person, purpose.prevdoc_docname),
			(ticket.item_code, "Replaced the valve", self.ana.sales_person, doc.name),
		)
		notes = frappe.get_all(
			"Comment",
			filters={"reference_doctype": "Issue", "reference_name": ticket.name, "comment_type": "Info"},
			pluck="content",
		)
		self.assertTrue(any(visit.name in n and "50 minutes" in n for n in notes), notes)
		# completed is final
		doc.status = "Scheduled"
		with self.assertRaisesRegex(frappe.ValidationError, "completed"):
			doc.save()

	def test_technician_reaches_only_own_appointments(self):
		frappe.set_user(AGENT)
		own = book(self.ana, f"{TUE} 10:00", f"{TUE} 11:00")
		other = book(self.ben, f"{TUE} 10:00", f"{TUE} 11:00")
		frappe.set_user(self.ana.user)
		self.assertEqual(
			frappe.get_list("Service Appointment", filters={"scheduled_start": f"{TUE} 10:00"}, pluck="name"),
			[own.name],
		)
		self.assertFalse(frappe.has_permission("Service Appointment", "read", other.name))
		with self.assertRaises(frappe.PermissionError):
			frappe.get_doc("Service Appointment", other.name).check_permission("read")
		doc = frappe.get_doc("Service Appointment", own.name)
		doc.scheduled_start = f"{TUE} 09:00"
		with self.assertRaises(frappe.PermissionError):
			doc.save()  # the support team reschedules

	def test_free_slots_skip_booked_and_non_working_time(self):
		frappe.set_user(AGENT)
		book(self.ana, f"{TUE} 10:00", f"{TUE} 11:00")
		book(self.ana, f"{TUE} 14:30", f"{TUE} 15:00")
		with clock.pinned("2026-12-07 08:00"):
			for from_date in (date(2026, 12, 8), TUE, datetime(2026, 12, 8, 0, 0)):
				slots = api.free_slots(technician=self.ana.name, from_date=from_date, days=1)
				self.assertEqual(
					[(s["start"].strftime("%H:%M"), s["end"].strftime("%H:%M")) for s in slots],
					[("09:00", "10:00"), ("11:00", "12:00"), ("12:00", "13:00"), ("13:00", "14:00"),
					 ("15:00", "16:00"), ("16:00", "17:00"), ("17:00", "18:00")],
				)  # fmt: skip
			# from an instant: the stretch after it, on quarter hours
			slots = api.free_slots(self.ana.name, from_date=f"{TUE} 15:05", days=1, duration_minutes=90)
			self.assertEqual([s["start"].strftime("%H:%M") for s in slots], ["15:15"])
			# a weekend has no slots
			self.assertEqual(api.free_slots(self.ana.name, from_date="2026-12-12", days=2), [])
			# by skill: only Ana has Boilers
			by_skill = api.free_slots(skill=make_skill("Boilers"), from_date=TUE, days=1)
			self.assertEqual({s["technician"] for s in by_skill}, {self.ana.name})
		# never before now
		with clock.pinned(f"{TUE} 16:20"):
			slots = api.free_slots(self.ana.name, from_date=TUE, days=1)
			self.assertEqual([s["start"].strftime("%H:%M") for s in slots], ["16:30"])

	def test_free_slots_permissions(self):
		frappe.set_user(self.ana.user)
		with clock.pinned("2026-12-07 08:00"):
			self.assertTrue(api.free_slots(self.ana.name, from_date=TUE, days=1))
			with self.assertRaises(frappe.PermissionError):
				api.free_slots(self.ben.name, from_date=TUE, days=1)
			everyone = api.free_slots(from_date=TUE, days=1)
			self.assertEqual({s["technician"] for s in everyone}, {self.ana.name})
			with self.assertRaises(frappe.ValidationError):
				api.free_slots(self.ana.name, from_date=TUE, days=100)
			with self.assertRaises(frappe.ValidationError):
				api.free_slots(self.ana.name, from_date="next week", days=1)
