"""Deleting a ticket (Support Manager) takes its follow-ups, escalations and other support_plus records
with it; a ticket that follows it stays, unlinked. Whoever may not delete tickets deletes nothing."""

import frappe

from support_plus.api import add_follow_up, escalate
from support_plus.tests.utils import AGENT, MANAGER, SupportTestCase


class TestTicketDeletion(SupportTestCase):
	def ticket_with_records(self):
		doc = frappe.get_doc(
			{"doctype": "Issue", "subject": "To be deleted", "raised_by": "deleted@deletion.example"}
		).insert()
		add_follow_up(doc.name, "Called back", "2026-05-08")
		escalate(doc.name, "Customer is waiting", to_user=AGENT)  # a ToDo and a notification too
		doc.reload()
		doc.status = "Closed"
		doc.save()
		follow_on = frappe.get_doc(
			{"doctype": "Issue", "subject": "Again", "previous_issue": doc.name, "raised_by": doc.raised_by}
		).insert()
		return doc.name, follow_on.name

	def records_of(self, name):
		return {
			doctype: frappe.db.count(doctype, {"issue": name})
			for doctype in ("Issue Follow Up", "Issue Escalation")
		}

	def test_a_manager_deletes_the_ticket_and_its_records(self):
		name, follow_on = self.ticket_with_records()
		self.assertEqual(self.records_of(name), {"Issue Follow Up": 1, "Issue Escalation": 1})
		frappe.set_user(MANAGER)

		frappe.delete_doc("Issue", name)

		frappe.set_user("Administrator")
		self.assertFalse(frappe.db.exists("Issue", name))
		self.assertEqual(self.records_of(name), {"Issue Follow Up": 0, "Issue Escalation": 0})
		self.assertTrue(frappe.db.exists("Issue", follow_on), "the ticket that followed it stays")
		self.assertIsNone(frappe.db.get_value("Issue", follow_on, "previous_issue"))

	def test_an_agent_deletes_nothing(self):
		name, follow_on = self.ticket_with_records()
		frappe.set_user(AGENT)
		self.assertRaises(frappe.PermissionError, frappe.delete_doc, "Issue", name)
		frappe.set_user("Administrator")
		self.assertTrue(frappe.db.exists("Issue", name))
		self.assertEqual(self.records_of(name), {"Issue Follow Up": 1, "Issue Escalation": 1})
		self.assertEqual(frappe.db.get_value("Issue", follow_on, "previous_issue"), name)
