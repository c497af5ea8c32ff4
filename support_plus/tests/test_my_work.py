"""The "My Work" workspace (support_plus/setup/my_work.py): its cards exist, and each card's filters, with
the current user filled in as the browser does, count the technician's own work."""

import json

import frappe
from frappe.desk.form import assign_to
from frappe.utils import add_days, now_datetime

from support_plus.api import assign_technician
from support_plus.api.field import my_appointments_today
from support_plus.api.my_work import card as card_method
from support_plus.setup.my_work import CARDS, TODAY_BLOCK, WORKSPACE, card_name
from support_plus.tests.appointment_fixtures import book, field_ticket
from support_plus.tests.dispatch_fixtures import (
	TUESDAY_10,
	drop_assignments,
	ensure_tech_users,
	make_technician,
	new_ticket,
)
from support_plus.tests.utils import AGENT, SupportTestCase


def card_filters(label: str, user: str) -> tuple:
	"""The card and its filters with the current user filled in, as the browser sends them."""
	card = frappe.get_doc("Number Card", card_name(label))
	filters = json.loads(card.filters_json)
	for doctype, field, op, expression in json.loads(card.dynamic_filters_json):
		value = {
			"frappe.session.user": user,
			"'%' + frappe.session.user + '%'": f"%{user}%",
		}[expression]
		filters.append([doctype, field, op, value])
	return card, filters


def count(label: str, user: str) -> int:
	card, filters = card_filters(label, user)
	return len(frappe.get_all(card.document_type, filters=filters, pluck="name"))


def card_number(label: str, user: str) -> int:
	"""The number the desk shows `user` on the card: the card's method, run as them."""
	card, filters = card_filters(label, user)
	frappe.set_user(user)
	try:
		return frappe.get_attr(card.method)(filters=json.dumps(filters))["value"]
	finally:
		frappe.set_user("Administrator")


SUBJECTS = [f"My work {i}" for i in range(4)] + [f"Technician's card {i}" for i in range(6)]


def forget_earlier_runs() -> None:
	"""Tickets of this class left committed by an earlier run (seen after a run with a failing test): their
	still open, Pending assignments would be found by other tests (the acceptance timeout's re-routing)."""
	names = frappe.get_all("Issue", filters={"subject": ("in", SUBJECTS)}, pluck="name")
	if names:
		frappe.db.delete("ToDo", {"reference_type": "Issue", "reference_name": ("in", names)})
		frappe.db.delete("DocShare", {"share_doctype": "Issue", "share_name": ("in", names)})
		frappe.db.delete("Issue", {"name": ("in", names)})


