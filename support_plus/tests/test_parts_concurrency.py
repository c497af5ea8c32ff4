"""The last unit in a van is used once when two people take it at the same moment: two OS processes with
their own database connections, each holding its transaction open a while after using the part (as a slow
request would). The second gets a clear "not in stock" error and leaves nothing behind."""

import subprocess
import sys
import time

import frappe

from support_plus.parts.usage import LINK_FIELD
from support_plus.tests.dispatch_fixtures import ensure_tech_users, tech_user
from support_plus.tests.parts_fixtures import (
	CUSTOMER,
	assign,
	bin_qty,
	make_warehouse,
	receive,
	technician_with_van,
	ticket,
)
from support_plus.tests.utils import MANAGER, SupportTestCase, make_customer, make_item

ITEM = "SP-PART-RACE"

WORKER = """
import os, sys, time
import frappe
site, sites_path, user, issue, warehouse, item, start_at = sys.argv[1:8]
os.chdir(sites_path)
frappe.init(site=site, sites_path=sites_path)
frappe.connect()
frappe.set_user(user)
frappe.get_all("Bin", limit=1)  # this transaction's snapshot starts before the other commits
time.sleep(max(0, float(start_at) - time.time()))
from support_plus.parts.usage import use_part
try:
	name = use_part(issue, item, 1, None, warehouse or None, "Consumed")
	time.sleep(1)
	frappe.db.commit()
	print("used", name)
except frappe.ValidationError as e:
	frappe.db.rollback()
	print("refused", type(e).__name__, frappe.utils.strip_html(str(e)))
frappe.destroy()
"""


class TestLastUnitRace(SupportTestCase):
	@classmethod
	def setUpClass(cls):
		ensure_tech_users()
		super().setUpClass()

	def test_two_processes_take_the_last_unit_once(self):
		clean_item()  # what an interrupted earlier run left
		make_customer(CUSTOMER)
		make_item(ITEM)
		van = make_warehouse("SP Race Van")
		technician = technician_with_van("ned", van)
		ned = tech_user("ned")
		tickets = [ticket(), ticket()]
		assign(tickets[0], ned)
		receive(ITEM, van, qty=1, rate=10)
		year = frappe.utils.nowdate()[:4]
		frappe.db.sql("insert ignore into `tabSeries` (name, current) values (%s, 0)", f"SPU-{year}-")
		usages_before = frappe.db.count("Service Part Usage", {"item_code": ITEM})
		issued = {"item_code": ITEM, "warehouse": van, "actual_qty": ("<", 0), "is_cancelled": 0}
		issued_before = frappe.get_all("Stock Ledger Entry", filters=issued, pluck="voucher_no")
		frappe.db.commit()  # the workers see it all; cleaned up below
		try:
			start_at = str(time.time() + 8)  # both are connected by then
			runs = [(ned, tickets[0], ""), (MANAGER, tickets[1], van)]
			processes = [
				subprocess.Popen(
					[
						sys.executable,
						"-c",
						WORKER,
						frappe.local.site,
						frappe.local.sites_path,
						*run,
						ITEM,
						start_at,
					],
					stdout=subprocess.PIPE,
					stderr=subprocess.PIPE,
					text=True,
				)
				for run in runs
			]
			outputs = []
			for process in processes:
				out, err = process.communicate(timeout=300)
				self.assertEqual(process.returncode, 0, err[-3000:])
				outputs.append(out.strip())
			frappe.db.rollback()  # a fresh read of what the workers committed
			results = sorted(out.split(" ", 1)[0] for out in outputs)
			self.assertEqual(results, ["refused", "used"], outputs)
			refusal = next(out for out in outputs if out.startswith("refused"))
			self.assertIn("NotInStockError", refusal)
			self.assertIn("is not in stock in", refusal)
			self.assertEqual(bin_qty(ITEM, van), 0)
			usages = frappe.get_all(
				"Service Part Usage", filters={"item_code": ITEM, "docstatus": 1}, pluck="name"
			)
			self.assertEqual(frappe.db.count("Service Part Usage", {"item_code": ITEM}), usages_before + 1)
			issues = [
				v
				for v in frappe.get_all("Stock Ledger Entry", filters=issued, pluck="voucher_no")
				if v not in issued_before
			]
			self.assertEqual(len(issues), 1)
			self.assertIn(frappe.db.get_value("Stock Entry", issues[0], LINK_FIELD), usages)
		finally:
			frappe.db.rollback()
			clean_item()
			for name in tickets:
				frappe.delete_doc("Issue", name, force=True, ignore_permissions=True)
			frappe.delete_doc("Service Technician", technician.name, force=True, ignore_permissions=True)
			frappe.db.commit()


def clean_item() -> None:
	"""Cancel and drop the race's usages, and cancel its receipts: the van is empty again."""
	for name in frappe.get_all(
		"Service Part Usage",
		filters={"item_code": ITEM, "docstatus": 1},
		pluck="name",
		order_by="creation desc",
	):
		frappe.get_doc("Service Part Usage", name).cancel()
	receipts = frappe.get_all(
		"Stock Entry Detail",
		filters={"item_code": ITEM, "docstatus": 1},
		pluck="parent",
		order_by="creation desc",
	)
	for name in dict.fromkeys(receipts):
		frappe.get_doc("Stock Entry", name).cancel()
	for name in frappe.get_all("Service Part Usage", filters={"item_code": ITEM}, pluck="name"):
		frappe.delete_doc("Service Part Usage", name, force=True, ignore_permissions=True)
	frappe.db.commit()
