"""The "My Work" workspace in a real browser as a technician (a user with only the Service Technician role):
the five cards counting their own tickets, a card opening the list of those tickets, and today's
appointments, their own only, in order, drawn by the workspace's Custom HTML Block."""

from datetime import datetime, time, timedelta

import frappe
from frappe.utils import add_days, now_datetime

from support_plus.dispatch.assignment import assign_technician
from support_plus.tests.dispatch_fixtures import drop_assignments, ensure_tech_users, make_technician
from support_plus.tests.test_desk_browser import DeskBrowserCase
from support_plus.utils import clock

# The block draws inside its own shadow root.
TODAY_ROWS = """
if (frappe.request.ajax_count) return null;
for (const el of document.querySelectorAll(".custom-block-widget-box *")) {
	const rows = el.shadowRoot && el.shadowRoot.querySelectorAll(".sp-today-row");
	if (rows && rows.length) return [...rows].map((r) => r.dataset.appointment);
}
return null;
"""
# {card title: the number it shows}, once the five cards have their numbers.
CARD_NUMBERS = """
if (frappe.request.ajax_count) return null;
const cards = [...document.querySelectorAll(".number-widget-box")];
if (cards.length < 5) return null;
const numbers = {};
for (const card of cards) {
	const number = card.querySelector(".number");
	if (!number) return null;
	numbers[card.querySelector(".widget-title").textContent.trim()] = number.textContent.trim();
}
return numbers;
"""
LIST_NAMES = """
if (!(window.cur_list && cur_list.doctype === "Issue" && cur_list.data && !frappe.request.ajax_count)) return null;
if (frappe.get_route()[0] !== "List") return null;
return cur_list.data.map((d) => d.name);
"""


