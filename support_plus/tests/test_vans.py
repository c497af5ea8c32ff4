"""Vans, refills, waiting tickets and audits on ERPNext's real stock ledger (support_plus.parts): every
check reads ERPNext's own rows (Warehouse, Bin, Stock Ledger Entry, Material Request, Stock
Reconciliation), as the technician or manager who would ask."""

from datetime import timedelta

import frappe
from frappe.desk.form.assign_to import add as assign
from frappe.utils import add_days, getdate, today

from support_plus import api
from support_plus.overrides.reorder_item import ERPNEXT_JOB, reorder_item_without
from support_plus.parts import audit, refill, vans
from support_plus.support_plus.report.slow_moving_van_stock import slow_moving_van_stock
from support_plus.support_plus.report.van_audit_variance import van_audit_variance
from support_plus.support_plus.report.van_stock import van_stock as van_stock_report
from support_plus.tests.dispatch_fixtures import ensure_tech_users, new_ticket
from support_plus.tests.utils import AGENT, MANAGER, SupportTestCase, make_user
from support_plus.tests.van_fixtures import (
	bin_qty,
	move,
	open_requests,
	stock_item,
	stock_van,
	stores,
	technician_with_van,
)
from support_plus.tests.warranty_fixtures import company

STOCK_MANAGER = "sp-stock-manager@example.com"


class VanTestCase(SupportTestCase):
	@classmethod
	def setUpClass(cls):
		ensure_tech_users()
		make_user(STOCK_MANAGER, ["Stock Manager", "Stock User"])  # as ERPNext's setup gives them together
		super().setUpClass()

	def setUp(self):
		# Each test on its own: the class's rollback comes only at its end.
		frappe.db.savepoint("sp_van_test")
		vans._drop_cache()
		frappe.db.set_single_value("Support Plus Settings", "van_refill_warehouse", stores())

	def tearDown(self):
		super().tearDown()
		frappe.db.rollback(save_point="sp_van_test")
		vans._drop_cache()
		refill._forget_pending()


class TestVans(VanTestCase):
	def test_create_van_is_idempotent_and_under_the_vans_group(self):
		tech, van = technician_with_van("ana")
		self.assertEqual(tech.van_warehouse, van)
		group = frappe.db.get_value("Warehouse", van, "parent_warehouse")
		self.assertEqual(frappe.db.get_value("Warehouse", group, ["warehouse_name", "is_group"]), ("Vans", 1))
		self.assertEqual(frappe.db.get_value("Warehouse", van, "company"), company())
		frappe.set_user(MANAGER)
		self.assertEqual(api.create_van(tech.name), van)
		self.assertEqual(frappe.db.count("Warehouse", {"parent_warehouse": group, "name": van}), 1)
		self.assertEqual(frappe.db.count("Warehouse", {"warehouse_name": "Vans", "company": company()}), 1)

	def test_create_van_refuses_technicians_and_unknown_profiles(self):
		tech, _van = technician_with_van("ana")
		frappe.set_user(tech.user)
		self.assertRaises(frappe.PermissionError, api.create_van, tech.name)
		frappe.set_user(MANAGER)
		with self.assertRaisesRegex(frappe.DoesNotExistError, "does not exist"):
			api.create_van("nobody@example.com")

	def test_van_stock_statuses_from_bin_and_item_reorder(self):
		tech, van = technician_with_van("ana")
		for code, par, qty in (("SP-LCD", 3, 1), ("SP-BATT", 5, 6), ("SP-RAM", 4, 0), ("SP-CABLE", 10, 12)):
			stock_item(code)
			stock_van(van, code, par, qty)
		frappe.set_user(tech.user)
		rows = {row["item_code"]: row for row in api.van_stock(van)}
		self.assertEqual(
			{code: (row["par_level"], row["actual_qty"], row["status"]) for code, row in rows.items()},
			{
				"SP-LCD": (3, 1, "Below Par"),
				"SP-BATT": (5, 6, "OK"),
				"SP-RAM": (4, 0, "Out of Stock"),
				"SP-CABLE": (10, 12, "OK"),
			},
		)
		self.assertEqual(rows["SP-LCD"]["actual_qty"], bin_qty("SP-LCD", van))
		self.assertEqual(set(rows["SP-LCD"]), {"item_code", "item_name", "par_level", "actual_qty", "status"})

	def test_van_stock_is_the_technicians_own(self):
		ana, ana_van = technician_with_van("ana")
		_ben, ben_van = technician_with_van("ben")
		frappe.set_user(ana.user)
		with self.assertRaisesRegex(frappe.PermissionError, "another technician"):
			api.van_stock(ben_van)
		with self.assertRaisesRegex(frappe.DoesNotExistError, "does not exist"):
			api.van_stock("No Such Van - SPT")
		with self.assertRaisesRegex(frappe.ValidationError, "not a technician's van"):
			api.van_stock(stores())
		frappe.set_user(AGENT)
		self.assertRaises(frappe.PermissionError, api.van_stock, ana_van)
		for manager in (MANAGER, STOCK_MANAGER):
			frappe.set_user(manager)
			self.assertEqual(api.van_stock(ben_van), [])

	def test_status_rule_in_python_and_sql_agree(self):
		cases = [(a, p) for a in (-1, 0, 0.5, 1, 2.5, 3, 4, 12) for p in (0, 1, 3, 4)]
		sql = " union all ".join(
			f"select {a} as a, {p} as p, " + vans.STATUS_SQL.format(actual=str(a), par=str(p))
			for a, p in cases
		)
		self.assertEqual([row[2] for row in frappe.db.sql(sql)], [vans.stock_status(a, p) for a, p in cases])

	def test_van_stock_report_one_van_or_all(self):
		ana, ana_van = technician_with_van("ana")
		_ben, ben_van = technician_with_van("ben")
		stock_item("SP-LCD")
		stock_van(ana_van, "SP-LCD", 3, 1)
		stock_van(ben_van, "SP-LCD", 3, 0)
		frappe.set_user(MANAGER)
		rows = van_stock_report.execute({})[1]
		mine = {(r.warehouse, r.item_code): r.status for r in rows if r.item_code == "SP-LCD"}
		self.assertEqual(mine, {(ana_van, "SP-LCD"): "Below Par", (ben_van, "SP-LCD"): "Out of Stock"})
		frappe.set_user(ana.user)
		self.assertEqual({r.warehouse for r in van_stock_report.execute({})[1]}, {ana_van})
		self.assertRaises(frappe.PermissionError, van_stock_report.execute, {"warehouse": ben_van})

	def test_the_van_reports_open_for_the_van_roles_only(self):
		from frappe.desk.query_report import run

		ana, ana_van = technician_with_van("ana")
		stock_item("SP-LCD")
		stock_van(ana_van, "SP-LCD", 3, 1)
		for user in (ana.user, STOCK_MANAGER, MANAGER):
			frappe.set_user(user)
			for report in ("Van Stock", "Van Audit Variance", "Slow-Moving Van Stock"):
				run(report, filters={})
			rows = run("Van Stock", filters={"warehouse": ana_van})["result"]
			self.assertEqual([(r["item_code"], r["status"]) for r in rows], [("SP-LCD", "Below Par")])
		frappe.set_user(AGENT)
		self.assertRaises(frappe.PermissionError, run, "Van Stock", filters={})


