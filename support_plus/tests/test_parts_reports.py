"""The Parts Usage, Parts Shortage and Service Revenue reports against a small hand-computed data set:
parts used through use_part on real stock (filters cost 30.00, list 40.00 + 10%; gaskets cost 5.00, no
price), status changes tracked by Frappe's Versions at fixed times, service invoices submitted in two
months."""

import frappe

from support_plus import api
from support_plus.parts.quota import counts_against_quota
from support_plus.support_plus.report.parts_shortage import parts_shortage
from support_plus.support_plus.report.parts_usage import parts_usage
from support_plus.support_plus.report.service_revenue import service_revenue
from support_plus.tests import billing_fixtures as fx
from support_plus.tests.utils import AGENT, FINANCE, MANAGER, SALES, SupportTestCase
from support_plus.tests.warranty_fixtures import company, make_contract

JUNE = {"from_date": "2026-06-01", "to_date": "2026-06-30"}


def by_group(report, **filters):
	_columns, rows, *_rest = report.execute({**JUNE, **filters})
	return {row["group"]: row for row in rows}


class TestPartsReports(SupportTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		fx.setup_billing_masters()
		fx.receive_parts(fx.FILTER, 20, 30)
		fx.receive_parts(fx.GASKET, 20, fx.GASKET_COST)
		expired = fx.delivered_serial(fx.SHORT, "SPR-OUT-1")
		warranty = fx.delivered_serial(fx.EQUIPMENT, "SPR-WTY-1")
		on_contract = fx.delivered_serial(fx.SHORT, "SPR-CMC-1")
		other_serial = fx.delivered_serial(fx.SHORT, "SPR-OUT-2", fx.OTHER)
		make_contract(fx.CUSTOMER, "2026-01-01", "2026-12-31", serials=[on_contract], contract_type="CMC")
		cls.tech = fx.technician()
		frappe.set_user(AGENT)
		cls.t1 = fx.ticket("Reports: out of warranty", serial_no=expired)
		cls.t2 = fx.ticket("Reports: warranty", serial_no=warranty)
		cls.t3 = fx.ticket("Reports: contract", serial_no=on_contract)
		cls.t4 = fx.ticket("Reports: other customer", customer=fx.OTHER, serial_no=other_serial)
		cls.usages = [
			fx.use(cls.t1, fx.FILTER, 2, technician=cls.tech),  # chargeable: cost 60, amount 88
			fx.use(cls.t1, fx.GASKET, 1, technician=cls.tech),  # chargeable: cost 5, amount 5.50
			fx.use(cls.t2, fx.FILTER, 1),  # warranty: cost 30
			fx.use(cls.t3, fx.FILTER, 1, technician=cls.tech),  # contract: cost 30, quota 44
			fx.use(cls.t4, fx.GASKET, 3),  # chargeable: cost 15, amount 16.50
			# not counted: before the period, and a loaner
			fx.use(cls.t1, fx.FILTER, 1, posting_date="2026-05-20"),
			fx.use(cls.t1, fx.FILTER, 1, usage_type="Loaner", expected_return_date="2026-06-20"),
		]
		frappe.set_user("Administrator")

	def setUp(self):
		frappe.flags.current_time = "2026-06-04 16:00:00"

	def test_parts_usage_by_customer_ticket_and_technician(self):
		frappe.set_user(MANAGER)
		rows = by_group(parts_usage, group_by="Customer")
		mine = rows[fx.CUSTOMER]
		self.assertEqual((mine["usages"], mine["qty"], mine["cost"]), (4, 5.0, 125.0))  # 60 + 5 + 30 + 30
		self.assertEqual(
			(mine["chargeable_qty"], mine["chargeable_cost"], mine["chargeable_amount"]), (3.0, 65.0, 93.5)
		)
		self.assertEqual((mine["warranty_qty"], mine["warranty_cost"]), (1.0, 30.0))
		self.assertEqual(
			(mine["contract_qty"], mine["contract_cost"], mine["contract_amount"]), (1.0, 30.0, 44.0)
		)
		other = rows[fx.OTHER]
		self.assertEqual(
			(other["usages"], other["qty"], other["cost"], other["chargeable_amount"]), (1, 3.0, 15.0, 16.5)
		)
		tickets = by_group(parts_usage, group_by="Ticket", customer=fx.CUSTOMER)
		self.assertEqual(set(tickets), {self.t1.name, self.t2.name, self.t3.name})
		self.assertEqual((tickets[self.t1.name]["qty"], tickets[self.t1.name]["cost"]), (3.0, 65.0))
		techs = by_group(parts_usage, group_by="Technician", technician=self.tech)
		self.assertEqual(list(techs), [self.tech])
		self.assertEqual((techs[self.tech]["usages"], techs[self.tech]["cost"]), (3, 95.0))
		# May holds only the backdated filter
		may = by_group(parts_usage, group_by="Item", from_date="2026-05-01", to_date="2026-05-31")
		self.assertEqual({k: v["qty"] for k, v in may.items()}, {fx.FILTER: 1.0})

	def test_contract_rule_sql_and_python_agree(self):
		from support_plus.parts.quota import COVERED_BY_CONTRACT_SQL

		names = [usage.name for usage in self.usages]
		in_sql = set(
			frappe.db.sql(
				f"""select name from `tabService Part Usage`
				where name in %(names)s and {COVERED_BY_CONTRACT_SQL}""",
				{"names": names},
				pluck=True,
			)
		)
		in_python = {usage.name for usage in self.usages if counts_against_quota(usage)}
		self.assertEqual(in_sql, in_python)
		self.assertEqual(len(in_python), 1)  # the contract ticket's filter; not the warranty one

	def test_parts_usage_permissions_and_bad_input(self):
		frappe.set_user(SALES)
		with self.assertRaises(frappe.PermissionError):
			parts_usage.execute({**JUNE, "group_by": "Customer"})
		frappe.set_user(MANAGER)
		with self.assertRaisesRegex(frappe.ValidationError, "before it starts"):
			parts_usage.execute({"from_date": "2026-06-30", "to_date": "2026-06-01"})
		with self.assertRaisesRegex(frappe.ValidationError, "Group By"):
			parts_usage.execute({**JUNE, "group_by": "Colour"})

	def test_parts_shortage_waits_from_tracked_status_changes(self):
		frappe.set_user(AGENT)
		waiting = fx.ticket("Reports: waits twice")
		earlier = fx.ticket("Reports: waited in May")
		has_item = parts_shortage.has_waiting_item_field()
		times = {}
		for doc, status, at in (
			(waiting, "Pending Parts", "2026-06-02 09:00:00"),
			(waiting, "In Progress", "2026-06-03 15:00:00"),  # 30 h waited
			(waiting, "Pending Parts", "2026-06-04 10:00:00"),  # still waiting at 16:00: 6 h
			(earlier, "Pending Parts", "2026-05-20 09:00:00"),  # started before the period
			(earlier, "In Progress", "2026-06-02 09:00:00"),
		):
			doc.reload()
			doc.status = status
			if has_item and status == "Pending Parts":
				doc.waiting_for_item = fx.GASKET
			doc.save(ignore_version=False)  # tests skip Frappe's change tracking unless asked
			times[self.last_version(doc.name, times)] = at
		frappe.set_user("Administrator")
		for version, at in times.items():  # Frappe stamps Versions with the real clock: put them in place
			frappe.db.set_value("Version", version, "creation", at, update_modified=False)
		frappe.set_user(MANAGER)
		_columns, rows, *_rest = parts_shortage.execute(JUNE)
		rows = [row for row in rows if row["issue"] in (waiting.name, earlier.name)]
		self.assertEqual(
			[(row["issue"], row["hours"], row["waiting"]) for row in rows],
			[(waiting.name, 30.0, 0), (waiting.name, 6.0, 1)],
		)
		self.assertEqual({row["item_code"] for row in rows}, {fx.GASKET if has_item else None})
		frappe.set_user(SALES)
		_columns, rows, *_rest = parts_shortage.execute(JUNE)
		self.assertFalse([row for row in rows if row["issue"] == waiting.name])  # not their ticket

	def last_version(self, issue, seen) -> str:
		names = frappe.get_all(
			"Version",
			filters={"ref_doctype": "Issue", "docname": issue},
			pluck="name",
			ignore_permissions=True,
		)
		new = [name for name in names if name not in seen]
		self.assertEqual(len(new), 1)
		return new[0]

	def test_service_revenue_by_month_and_customer(self):
		frappe.set_user(AGENT)
		fx.log_time(self.t1, 90)  # 1.5 h x 60 = 90.00 of labour
		# parts 88 + 5.50 + 44 (May's filter, not invoiced yet), labour 90
		june = api.make_service_invoice(self.t1.name)
		frappe.flags.current_time = "2026-07-02 10:00:00"
		july = api.make_service_invoice(self.t4.name)  # gaskets 3 x 5.50 = 16.50
		frappe.set_user("Administrator")
		for name in (june, july):
			frappe.get_doc("Sales Invoice", name).submit()
		frappe.set_user(FINANCE)
		summer = {"from_date": "2026-06-01", "to_date": "2026-07-31"}
		_columns, rows, *_rest = service_revenue.execute({**summer, "group_by": "Month"})
		owed = [frappe.db.get_value("Sales Invoice", name, "outstanding_amount") for name in (june, july)]
		self.assertEqual(
			[(r["invoices"], r["parts"], r["labour"], r["net_total"], r["outstanding"]) for r in rows],
			[(1, 137.5, 90.0, 227.5, owed[0]), (1, 16.5, 0.0, 16.5, owed[1])],
		)
		_columns, rows, *_rest = service_revenue.execute(
			{**summer, "group_by": "Customer", "company": company()}
		)
		self.assertEqual({r["group"]: r["net_total"] for r in rows}, {fx.CUSTOMER: 227.5, fx.OTHER: 16.5})
		frappe.set_user(AGENT)  # agents make the invoices, accounts read the revenue
		with self.assertRaises(frappe.PermissionError):
			service_revenue.execute(summer)
