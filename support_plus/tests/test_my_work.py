"""The "My Work" workspace (support_plus/setup/my_work.py): its cards exist, and each card's filters, with
the current user filled in as the browser does, count the technician's own work."""

import json

import frappe
from frappe.desk.form import assign_to

from support_plus.api import assign_technician
from support_plus.setup.my_work import CARDS, WORKSPACE, card_name
from support_plus.tests.dispatch_fixtures import (
	TUESDAY_10,
	drop_assignments,
	ensure_tech_users,
	make_technician,
	new_ticket,
)
from support_plus.tests.utils import AGENT, SupportTestCase


def count(label: str, user: str) -> int:
	card = frappe.get_doc("Number Card", card_name(label))
	filters = json.loads(card.filters_json)
	for doctype, field, op, expression in json.loads(card.dynamic_filters_json):
		value = {
			"frappe.session.user": user,
			"'%' + frappe.session.user + '%'": f"%{user}%",
		}[expression]
		filters.append([doctype, field, op, value])
	return len(frappe.get_all(card.document_type, filters=filters, pluck="name"))


class TestMyWork(SupportTestCase):
	@classmethod
	def setUpClass(cls):
		ensure_tech_users()
		super().setUpClass()

	def test_the_workspace_has_its_cards(self):
		workspace = frappe.get_doc("Workspace", WORKSPACE)
		self.assertEqual(
			[row.number_card_name for row in workspace.number_cards], [card_name(label) for label in CARDS]
		)
		blocks = [b["data"].get("number_card_name") for b in json.loads(workspace.content)]
		self.assertEqual([b for b in blocks if b], [card_name(label) for label in CARDS])

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