class TestMyWork(SupportTestCase):
	@classmethod
	def setUpClass(cls):
		ensure_tech_users()
		forget_earlier_runs()
		super().setUpClass()  # commits both

	def test_the_workspace_has_its_cards(self):
		workspace = frappe.get_doc("Workspace", WORKSPACE)
		self.assertEqual(
			[row.number_card_name for row in workspace.number_cards], [card_name(label) for label in CARDS]
		)
		# The desk draws a block only when its name is a row's label (Frappe's workspace blocks/block.js).
		blocks = [b["data"].get("number_card_name") for b in json.loads(workspace.content)]
		self.assertEqual([b for b in blocks if b], [row.label for row in workspace.number_cards])

	def test_cards_count_the_users_own_work(self):
		frappe.flags.current_time = TUESDAY_10
		tech = make_technician("eve")
		other = make_technician("fay")
		drop_assignments([tech.user, other.user])
		frappe.set_user(AGENT)
		new, working, waiting, theirs = (new_ticket(subject=f"My work {i}").name for i in range(4))
		for name in (new, working, waiting):
			assign_technician(name, tech.user)
		assign_technician(theirs, other.user)
		frappe.set_user("Administrator")
		frappe.db.set_value(
			"ToDo", {"reference_name": working, "allocated_to": tech.user}, "acceptance", "Accepted"
		)
		frappe.db.set_value(
			"ToDo", {"reference_name": waiting, "allocated_to": tech.user}, "acceptance", "Accepted"
		)
		for name, status in (
			(working, "In Progress"),
			(waiting, "Pending Customer"),
			(theirs, "In Progress"),
		):
			doc = frappe.get_doc("Issue", name)
			doc.status = status
			doc.save()
		frappe.db.set_value("Issue", working, "sla_health", "Breached")

		self.assertEqual(count("New Assignments", tech.user), 1)
		self.assertEqual(count("In Progress", tech.user), 1)
		self.assertEqual(count("Pending Customer", tech.user), 1)
		self.assertEqual(count("Overdue", tech.user), 1)
		self.assertEqual(count("In Progress", other.user), 1)
		self.assertEqual(count("New Assignments", other.user), 1)
		assign_to.remove("Issue", new, tech.user)
		self.assertEqual(count("New Assignments", tech.user), 0)

	def test_a_technician_sees_every_card_counting_their_own_tickets(self):
		"""A user with only the Service Technician role: the five cards, each with the number of their own
		tickets (Frappe shows a card only to a user whose roles read its doctype)."""
		tech = make_technician("cal")
		other = make_technician("ned")
		drop_assignments([tech.user, other.user])
		new, working, waiting, due, theirs, shared = (
			new_ticket(subject=f"Technician's card {i}").name for i in range(6)
		)
		for name in (new, working, waiting, due):
			assign_technician(name, tech.user)
		for name in (theirs, shared):
			assign_technician(name, other.user)
		frappe.share.add_docshare("Issue", shared, tech.user, flags={"ignore_share_permission": True})
		frappe.db.set_value(
			"ToDo",
			{"reference_name": ("in", (working, waiting, due)), "allocated_to": tech.user},
			"acceptance",
			"Accepted",
		)
		frappe.db.set_value("ToDo", {"reference_name": theirs}, "acceptance", "Accepted")
		today, tomorrow = now_datetime(), add_days(now_datetime(), 1)
		for name, status, resolution_by, health in (
			(working, "In Progress", tomorrow, "Breached"),
			(waiting, "Pending Customer", tomorrow, None),
			(due, "In Progress", today, None),
			(theirs, "In Progress", today, "Breached"),  # another technician's: never counted
			(shared, "Pending Customer", today, "Breached"),  # shared with them, not theirs to work
		):
			frappe.db.set_value(
				"Issue", name, {"status": status, "resolution_by": resolution_by, "sla_health": health}
			)

		frappe.set_user(tech.user)
		cards = frappe.get_list("Number Card", filters={"name": ("like", "My Work: %")}, pluck="name")
		self.assertEqual(sorted(cards), sorted(card_name(label) for label in CARDS))
		for label in CARDS:
			self.assertTrue(frappe.get_doc("Number Card", card_name(label)).has_permission("read"), label)
		frappe.set_user("Administrator")
		expected = {
			"New Assignments": 1,  # `new`, still Pending
			"In Progress": 2,  # working, due
			"Pending Customer": 1,  # waiting
			"Due Today": 1,  # due
			"Overdue": 1,  # working
		}
		self.assertEqual({label: card_number(label, tech.user) for label in CARDS}, expected)
		self.assertEqual(card_number("In Progress", other.user), 1)

	def test_a_card_opens_the_list_of_what_it_counts(self):
		"""The list a card opens on click has all the card's filters, the current user's included (Frappe's
		Document Type card dropped those)."""
		card, filters = card_filters("In Progress", "sp-tech-cal@example.com")
		self.assertEqual(card.type, "Custom")
		result = card_method(json.dumps(filters))
		self.assertEqual(result["route"], ["List", "Issue"])
		self.assertEqual(
			result["route_options"],
			{"Issue.status": ["=", "In Progress"], "Issue._assign": ["like", "%sp-tech-cal@example.com%"]},
		)

	def test_a_card_counts_tickets_and_assignments_only(self):
		frappe.set_user("sp-tech-cal@example.com")
		for filters in (
			[["User", "name", "like", "%"]],
			[["Issue", "status", "=", "Open"], ["ToDo", "status", "=", "Open"]],
			[],
		):
			self.assertRaises(frappe.PermissionError, card_method, json.dumps(filters))
		self.assertRaises(frappe.ValidationError, card_method, '{"status": "Open"}')

	def test_the_workspace_lists_todays_appointments(self):
		workspace = frappe.get_doc("Workspace", WORKSPACE)
		self.assertEqual([row.custom_block_name for row in workspace.custom_blocks], [TODAY_BLOCK])
		blocks = [b["data"].get("custom_block_name") for b in json.loads(workspace.content)]
		self.assertEqual([b for b in blocks if b], [row.label for row in workspace.custom_blocks])
		script = frappe.db.get_value("Custom HTML Block", TODAY_BLOCK, "script")
		self.assertIn("support_plus.api.field.my_appointments_today", script)

	def test_todays_appointments_are_the_users_own_in_order(self):
		frappe.flags.current_time = TUESDAY_10
		tech = make_technician("dan", hours=None)
		other = make_technician("eve", hours=None)
		ticket = field_ticket("My work: the boiler ticks")
		frappe.set_user(AGENT)
		late = book(tech, "2026-12-01 15:00:00", "2026-12-01 16:00:00", issue=ticket.name)
		early = book(tech, "2026-12-01 08:00:00", "2026-12-01 09:00:00")
		book(tech, "2026-12-02 09:00:00", "2026-12-02 10:00:00")  # tomorrow
		book(other, "2026-12-01 11:00:00", "2026-12-01 12:00:00")  # another technician's
		cancelled = book(tech, "2026-12-01 12:00:00", "2026-12-01 13:00:00")
		cancelled.status = "Cancelled"
		cancelled.save()

		frappe.set_user(tech.user)
		today = my_appointments_today()
		self.assertEqual([a["name"] for a in today], [early.name, cancelled.name, late.name])
		self.assertEqual(
			(today[2]["when"], today[2]["status"], today[2]["issue"], today[2]["subject"]),
			("15:00–16:00", "Scheduled", ticket.name, "My work: the boiler ticks"),
		)
		self.assertEqual(today[1]["status"], "Cancelled")
		frappe.set_user(other.user)
		self.assertEqual(len(my_appointments_today()), 1)
		frappe.set_user(AGENT)  # no technician profile: nothing, not an error
		self.assertEqual(my_appointments_today(), [])
