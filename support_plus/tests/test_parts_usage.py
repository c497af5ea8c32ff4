"""Parts on a job move real stock (support_plus.parts.usage): checked in ERPNext's Stock Ledger Entry, Bin
and Serial No rows, as the technician assigned to the ticket, another technician and a Support Manager."""

import frappe
from frappe.utils import getdate

from support_plus.api import parts as api
from support_plus.parts import moves
from support_plus.tests import warranty_fixtures as wf
from support_plus.tests.parts_fixtures import (
	CUSTOMER,
	PartsTestCase,
	assign,
	bin_qty,
	bin_value,
	ledger,
	receive,
	ticket,
)
from support_plus.tests.utils import MANAGER
from support_plus.utils import clock


def counts() -> tuple[int, int]:
	return frappe.db.count("Service Part Usage"), frappe.db.count("Stock Entry")


class TestUsePart(PartsTestCase):
	def delivered_serial(self, warranty_days=365, delivered="2026-06-01") -> str:
		"""A serial of the customer's, delivered on `delivered` (its warranty `warranty_days` long)."""
		item = f"SP-PART-UNIT-{warranty_days}"
		wf.make_serial_item(item, warranty_days)
		serial = f"SPU-{frappe.generate_hash(length=8).upper()}"
		wf.receive(item, [serial])
		wf.deliver(CUSTOMER, item, [serial], delivered)
		return serial

	def test_technician_installs_a_serialised_part_from_the_van(self):
		issue = ticket()
		assign(issue, self.ned_user)
		serial = self.serials[4]  # the FIFO pick of another test takes the first ones
		before = bin_qty(self.SERIAL_ITEM, self.van)
		frappe.set_user(self.ned_user)
		name = api.use_part(issue, self.SERIAL_ITEM, serial_no=serial)
		frappe.set_user("Administrator")
		usage = frappe.get_doc("Service Part Usage", name)
		self.assertEqual(usage.docstatus, 1)
		self.assertEqual(
			(usage.warehouse, usage.technician, usage.customer), (self.van, self.ned.name, CUSTOMER)
		)
		self.assertEqual(ledger(usage.stock_entry), [(self.van, -1.0, 0)])
		self.assertEqual(bin_qty(self.SERIAL_ITEM, self.van), before - 1)
		entry = frappe.get_doc("Stock Entry", usage.stock_entry)
		self.assertEqual(
			(entry.purpose, entry.docstatus, entry.service_part_usage), ("Material Issue", 1, name)
		)
		bundle = entry.items[0].serial_and_batch_bundle
		self.assertTrue(bundle)
		self.assertEqual(
			frappe.get_all("Serial and Batch Entry", filters={"parent": bundle}, pluck="serial_no"), [serial]
		)
		row = frappe.db.get_value(
			"Serial No",
			serial,
			["warehouse", "customer", "installed_on", "warranty_expiry_date"],
			as_dict=True,
		)
		self.assertIsNone(row.warehouse)
		self.assertEqual((row.customer, row.installed_on), (CUSTOMER, clock.today()))
		self.assertEqual(row.warranty_expiry_date, frappe.utils.add_days(clock.today(), 365))
		# the cost is the van's valuation (received at 100); no serial on the ticket: charged
		self.assertEqual((usage.valuation_rate, usage.cost_amount), (100, 100))
		self.assertEqual((usage.chargeable, usage.coverage), (1, "Unknown"))
		self.assertEqual(api.ticket_parts(issue)["cost"], 100)

	def test_serial_picked_when_none_given_and_plain_part_consumed(self):
		issue = ticket()
		assign(issue, self.ned_user)
		frappe.set_user(self.ned_user)
		name = api.use_part(issue, self.SERIAL_ITEM)
		consumed = api.use_part(issue, self.PLAIN_ITEM, qty=3, usage_type="Consumed")
		frappe.set_user("Administrator")
		picked = frappe.db.get_value("Service Part Usage", name, "serial_no")
		self.assertIn(picked, self.serials)
		self.assertIsNone(frappe.db.get_value("Serial No", picked, "warehouse"))
		usage = frappe.get_doc("Service Part Usage", consumed)
		self.assertEqual(ledger(usage.stock_entry), [(self.van, -3.0, 0)])
		self.assertEqual((usage.cost_amount, usage.valuation_rate), (60, 20))

	def test_replacing_a_part_receives_the_old_serial_into_returns(self):
		old = self.delivered_serial()
		issue = ticket(serial_no=old)
		assign(issue, self.ned_user)
		frappe.set_user(self.ned_user)
		name = api.use_part(issue, self.SERIAL_ITEM, serial_no=self.serials[1], old_serial_no=old)
		frappe.set_user("Administrator")
		usage = frappe.get_doc("Service Part Usage", name)
		returns = moves.special_warehouse(self.company, moves.RETURNS)
		self.assertEqual(ledger(usage.return_stock_entry), [(returns, 1.0, 0)])
		old_row = frappe.db.get_value("Serial No", old, ["warehouse", "customer"], as_dict=True)
		self.assertEqual((old_row.warehouse, old_row.customer), (returns, None))
		self.assertEqual(
			frappe.db.get_value("Stock Entry", usage.return_stock_entry, "service_part_usage"), name
		)
		# the ticket's serial is under warranty: the part is not charged
		self.assertEqual((usage.chargeable, usage.coverage), (0, "Under Warranty"))

	def test_cmc_covers_parts_amc_does_not(self):
		for contract_type, chargeable in (("CMC", 0), ("AMC", 1)):
			old = self.delivered_serial(warranty_days=30, delivered="2026-02-01")
			contract = wf.make_contract(
				CUSTOMER, "2026-01-01", "2026-12-31", serials=[old], contract_type=contract_type
			)
			issue = ticket(serial_no=old)
			name = api.use_part(issue, self.PLAIN_ITEM, warehouse=self.van, usage_type="Consumed")
			usage = frappe.get_doc("Service Part Usage", name)
			self.assertEqual(
				(usage.coverage, usage.service_contract, usage.chargeable),
				("Under Contract", contract.name, chargeable),
				contract_type,
			)

	def test_cancel_restores_stock_exactly(self):
		old = self.delivered_serial()
		issue = ticket(serial_no=old)
		returns = moves.special_warehouse(self.company, moves.RETURNS)
		serial = self.serials[2]
		before = {
			(item, wh): (bin_qty(item, wh), bin_value(item, wh))
			for item, wh in ((self.SERIAL_ITEM, self.van), (self.PLAIN_ITEM, self.van))
		}
		old_item = frappe.db.get_value("Serial No", old, "item_code")
		returns_before = bin_qty(old_item, returns)
		assign(issue, self.ned_user)
		frappe.set_user(self.ned_user)
		installed = api.use_part(issue, self.SERIAL_ITEM, serial_no=serial, old_serial_no=old)
		consumed = api.use_part(issue, self.PLAIN_ITEM, qty=2, usage_type="Consumed")
		# a technician may not cancel
		self.assertRaises(frappe.PermissionError, frappe.get_doc("Service Part Usage", installed).cancel)
		frappe.set_user(MANAGER)
		for name in (installed, consumed):
			frappe.get_doc("Service Part Usage", name).cancel()
		frappe.set_user("Administrator")
		after = {key: (bin_qty(*key), bin_value(*key)) for key in before}
		self.assertEqual(after, before)
		self.assertEqual(bin_qty(old_item, returns), returns_before)
		usage = frappe.get_doc("Service Part Usage", installed)
		for entry in (usage.stock_entry, usage.return_stock_entry):
			self.assertEqual(frappe.db.get_value("Stock Entry", entry, "docstatus"), 2)
			self.assertTrue(all(row[2] == 1 for row in ledger(entry)))
		new_row = frappe.db.get_value(
			"Serial No", serial, ["warehouse", "customer", "installed_on"], as_dict=True
		)
		self.assertEqual((new_row.warehouse, new_row.customer, new_row.installed_on), (self.van, None, None))
		old_row = frappe.db.get_value("Serial No", old, ["warehouse", "customer"], as_dict=True)
		self.assertEqual((old_row.warehouse, old_row.customer), (None, CUSTOMER))

	def test_another_technician_is_refused_and_nothing_is_made(self):
		issue = ticket()
		assign(issue, self.ned_user)
		before = counts()
		frappe.set_user(self.gus_user)
		with self.assertRaises(frappe.PermissionError):
			api.use_part(issue, self.PLAIN_ITEM, warehouse=self.other_van, usage_type="Consumed")
		# nor may the assigned technician draw from another van
		frappe.set_user(self.ned_user)
		with self.assertRaises(frappe.PermissionError):
			api.use_part(issue, self.PLAIN_ITEM, warehouse=self.stores, usage_type="Consumed")
		frappe.set_user("Administrator")
		self.assertEqual(counts(), before)

	def test_manager_uses_a_part_from_any_warehouse(self):
		receive(self.PLAIN_ITEM, self.stores, qty=5, rate=20)
		issue = ticket()
		before = bin_qty(self.PLAIN_ITEM, self.stores)
		frappe.set_user(MANAGER)
		name = api.use_part(issue, self.PLAIN_ITEM, qty=2, warehouse=self.stores, usage_type="Consumed")
		frappe.set_user("Administrator")
		self.assertEqual(bin_qty(self.PLAIN_ITEM, self.stores), before - 2)
		self.assertEqual(frappe.db.get_value("Service Part Usage", name, "owner"), MANAGER)

	def test_bad_input_is_refused_with_nothing_half_saved(self):
		issue = ticket()
		assign(issue, self.ned_user)
		outside = f"SPB-OUT-{frappe.generate_hash(length=6)}"
		receive(self.SERIAL_ITEM, self.stores, serials=[outside])
		before = counts()
		frappe.set_user(self.ned_user)
		cases = {
			"serial in another warehouse": dict(item_code=self.SERIAL_ITEM, serial_no=outside),
			"unknown serial": dict(item_code=self.SERIAL_ITEM, serial_no="SPB-NO-SUCH"),
			"zero": dict(item_code=self.PLAIN_ITEM, qty=0),
			"negative": dict(item_code=self.PLAIN_ITEM, qty=-1),
			"loaner without date": dict(item_code=self.PLAIN_ITEM, usage_type="Loaner"),
			"more than in the van": dict(item_code=self.PLAIN_ITEM, qty=1000),
		}
		messages = {}
		for case, args in cases.items():
			with self.assertRaises(frappe.ValidationError, msg=case) as caught:
				api.use_part(issue, **args)
			messages[case] = str(caught.exception)
		frappe.set_user("Administrator")
		self.assertEqual(counts(), before)
		self.assertIn("is not in warehouse", messages["serial in another warehouse"])
		self.assertIn("more than zero", messages["zero"])
		self.assertIn("return date", messages["loaner without date"])
		self.assertIn("not in stock", messages["more than in the van"])
		self.assertEqual(frappe.db.get_value("Serial No", outside, "warehouse"), self.stores)

	def test_ticket_parts_for_those_who_read_the_ticket(self):
		issue = ticket()
		assign(issue, self.ned_user)
		frappe.set_user(self.ned_user)
		api.use_part(issue, self.PLAIN_ITEM, qty=2, usage_type="Consumed")
		parts = api.ticket_parts(issue)
		self.assertEqual(
			[(p.item_code, p.qty, p.chargeable) for p in parts["parts"]], [(self.PLAIN_ITEM, 2, 1)]
		)
		self.assertEqual((parts["cost"], parts["chargeable_cost"], parts["chargeable_count"]), (40, 40, 1))
		frappe.set_user(self.gus_user)
		self.assertRaises(frappe.PermissionError, api.ticket_parts, issue)

	def test_a_technician_reads_the_parts_of_their_tickets_and_those_they_used(self):
		"""support_plus.permissions.ticket_records: a technician reads a usage on a ticket assigned or
		shared to them, or one they made (their van's part); not another technician's on another ticket.
		The list (get_list, as REST and reports ask it) and the single record agree."""
		issue = ticket()
		assign(issue, self.ned_user)
		frappe.set_user(self.ned_user)
		used = api.use_part(issue, self.PLAIN_ITEM, usage_type="Consumed")

		def reads(user: str) -> tuple[bool, bool]:
			frappe.set_user(user)
			listed = used in frappe.get_list("Service Part Usage", filters={"issue": issue}, pluck="name")
			opened = frappe.has_permission("Service Part Usage", "read", doc=used)
			frappe.set_user("Administrator")
			return listed, opened

		self.assertEqual((reads(self.ned_user), reads(self.gus_user)), ((True, True), (False, False)))
		frappe.set_user(self.gus_user)
		self.assertRaises(frappe.PermissionError, frappe.get_doc("Service Part Usage", used).check_permission)
		frappe.set_user("Administrator")
		assign(issue, self.gus_user)  # the ticket moves to Gus: he reads its parts
		frappe.db.delete("ToDo", {"reference_name": issue, "allocated_to": self.ned_user})
		frappe.db.delete("DocShare", {"share_name": issue, "user": self.ned_user})
		self.assertEqual((reads(self.gus_user), reads(self.ned_user)), ((True, True), (True, True)))
		self.assertEqual(reads(MANAGER), (True, True))