class TestRefill(VanTestCase):
	def test_below_par_makes_one_request_then_tops_it_up(self):
		_tech, van = technician_with_van("ana")
		stock_item("SP-LCD")
		stock_item("SP-RAM")
		stock_van(van, "SP-LCD", par=3, qty=3, refill=2)
		stock_van(van, "SP-RAM", par=4, qty=4, refill=1)
		refill._forget_pending()
		move("SP-LCD", 2, source=van)  # 1 left, par 3
		self.assertEqual(refill.pending_refills(), {van})  # queued for after the commit
		first = refill.refill_van(van)
		self.assertEqual(open_requests(van), [first])
		mr = frappe.get_doc("Material Request", first)
		self.assertEqual((mr.material_request_type, mr.set_from_warehouse), ("Material Transfer", stores()))
		self.assertEqual(
			[(r.item_code, r.qty, r.from_warehouse) for r in mr.items], [("SP-LCD", 2, stores())]
		)
		self.assertEqual(bin_qty("SP-LCD", van, "indented_qty"), 2)
		self.assertIsNone(refill.refill_van(van))  # nothing more is needed: no change
		self.assertEqual(frappe.get_doc("Material Request", first).items[0].qty, 2)

		move("SP-LCD", 1, source=van)  # 0 left, 2 coming: 1 more
		move("SP-RAM", 3, source=van)  # 1 left: 3 more
		self.assertEqual(refill.refill_van(van), first)
		mr = frappe.get_doc("Material Request", first)
		# each need is at least the refill quantity (ERPNext's rule for a reorder quantity)
		self.assertEqual(sorted((r.item_code, r.qty) for r in mr.items), [("SP-LCD", 4), ("SP-RAM", 3)])
		self.assertEqual(open_requests(van), [first])
		self.assertEqual(bin_qty("SP-LCD", van, "indented_qty"), 4)
		self.assertEqual(bin_qty("SP-RAM", van, "projected_qty"), 4)

	def test_receiving_closes_it_and_resumes_the_waiting_ticket(self):
		from erpnext.stock.doctype.material_request.material_request import make_stock_entry

		tech, van = technician_with_van("ana")
		stock_item("SP-LCD")
		stock_van(van, "SP-LCD", par=3, qty=1, refill=2)
		ticket = new_ticket("Screen broken")
		assign({"assign_to": [tech.user], "doctype": "Issue", "name": ticket.name})
		frappe.set_user(AGENT)
		ticket.reload()
		ticket.status = "Pending Parts"
		ticket.waiting_for_item = "SP-LCD"
		ticket.save()
		frappe.set_user("Administrator")
		name = refill.refill_van(van)

		transfer = make_stock_entry(name)
		transfer.insert()
		transfer.submit()
		mr = frappe.get_doc("Material Request", name)
		self.assertEqual((mr.status, mr.per_ordered), ("Transferred", 100))
		self.assertEqual(open_requests(van), [])
		self.assertEqual(bin_qty("SP-LCD", van), 3)
		self.assertEqual(bin_qty("SP-LCD", van, "indented_qty"), 0)
		self.assertEqual(frappe.db.get_value("Issue", ticket.name, "status"), "In Progress")
		self.assertTrue(
			frappe.db.exists(
				"Notification Log",
				{"for_user": tech.user, "document_name": ticket.name, "subject": ("like", "%SP-LCD%")},
			)
		)
		self.assertTrue(
			frappe.db.exists(
				"Comment",
				{"reference_name": ticket.name, "comment_type": "Info", "content": ("like", "%SP-LCD%")},
			)
		)

	def test_parts_for_another_van_or_item_leave_the_ticket_waiting(self):
		tech, van = technician_with_van("ana")
		_ben, ben_van = technician_with_van("ben")
		stock_item("SP-LCD")
		stock_item("SP-RAM")
		ticket = new_ticket("Screen broken")
		assign({"assign_to": [tech.user], "doctype": "Issue", "name": ticket.name})
		ticket.reload()
		ticket.status = "Pending Parts"
		ticket.waiting_for_item = "SP-LCD"
		ticket.save()
		move("SP-LCD", 5, target=stores())
		move("SP-RAM", 5, target=stores())
		move("SP-LCD", 1, source=stores(), target=ben_van)
		move("SP-RAM", 1, source=stores(), target=van)
		self.assertEqual(frappe.db.get_value("Issue", ticket.name, "status"), "Pending Parts")

	def test_erpnext_reorder_leaves_the_vans_to_us(self):
		_tech, van = technician_with_van("ana")
		stock_item("SP-LCD")
		stock_item("SP-STORES")
		stock_van(van, "SP-LCD", par=3, qty=3, refill=1)
		move("SP-LCD", 2, source=van)
		name = refill.refill_van(van)  # asks for 2: projected back at par 3
		item = frappe.get_doc("Item", "SP-STORES")
		item.append(
			"reorder_levels",
			{
				"warehouse": stores(),
				"warehouse_reorder_level": 5,
				"warehouse_reorder_qty": 5,
				"material_request_type": "Purchase",
			},
		)
		item.save()
		frappe.db.set_single_value("Stock Settings", "auto_indent", 1)

		def van_lines():
			return frappe.db.count("Material Request Item", {"warehouse": van, "docstatus": 1})

		made = reorder_item_without(set(vans.vans()))
		self.assertEqual(van_lines(), 1)
		self.assertEqual(open_requests(van), [name])
		self.assertIn(("SP-STORES", stores()), [(r.item_code, r.warehouse) for mr in made for r in mr.items])
		self.assertEqual(frappe.db.get_value("Scheduled Job Type", {"method": ERPNEXT_JOB}, "stopped"), 1)
		self.assertIn(
			"support_plus.parts.refill.daily_reorder",
			frappe.get_hooks("scheduler_events")["cron"]["45 0 * * *"],
		)
		# ERPNext's job alone asks again for the van at its par level: what the replacement prevents.
		from erpnext.stock.reorder_item import reorder_item

		reorder_item()
		self.assertEqual(van_lines(), 2)