class TestMyWorkInABrowser(DeskBrowserCase):
	@classmethod
	def setUpClass(cls):
		ensure_tech_users()
		super().setUpClass()
		cls.tech = make_technician("gus", hours=None)  # any hour: the browser runs on the real clock
		cls.other = make_technician("ben", hours=None)
		frappe.db.delete("Service Appointment", {"technician": ("in", (cls.tech.name, cls.other.name))})
		day = datetime.combine(clock.today(), time(0, 0))
		cls.second = cls.book(cls.tech, day + timedelta(minutes=50))
		cls.first = cls.book(cls.tech, day + timedelta(minutes=5))
		cls.tomorrow = cls.book(cls.tech, day + timedelta(days=1, hours=1))
		cls.theirs = cls.book(cls.other, day + timedelta(minutes=5))
		cls.make_tickets()
		cls.server.login(cls.tech.user)  # sets and commits the password, and the records above

	@classmethod
	def make_tickets(cls):
		"""The technician's tickets, one of the other technician's, and one of those shared with them."""
		users = [cls.tech.user, cls.other.user]
		drop_assignments(users)
		frappe.db.delete("DocShare", {"share_doctype": "Issue", "user": ("in", users)})
		today, tomorrow = now_datetime(), add_days(now_datetime(), 1)
		rows = {
			# key: (assignee, status, accepted, resolution_by, sla_health)
			"working": (cls.tech, "In Progress", True, tomorrow, "Breached"),
			"due": (cls.tech, "In Progress", True, today, None),
			"waiting": (cls.tech, "Pending Customer", True, tomorrow, None),
			"new": (cls.tech, "Open", False, tomorrow, None),
			"theirs": (cls.other, "In Progress", True, today, "Breached"),
			"shared": (cls.other, "In Progress", True, today, None),
		}
		cls.tickets = {}
		for key, (tech, status, accepted, resolution_by, health) in rows.items():
			name = cls.make_ticket(f"My Work browser: {key}", "Open")
			assign_technician(name, tech.user)
			if accepted:
				frappe.db.set_value(
					"ToDo", {"reference_name": name, "allocated_to": tech.user}, "acceptance", "Accepted"
				)
			frappe.db.set_value(
				"Issue", name, {"status": status, "resolution_by": resolution_by, "sla_health": health}
			)
			cls.tickets[key] = name
		frappe.share.add_docshare(
			"Issue", cls.tickets["shared"], cls.tech.user, flags={"ignore_share_permission": True}
		)

	@classmethod
	def book(cls, technician, start):
		return frappe.get_doc(
			{
				"doctype": "Service Appointment",
				"technician": technician.name,
				"scheduled_start": start,
				"scheduled_end": start + timedelta(minutes=30),
			}
		).insert(ignore_permissions=True)

	@classmethod
	def tearDownClass(cls):
		frappe.db.rollback()
		frappe.db.delete("Service Appointment", {"technician": ("in", (cls.tech.name, cls.other.name))})
		names = list(cls.tickets.values())
		for doctype, field in (
			("Comment", "reference_name"),
			("Communication", "reference_name"),
			("Version", "docname"),
			("ToDo", "reference_name"),
			("DocShare", "share_name"),
			("Email Queue", "reference_name"),
			("Notification Log", "document_name"),
			("Issue", "name"),
		):
			frappe.db.delete(doctype, {field: ("in", names)})
		frappe.db.commit()  # nosemgrep
		super().tearDownClass()

	def test_technician_sees_five_cards_of_their_own_tickets_and_opens_their_list(self):
		t = self.tickets
		try:
			self.login(self.tech.user, to="/app/my-work")
			numbers = self.wait.until(lambda b: b.execute_script(CARD_NUMBERS))
			self.screenshot("my-work-cards.png")
			# Counted by hand from the tickets made above: the other technician's and the shared one are
			# not this technician's work.
			self.assertEqual(
				numbers,
				{
					"New Assignments": "1",  # new
					"In Progress": "2",  # working, due
					"Pending Customer": "1",  # waiting
					"Due Today": "1",  # due
					"Overdue": "1",  # working
				},
			)
			self.assert_no_errors("technician opens My Work")
			self.js(
				"return [...document.querySelectorAll('.number-widget-box')].find((c) =>"
				" c.querySelector('.widget-title').textContent.trim() === 'In Progress')"
				".querySelector('.number')"
			).click()
			names = self.wait.until(lambda b: b.execute_script(LIST_NAMES))
			self.assertEqual(sorted(names), sorted([t["working"], t["due"]]))
			self.screenshot("my-work-in-progress.png")
			self.assert_no_errors("technician opens In Progress")

			# Without the card's filters: every ticket assigned or shared to them, nobody else's.
			self.js("cur_list.filter_area.clear()")
			self.wait.until(
				lambda b: b.execute_script(
					"return !!(!cur_list.filter_area.get().some((f) => ['status', '_assign'].includes(f[1]))"
					" && cur_list.data.length !== 2 && !frappe.request.ajax_count)"
				)
			)
			self.assertEqual(
				sorted(self.js(LIST_NAMES)),
				sorted([t["working"], t["due"], t["waiting"], t["new"], t["shared"]]),
			)
			self.screenshot("my-work-ticket-list.png")
			# Nothing to create or change: no Phone Ticket button (the list's bulk actions need write too).
			buttons = self.js(
				"return cur_list.page.inner_toolbar.find('button').map((i, e) => e.textContent.trim()).get()"
			)
			self.assertIn("My Open Tickets", buttons)
			self.assertNotIn("Phone Ticket", buttons)

			# Another technician's ticket by its form URL: not permitted.
			self.browser.get(f"{self.server.url}/app/issue/{t['theirs']}")
			self.wait.until(
				lambda b: b.execute_script(
					"return !!(window.frappe && frappe.boot && !frappe.request.ajax_count)"
					" && /not permitted|insufficient permission/i.test(document.body.innerText)"
				)
			)
			self.assertFalse(
				self.js("return !!(window.cur_frm && cur_frm.docname === arguments[0])", t["theirs"])
			)
			self.assertNotIn("My Work browser: theirs", self.js("return document.body.innerText"))
			self.screenshot("my-work-not-permitted.png")
		finally:
			self.screenshot("my-work-technician.png")

	def test_technician_sees_todays_appointments_in_order(self):
		try:
			self.login(self.tech.user, to="/app/my-work")
			rows = self.wait.until(lambda b: b.execute_script(TODAY_ROWS))
			self.assertEqual(rows, [self.first.name, self.second.name])
		finally:
			self.screenshot("my-work-today.png")
