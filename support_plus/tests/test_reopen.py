"""Reopen rules: customers' messages on tickets in each status, and managers reopening closed tickets."""

import frappe

from support_plus.api import reopen
from support_plus.tests.utils import AGENT, MANAGER, SupportTestCase, make_customer, make_user


def ticket_in(status: str, **values):
	doc = frappe.get_doc(
		{
			"doctype": "Issue",
			"subject": f"Reopen test ({status})",
			"raised_by": "customer@reopen.example",
			"customer": make_customer("Reopen Test Customer"),
			"priority": "High",
			**values,
		}
	).insert()
	if status != "Open":
		doc.update({"status": status, "cancel_reason": "Duplicate" if status == "Cancelled" else None})
		doc.save()
	return doc


def customer_writes(issue: str, content="It is broken again", sent_or_received="Received"):
	return frappe.get_doc(
		{
			"doctype": "Communication",
			"communication_type": "Communication",
			"communication_medium": "Email",
			"sent_or_received": sent_or_received,
			"subject": "Re: my ticket",
			"sender": "customer@reopen.example",
			"content": content,
			"reference_doctype": "Issue",
			"reference_name": issue,
		}
	).insert(ignore_permissions=True)


def state(name):
	return frappe.db.get_value("Issue", name, ["status", "reopen_count"], as_dict=True)


class TestCustomerMessages(SupportTestCase):
	def test_message_on_closed_ticket_opens_a_linked_new_ticket(self):
		for status in ("Closed", "Cancelled"):
			closed = ticket_in(status)

			comm = customer_writes(closed.name, "The machine leaks again")

			self.assertEqual(state(closed.name), {"status": status, "reopen_count": 0})
			self.assertNotEqual(comm.reference_name, closed.name)
			new = frappe.get_doc("Issue", comm.reference_name)
			self.assertEqual((new.status, new.previous_issue), ("Open", closed.name))
			self.assertEqual((new.customer, new.priority, new.channel), (closed.customer, "High", "Email"))
			for name, other in ((closed.name, new.name), (new.name, closed.name)):
				notes = frappe.get_all(
					"Comment", filters={"reference_doctype": "Issue", "reference_name": name}, pluck="content"
				)
				self.assertTrue(any(other in note for note in notes), f"{name} timeline names {other}")

	def test_answer_reopens_replied_resolved_and_pending_customer(self):
		for status, reopened in (("Replied", 1), ("Resolved", 1), ("Pending Customer", 0)):
			doc = ticket_in(status)
			comm = customer_writes(doc.name)
			self.assertEqual(comm.reference_name, doc.name)
			self.assertEqual(state(doc.name), {"status": "Open", "reopen_count": reopened}, status)

	def test_answer_leaves_work_in_progress_alone(self):
		for status in ("In Progress", "Pending Parts"):
			doc = ticket_in(status)
			customer_writes(doc.name, "Any news?")
			self.assertEqual(state(doc.name), {"status": status, "reopen_count": 0})

	def test_agent_reply_changes_nothing(self):
		doc = ticket_in("Closed")
		comm = customer_writes(doc.name, "Closing note", sent_or_received="Sent")
		self.assertEqual(comm.reference_name, doc.name)
		self.assertEqual(state(doc.name)["status"], "Closed")


class TestManagerReopen(SupportTestCase):
	def test_only_managers_reopen_closed_tickets(self):
		doc = ticket_in("Closed")
		frappe.set_user(AGENT)
		self.assertRaises(frappe.PermissionError, reopen, doc.name, "Customer called back")
		self.assertEqual(state(doc.name)["status"], "Closed")

		frappe.set_user(MANAGER)
		reopen(doc.name, "Customer called back: still leaking")

		stored = frappe.db.get_value(
			"Issue", doc.name, ["status", "reopen_count", "closed_on", "closed_by"], as_dict=True
		)
		self.assertEqual(stored, {"status": "Open", "reopen_count": 1, "closed_on": None, "closed_by": None})
		notes = frappe.get_all(
			"Comment", filters={"reference_doctype": "Issue", "reference_name": doc.name}, pluck="content"
		)
		self.assertTrue(any("still leaking" in note for note in notes))

	def test_reopen_needs_a_reason_and_a_closed_ticket(self):
		frappe.set_user(MANAGER)
		closed = ticket_in("Cancelled")
		self.assertRaises(frappe.ValidationError, reopen, closed.name, "  ")
		self.assertEqual(state(closed.name)["status"], "Cancelled")
		active = ticket_in("In Progress")
		self.assertRaisesRegex(frappe.ValidationError, "not closed", reopen, active.name, "Why not")
