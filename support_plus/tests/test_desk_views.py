"""The daily views made by install code (support_plus.setup.desk_views): what an agent finds on the Support
workspace and in the ticket list, read as a Support Agent."""

import json

import frappe
from frappe.desk.form.assign_to import add as add_assignment
from frappe.desk.listview import get_list_settings

from support_plus.api import escalate
from support_plus.setup import desk_views
from support_plus.sla.escalation import recount_escalations
from support_plus.tests.utils import AGENT, MANAGER, SupportTestCase


def ticket(subject: str, status: str = "Open") -> str:
	doc = frappe.get_doc(
		{"doctype": "Issue", "subject": subject, "raised_by": "v@desk-views.example"}
	).insert()
	if status != "Open":
		doc.status = status
		doc.save()
	return doc.name


class TestDeskViews(SupportTestCase):
	def test_the_support_workspace_has_our_shortcuts_and_links(self):
		desk_views.apply_desk_views()  # idempotent: a second run adds nothing
		frappe.set_user(AGENT)
		ws = frappe.get_doc("Workspace", "Support")
		labels = [s.label for s in ws.shortcuts]
		for label in ("My Open Tickets", "Escalated Tickets", "Phone Ticket"):
			self.assertEqual(labels.count(label), 1, label)
		links = {(row.link_type, row.link_to) for row in ws.links if row.type == "Link"}
		self.assertLessEqual(
			{
				("Report", "SLA Compliance"),
				("DocType", "Support Escalation Rule"),
				("DocType", "Issue Escalation"),
				("DocType", "Issue Follow Up"),
				("DocType", "Support Plus Settings"),
			},
			links,
		)
		blocks = [
			b["data"].get("shortcut_name") or b["data"].get("card_name") for b in json.loads(ws.content)
		]
		self.assertLessEqual(
			{"My Open Tickets", "Escalated Tickets", "Phone Ticket", "Support Plus"}, set(blocks)
		)
		self.assertEqual(
			next(s.url for s in ws.shortcuts if s.label == "Phone Ticket"), desk_views.PHONE_TICKET_URL
		)

	def test_my_open_tickets_and_escalated_filters_find_the_right_tickets(self):
		mine, theirs, mine_closed = ticket("Mine"), ticket("Theirs"), ticket("Mine, closed")
		add_assignment({"assign_to": [AGENT], "doctype": "Issue", "name": mine})
		add_assignment({"assign_to": [MANAGER], "doctype": "Issue", "name": theirs})
		add_assignment({"assign_to": [AGENT], "doctype": "Issue", "name": mine_closed})
		frappe.get_doc("Issue", mine_closed).db_set("status", "Closed")
		frappe.set_user(AGENT)
		# The shortcut's filter is JavaScript evaluated in the desk; here with the agent's name in it.
		filters = json.loads(
			desk_views.MY_OPEN_TICKETS.replace('"%" + frappe.session.user + "%"', f'"%{AGENT}%"')
		)
		found = frappe.get_list("Issue", filters=filters, pluck="name")
		self.assertIn(mine, found)
		self.assertNotIn(theirs, found)
		self.assertNotIn(mine_closed, found)

		escalate(theirs, "The customer called twice")
		self.assertEqual(frappe.db.get_value("Issue", theirs, "escalation_count"), 1)
		escalated = frappe.get_list("Issue", filters=json.loads(desk_views.ESCALATED_TICKETS), pluck="name")
		self.assertIn(theirs, escalated)
		self.assertNotIn(mine, escalated)
		frappe.db.set_value("Issue", theirs, "escalation_count", 0)
		recount_escalations()  # migrate repairs the marker from the Issue Escalation records
		self.assertEqual(frappe.db.get_value("Issue", theirs, "escalation_count"), 1)

	def test_the_list_keeps_sla_health_and_offers_the_deadlines_as_sort(self):
		frappe.clear_document_cache("List View Settings", "Issue")
		settings = get_list_settings("Issue")  # what the desk reads
		columns = [f["fieldname"] for f in json.loads(settings.fields)]
		self.assertEqual(columns[:3], ["status_field", "sla_health", "escalation_count"])
		# Frappe shows 4 columns at 1366 px unless told: ours are all shown (subject and tags first).
		self.assertGreaterEqual(int(settings.total_fields), len(columns) + 2)
		meta = frappe.get_meta("Issue")
		for fieldname in ("response_by", "resolution_by"):
			self.assertTrue(meta.get_field(fieldname).bold, fieldname)  # the sort menu lists bold fields
		self.assertTrue(meta.get_field("escalation_count").in_list_view)

	def test_a_list_setting_of_the_site_is_kept(self):
		ours = frappe.db.get_value("List View Settings", "Issue", "fields")
		try:
			frappe.db.set_value(
				"List View Settings", "Issue", "fields", json.dumps([{"fieldname": "priority"}])
			)
			desk_views.ensure_issue_list_columns()
			self.assertEqual(
				json.loads(frappe.db.get_value("List View Settings", "Issue", "fields")),
				[{"fieldname": "priority"}],
			)
			desk_views.remove_desk_views()  # not ours: uninstall leaves it
			self.assertTrue(frappe.db.exists("List View Settings", "Issue"))
		finally:
			frappe.db.set_value("List View Settings", "Issue", "fields", ours)
			frappe.clear_document_cache("List View Settings", "Issue")
			desk_views.apply_desk_views()