class TestVanAudit(VanTestCase):
	def test_audit_posts_the_variance(self):
		tech, van = technician_with_van("ana")
		for code, qty in (("SP-LCD", 2), ("SP-BATT", 6)):
			stock_item(code)
			stock_van(van, code, par=3, qty=qty)
		frappe.set_user(tech.user)
		name = api.start_van_audit(van)
		self.assertEqual(api.start_van_audit(van), name)  # the open one
		doc = frappe.get_doc("Stock Reconciliation", name)
		self.assertEqual(doc.docstatus, 0)
		self.assertEqual(sorted((r.item_code, r.qty) for r in doc.items), [("SP-BATT", 6), ("SP-LCD", 2)])
		self.assertEqual(api.record_van_count(name, {"SP-LCD": 1}), {"SP-LCD": -1, "SP-BATT": 0})
		self.assertEqual(api.submit_van_audit(name), name)

		self.assertEqual(bin_qty("SP-LCD", van), 1)
		self.assertEqual(
			frappe.db.get_value(
				"Stock Ledger Entry",
				{"voucher_no": name, "item_code": "SP-LCD", "warehouse": van, "is_cancelled": 0},
				"qty_after_transaction",
			),
			1,
		)
		self.assertEqual(
			frappe.db.get_value("Service Technician", tech.name, "van_audited_on"), getdate(today())
		)
		rows = van_audit_variance.execute({"warehouse": van})[1]
		self.assertEqual(
			[(r.item_code, r.audit, r.system_qty, r.counted_qty, r.variance) for r in rows],
			[("SP-LCD", name, 2, 1, -1)],
		)
		self.assertEqual(rows[0].variance_amount, -25)

	def test_matching_counts_post_nothing_but_count_as_the_audit(self):
		tech, van = technician_with_van("ana")
		stock_item("SP-LCD")
		stock_van(van, "SP-LCD", par=3, qty=2)
		frappe.set_user(tech.user)
		name = api.start_van_audit(van)
		self.assertIsNone(api.submit_van_audit(name))
		self.assertFalse(frappe.db.exists("Stock Reconciliation", name))
		self.assertEqual(
			frappe.db.get_value("Service Technician", tech.name, "van_audited_on"), getdate(today())
		)

	def test_audit_refuses_other_vans_and_bad_counts(self):
		_ana, ana_van = technician_with_van("ana")
		ben, ben_van = technician_with_van("ben")
		stock_item("SP-LCD")
		stock_van(ana_van, "SP-LCD", par=3, qty=2)
		stock_van(ben_van, "SP-LCD", par=3, qty=2)
		frappe.set_user(ben.user)
		self.assertRaises(frappe.PermissionError, api.start_van_audit, ana_van)
		name = api.start_van_audit(ben_van)
		with self.assertRaisesRegex(frappe.ValidationError, "below zero"):
			api.record_van_count(name, {"SP-LCD": -1})
		with self.assertRaisesRegex(frappe.ValidationError, "not in van audit"):
			api.record_van_count(name, {"SP-NOPE": 1})
		frappe.set_user(MANAGER)
		other = api.start_van_audit(ana_van)
		frappe.set_user(ben.user)
		self.assertRaises(frappe.PermissionError, api.record_van_count, other, {"SP-LCD": 1})
		self.assertRaises(frappe.PermissionError, api.submit_van_audit, other)

	def test_reminder_once_per_due_audit(self):
		tech, van = technician_with_van("ana", van_audit_interval="Weekly")
		start = getdate("2026-12-01")

		def reminders():
			return frappe.db.count("Notification Log", {"for_user": tech.user, "document_name": van})

		audit.remind_due_audits(start)  # never audited: due now
		self.assertEqual(reminders(), 1)
		audit.remind_due_audits(start)
		audit.remind_due_audits(start + timedelta(days=1))
		self.assertEqual(reminders(), 1)
		audit.mark_audited(van, start + timedelta(days=2))
		audit.remind_due_audits(start + timedelta(days=8))  # due on the 9th
		self.assertEqual(reminders(), 1)
		audit.remind_due_audits(start + timedelta(days=9))
		audit.remind_due_audits(start + timedelta(days=10))
		self.assertEqual(reminders(), 2)
		frappe.db.set_value("Service Technician", tech.name, "van_audit_interval", "Monthly")
		audit.remind_due_audits(start + timedelta(days=20))
		self.assertEqual(reminders(), 2)  # due 3 January
		audit.remind_due_audits(getdate("2027-01-03"))
		self.assertEqual(reminders(), 3)


class TestSlowMovingVanStock(VanTestCase):
	def test_items_without_movement_for_90_days(self):
		tech, van = technician_with_van("ana")
		stock_item("SP-OLD")
		stock_item("SP-NEW")
		from erpnext.stock.doctype.stock_entry.stock_entry_utils import make_stock_entry

		old = add_days(today(), -120)
		make_stock_entry(
			item_code="SP-OLD", qty=2, to_warehouse=van, company=company(), rate=10, posting_date=old
		)
		move("SP-NEW", 2, target=van)
		frappe.set_user(tech.user)
		rows = slow_moving_van_stock.execute({})[1]
		self.assertEqual([(r.item_code, r.actual_qty, r.days_since) for r in rows], [("SP-OLD", 2, 120)])
		self.assertEqual(slow_moving_van_stock.execute({"days": 200})[1], [])
