"""Two OS processes invoicing the same ticket at the same moment make one invoice: the ticket row is locked
and the draft and parts are read by locking reads (support_plus/parts/billing.py), so the second finds the
first one's draft although its own snapshot was taken before that was committed."""

import time

import frappe

from support_plus.tests import billing_fixtures as fx
from support_plus.tests.dispatch_fixtures import make_technician
from support_plus.tests.processes import run_in_processes
from support_plus.tests.utils import AGENT, SupportTestCase, make_customer, make_item

WORKER = """
import os, sys, time
import frappe
site, sites_path, issue, user, start_at = sys.argv[1:6]
os.chdir(sites_path)
frappe.init(site=site, sites_path=sites_path)
frappe.connect()
frappe.set_user(user)
frappe.get_all("Sales Invoice", limit=1)  # this transaction's snapshot starts before the other commits
time.sleep(max(0, float(start_at) - time.time()))
from support_plus.api import make_service_invoice
name = make_service_invoice(issue)
time.sleep(1)  # a slow request: the other one waits for the ticket meanwhile
frappe.db.commit()
print(name)
frappe.destroy()
"""

CUSTOMER = "SP Billing Race Customer"
LABOUR = "SP-RACE-LABOUR"


class TestConcurrentInvoicing(SupportTestCase):
	def test_two_processes_make_one_invoice(self):
		settings_before = frappe.db.get_single_value("Support Plus Settings", "labour_item")
		make_customer(CUSTOMER)
		make_item(LABOUR, is_stock_item=False)
		frappe.db.set_value("Item", LABOUR, "stock_uom", "Hour")
		fx.set_price(LABOUR, 60)
		frappe.db.set_single_value("Support Plus Settings", "labour_item", LABOUR)
		tech = make_technician("eve", hours=None)
		issue = frappe.get_doc({"doctype": "Issue", "subject": "Billing race", "customer": CUSTOMER}).insert(
			ignore_permissions=True
		)
		appointment = frappe.get_doc(
			{
				"doctype": "Service Appointment",
				"issue": issue.name,
				"technician": tech.name,
				"scheduled_start": "2026-08-03 10:00:00",
				"scheduled_end": "2026-08-03 12:00:00",
			}
		).insert(ignore_permissions=True)
		appointment.status, appointment.work_done, appointment.time_spent_minutes = "Completed", "Fixed", 90
		appointment.save(ignore_permissions=True)
		frappe.db.commit()  # the workers see it all; removed below
		try:
			start_at = str(time.time() + 8)  # both are connected by then
			outputs = run_in_processes(WORKER, issue.name, AGENT, start_at, count=2)
			names = {out.strip() for out in outputs}
			frappe.db.rollback()  # a fresh read of what the workers committed
			invoices = frappe.get_all("Sales Invoice", filters={"issue": issue.name}, pluck="name")
			self.assertEqual(len(invoices), 1)
			self.assertEqual(names, set(invoices))
			lines = frappe.get_all(
				"Sales Invoice Item", filters={"parent": invoices[0]}, fields=["item_code", "qty", "amount"]
			)
			self.assertEqual([(r.item_code, r.qty, r.amount) for r in lines], [(LABOUR, 1.5, 90.0)])
		finally:
			frappe.db.rollback()
			for name in frappe.get_all("Sales Invoice", filters={"issue": issue.name}, pluck="name"):
				frappe.delete_doc("Sales Invoice", name, force=True, ignore_permissions=True)
			visit = frappe.db.get_value("Service Appointment", appointment.name, "maintenance_visit")
			frappe.db.delete("Service Appointment", {"name": appointment.name})
			if visit:
				frappe.db.delete("Maintenance Visit Purpose", {"parent": visit})
				frappe.db.delete("Maintenance Visit", {"name": visit})
			frappe.delete_doc("Issue", issue.name, force=True, ignore_permissions=True)
			frappe.delete_doc("Service Technician", tech.name, force=True, ignore_permissions=True)
			frappe.db.delete("Item Price", {"item_code": LABOUR})
			frappe.db.set_single_value("Support Plus Settings", "labour_item", settings_before)
			frappe.db.commit()
