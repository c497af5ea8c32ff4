"""The managers' workload board (support_plus.api.technician_workload): the numbers match the tickets,
assignments, on-call shifts and appointments behind them; only managers (and viewers) see it."""

import frappe
from frappe.desk.query_report import run

from support_plus.api import assign_technician, respond_to_assignment, technician_workload
from support_plus.tests.appointment_fixtures import book, field_ticket
from support_plus.tests.dispatch_fixtures import (
	TUESDAY_10,
	drop_assignments,
	ensure_tech_users,
	make_team,
	make_technician,
	new_ticket,
)
from support_plus.tests.utils import AGENT, MANAGER, VIEWER, SupportTestCase


class TestWorkload(SupportTestCase):
	@classmethod
	def setUpClass(cls):
		ensure_tech_users()
		super().setUpClass()

	def test_numbers_match_what_is_behind_them(self):
		frappe.flags.current_time = TUESDAY_10
		busy = make_technician("ana", capacity=4)
		free = make_technician("ben", capacity=10, hours=("18:00", "22:00"))  # not working at 10:00
		away = make_technician("cal", status="Away")
		drop_assignments([busy.user, free.user, away.user])
		team = make_team("SP Workload Team", [busy, free, away])
		frappe.get_doc(
			{
				"doctype": "On-call Shift",
				"technician": free.name,
				"support_team": team,
				"from_time": "2026-12-01 08:00:00",
				"to_time": "2026-12-01 18:00:00",
			}
		).insert(ignore_permissions=True)
		frappe.set_user(AGENT)
		tickets = [new_ticket(subject=f"Workload {i}").name for i in range(3)]
		for name in tickets:
			assign_technician(name, busy.user)
		frappe.set_user(busy.user)
		respond_to_assignment(tickets[0], True)
		frappe.set_user("Administrator")
		visit = field_ticket().name
		book(busy, "2026-12-01 11:00:00", "2026-12-01 12:00:00", issue=visit)
		book(busy, "2026-12-01 14:00:00", "2026-12-01 15:00:00", issue=visit)
		book(busy, "2026-12-02 11:00:00", "2026-12-02 12:00:00", issue=visit)  # tomorrow
		cancelled = book(busy, "2026-12-01 16:00:00", "2026-12-01 17:00:00", issue=visit)
		cancelled.db_set("status", "Cancelled")

		frappe.set_user(MANAGER)
		board = {row["user"]: row for row in technician_workload(team)}
		self.assertEqual(set(board), {busy.user, free.user, away.user})
		ana = board[busy.user]
		self.assertEqual(
			(ana["open_tickets"], ana["capacity"], ana["load_percent"], ana["pending_acceptance"]),
			(3, 4, 75, 2),
		)
		self.assertEqual((ana["status"], ana["working_now"], ana["on_call_until"]), ("Active", True, None))
		self.assertEqual(ana["appointments_today"], 2)
		ben = board[free.user]
		self.assertEqual((ben["open_tickets"], ben["working_now"], ben["appointments_today"]), (0, False, 0))
		self.assertEqual(str(ben["on_call_until"]), "2026-12-01 18:00:00")
		self.assertEqual(board[away.user]["status"], "Away")
		self.assertEqual(technician_workload(team)[0]["user"], busy.user)  # fullest first

		# The desk's board (a Script Report) shows the same rows, with a chart of open tickets vs capacity.
		report = run("Technician Workload", filters={"team": team})
		self.assertEqual(
			[(r["user"], r["open_tickets"], r["appointments_today"]) for r in report["result"]],
			[(r["user"], r["open_tickets"], r["appointments_today"]) for r in technician_workload(team)],
		)
		self.assertEqual(report["chart"]["data"]["datasets"][1]["values"][0], 4)

	def test_only_managers_and_viewers(self):
		frappe.set_user(VIEWER)
		self.assertIsInstance(technician_workload(), list)
		self.assertIsInstance(run("Technician Workload", filters={})["result"], list)
		for user in (AGENT, make_technician("dan").user):
			frappe.set_user(user)
			self.assertRaises(frappe.PermissionError, technician_workload)
			self.assertRaises(frappe.PermissionError, run, "Technician Workload", filters={})
		frappe.set_user(MANAGER)
		self.assertRaises(frappe.DoesNotExistError, technician_workload, "No Such Team")
