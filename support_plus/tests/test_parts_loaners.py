"""Loaners (support_plus.parts.loaners): lent to the customer's, back to the van, and the daily overdue
check telling the technician once."""

import frappe
from frappe.utils import add_days

from support_plus.api import parts as api
from support_plus.parts import loaners, moves
from support_plus.tests.parts_fixtures import PartsTestCase, assign, bin_qty, ledger, ticket
from support_plus.utils import clock


class TestLoaners(PartsTestCase):
	def lend(self, due=None) -> tuple[str, str]:
		issue = ticket()
		assign(issue, self.ned_user)
		frappe.set_user(self.ned_user)
		name = api.use_part(
			issue,
			self.SERIAL_ITEM,
			usage_type="Loaner",
			expected_return_date=due or add_days(clock.today(), 7),
		)
		frappe.set_user("Administrator")
		return issue, name

	def test_loaner_goes_out_and_comes_back(self):
		loaned = moves.special_warehouse(self.company, moves.LOANERS)
		before = bin_qty(self.SERIAL_ITEM, self.van)
		_issue, name = self.lend()
		usage = frappe.get_doc("Service Part Usage", name)
		serial = usage.serial_no
		self.assertEqual(sorted(ledger(usage.stock_entry)), sorted([(self.van, -1.0, 0), (loaned, 1.0, 0)]))
		self.assertEqual(frappe.db.get_value("Serial No", serial, "warehouse"), loaned)
		self.assertEqual(bin_qty(self.SERIAL_ITEM, self.van), before - 1)
		self.assertEqual(usage.chargeable, 0)  # lent, not sold

		frappe.set_user(self.ned_user)
		back = api.return_loaner(name)
		with self.assertRaises(frappe.ValidationError):  # twice is refused
			api.return_loaner(name)
		frappe.set_user("Administrator")
		self.assertEqual(sorted(ledger(back)), sorted([(self.van, 1.0, 0), (loaned, -1.0, 0)]))
		self.assertEqual(frappe.db.get_value("Serial No", serial, "warehouse"), self.van)
		self.assertEqual(bin_qty(self.SERIAL_ITEM, self.van), before)
		usage.reload()
		self.assertEqual((usage.returned_on, usage.loaner_return_entry), (clock.today(), back))

	def test_another_technician_cannot_take_the_loaner_back(self):
		_issue, name = self.lend()
		frappe.set_user(self.gus_user)
		with self.assertRaises(frappe.PermissionError):
			api.return_loaner(name)
		frappe.set_user("Administrator")
		self.assertFalse(frappe.db.get_value("Service Part Usage", name, "returned_on"))

	def test_overdue_loaners_are_flagged_and_told_once(self):
		_issue, late = self.lend(due=add_days(clock.today(), 1))
		_issue, on_time = self.lend(due=add_days(clock.today(), 10))
		_issue, returned = self.lend(due=add_days(clock.today(), 1))
		api.return_loaner(returned)
		later = add_days(clock.today(), 3)
		notes = {"for_user": self.ned_user, "document_type": "Service Part Usage"}
		before = frappe.db.count("Notification Log", notes)
		first = loaners.flag_overdue(later)
		again = loaners.flag_overdue(later)
		self.assertEqual(first["failed"], 0)
		self.assertGreaterEqual(first["flagged"], 1)
		self.assertEqual(again, {"flagged": 0, "failed": 0})
		self.assertEqual(frappe.db.get_value("Service Part Usage", late, "loaner_overdue"), 1)
		self.assertEqual(frappe.db.get_value("Service Part Usage", on_time, "loaner_overdue"), 0)
		self.assertEqual(frappe.db.get_value("Service Part Usage", returned, "loaner_overdue"), 0)
		self.assertEqual(frappe.db.count("Notification Log", {**notes, "document_name": late}), 1)
		self.assertEqual(frappe.db.count("Notification Log", notes), before + first["flagged"])

	def test_cancel_of_a_returned_loaner_restores_the_van(self):
		loaned = moves.special_warehouse(self.company, moves.LOANERS)
		before = bin_qty(self.SERIAL_ITEM, self.van), bin_qty(self.SERIAL_ITEM, loaned)
		_issue, name = self.lend()
		api.return_loaner(name)
		frappe.get_doc("Service Part Usage", name).cancel()
		self.assertEqual((bin_qty(self.SERIAL_ITEM, self.van), bin_qty(self.SERIAL_ITEM, loaned)), before)
