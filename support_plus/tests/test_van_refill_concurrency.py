"""Two technicians' movements out of one van at the same moment still make one refill request: two OS
processes (each its own connection) issue from the van, commit, and run the refill job at once."""

from rq.job import JobStatus

import frappe
from frappe.utils.background_jobs import get_job, get_job_status, is_job_enqueued

from support_plus.parts import refill, vans
from support_plus.tests.dispatch_fixtures import ensure_tech_users
from support_plus.tests.processes import run_in_processes
from support_plus.tests.utils import SupportTestCase
from support_plus.tests.van_fixtures import (
	bin_qty,
	open_requests,
	stock_item,
	stock_van,
	stores,
	technician_with_van,
)

WORKER = """
import os, sys
import frappe
site, sites_path, van, item_code = sys.argv[1:5]
os.chdir(sites_path)
frappe.init(site=site, sites_path=sites_path)
frappe.connect()
frappe.set_user("Administrator")
from support_plus.tests.van_fixtures import move
from support_plus.parts.refill import refill_van
move(item_code, 1, source=van)
frappe.db.commit()  # queues the van's refill job after the commit
print(refill_van(van, commit=True))  # what the job does, in both processes at once
frappe.destroy()
"""


class TestConcurrentRefill(SupportTestCase):
	@classmethod
	def setUpClass(cls):
		ensure_tech_users()
		super().setUpClass()

	def test_two_movements_at_once_make_one_request(self):
		vans._drop_cache()
		frappe.db.set_single_value("Support Plus Settings", "van_refill_warehouse", stores())
		tech, van = technician_with_van("gus")
		# the van is kept between runs: earlier runs' par levels and requests go first
		frappe.db.delete("Item Reorder", {"warehouse": van})
		for name in open_requests(van):
			frappe.get_doc("Material Request", name).cancel()
		vans._drop_cache()
		item_code = stock_item("SP-RACE-" + frappe.generate_hash(length=8).upper())
		stock_van(van, item_code, par=4, qty=4, refill=1)
		frappe.db.commit()  # the workers see them
		job = refill.job_id(van)
		try:
			outputs = [out.strip() for out in run_in_processes(WORKER, van, item_code, count=2)]
			frappe.db.rollback()  # a fresh read of what the workers committed
			requests = open_requests(van)
			self.assertEqual(len(requests), 1, outputs)
			self.assertEqual(set(outputs) - {"None"}, set(requests))
			mr = frappe.get_doc("Material Request", requests[0])
			self.assertEqual([(r.item_code, r.qty) for r in mr.items], [(item_code, 2)])
			self.assertEqual(bin_qty(item_code, van), 2)
			self.assertEqual(bin_qty(item_code, van, "projected_qty"), 4)
			# the movements' commits queued the job, once (no worker runs it here)
			self.assertTrue(is_job_enqueued(job))
		finally:
			if queued := get_job(job):
				queued.delete()
			for name in frappe.get_all(
				"Material Request",
				filters={"set_warehouse": van, "docstatus": 1, "status": "Pending"},
				pluck="name",
			):
				frappe.get_doc("Material Request", name).cancel()
			frappe.delete_doc("Service Technician", tech.name, force=True, ignore_permissions=True)
			frappe.db.commit()
			vans._drop_cache()

	def test_a_movement_while_the_refill_runs_queues_one_more(self):
		"""The running refill may have read the van's stock before the movement: one more refill is queued
		behind it (the van's second job id), once, however many movements follow."""
		van = "SP Refill Queue Van " + frappe.generate_hash(length=6)
		first, again = refill.job_ids(van)
		try:
			refill.enqueue_refill(van)
			refill.enqueue_refill(van)  # queued already: nothing more
			self.assertEqual(get_job_status(first), JobStatus.QUEUED)
			self.assertIsNone(get_job(again))

			get_job(first).set_status(JobStatus.STARTED)  # a worker took it
			refill.enqueue_refill(van)
			refill.enqueue_refill(van)
			self.assertEqual(get_job_status(again), JobStatus.QUEUED)

			get_job(first).set_status(JobStatus.FINISHED)
			refill.enqueue_refill(van)  # the queued second one reads the stock after this movement too
			self.assertEqual(get_job_status(first), JobStatus.FINISHED)

			get_job(again).set_status(JobStatus.STARTED)
			refill.enqueue_refill(van)  # the first id is free again
			self.assertEqual(get_job_status(first), JobStatus.QUEUED)
		finally:
			for jid in (first, again):
				if job := get_job(jid):
					job.delete()
