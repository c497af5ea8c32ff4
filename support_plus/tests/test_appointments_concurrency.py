"""No double booking when four OS processes book the same technician at the same moment, each holding its
transaction open a while after its check (as a slow request would)."""

import time

import frappe

from support_plus.tests.dispatch_fixtures import ensure_tech_users, make_technician
from support_plus.tests.processes import run_in_processes
from support_plus.tests.utils import AGENT, SupportTestCase

WORKER = """
import os, sys, time
import frappe
site, sites_path, technician, agent, start_at, index = sys.argv[1:7]
os.chdir(sites_path)
frappe.init(site=site, sites_path=sites_path)
frappe.connect()
frappe.set_user(agent)
frappe.get_all("Service Appointment", limit=1)  # this transaction's snapshot starts before the others commit
time.sleep(max(0, float(start_at) - time.time()))
try:
	frappe.get_doc({
		"doctype": "Service Appointment",
		"technician": technician,
		"scheduled_start": "2026-12-09 10:00:00",
		"scheduled_end": "2026-12-09 11:00:00",
		"notes": "race",
	}).insert()
	time.sleep(1)
	frappe.db.commit()
	print("booked")
except frappe.ValidationError as e:
	frappe.db.rollback()
	print("refused")
frappe.destroy()
"""


class TestConcurrentBooking(SupportTestCase):
	@classmethod
	def setUpClass(cls):
		ensure_tech_users()
		super().setUpClass()

	def test_four_processes_book_one_slot_once(self):
		cal = make_technician("cal")
		frappe.db.delete("Service Appointment", {"technician": cal.name})
		frappe.db.commit()  # the workers see the profile; cleaned up below
		try:
			start_at = str(time.time() + 8)  # all four are connected by then
			outputs = run_in_processes(WORKER, cal.name, AGENT, start_at, "0", count=4)
			results = sorted(out.strip() for out in outputs)
			self.assertEqual(results, ["booked", "refused", "refused", "refused"])
			frappe.db.rollback()  # a fresh read of what the workers committed
			self.assertEqual(frappe.db.count("Service Appointment", {"technician": cal.name}), 1)
		finally:
			frappe.db.delete("Service Appointment", {"technician": cal.name})
			frappe.delete_doc("Service Technician", cal.name, force=True, ignore_permissions=True)
			frappe.db.commit()
