"""Ticket numbers: RE + 8 digits, sequential, configurable, unique across processes, never renamed."""

import re

import frappe
from frappe.desk.search import search_link
from frappe.tests.utils import FrappeTestCase

from support_plus.tests.processes import run_in_processes

TICKET = re.compile(r"^RE\d{8}$")

# One process of the concurrency test: its own connection, one commit per ticket, as parallel workers do.
WORKER = """
import os, sys
import frappe
site, sites_path, token, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
os.chdir(sites_path)
frappe.init(site=site, sites_path=sites_path)
frappe.connect()
frappe.set_user("Administrator")
for i in range(count):
	frappe.get_doc({"doctype": "Issue", "subject": f"{token} {i}"}).insert()
	frappe.db.commit()
frappe.destroy()
"""


def new_ticket(subject: str = "Numbering test") -> str:
	return frappe.get_doc({"doctype": "Issue", "subject": subject}).insert().name


class TestTicketNumbering(FrappeTestCase):
	def test_new_tickets_are_numbered_in_sequence(self):
		first, second = new_ticket(), new_ticket()

		self.assertRegex(first, TICKET)
		self.assertRegex(second, TICKET)
		self.assertEqual(int(second[2:]), int(first[2:]) + 1)

	def test_a_script_cannot_pick_another_series(self):
		name = (
			frappe.get_doc({"doctype": "Issue", "subject": "Own series", "naming_series": "ISS-.YYYY.-"})
			.insert()
			.name
		)
		self.assertRegex(name, TICKET)

	def test_prefix_and_width_come_from_the_settings(self):
		settings = frappe.get_single("Support Plus Settings")
		try:
			settings.update({"ticket_prefix": "TK", "ticket_digits": 6}).save()
			self.assertRegex(new_ticket(), r"^TK\d{6}$")
		finally:
			# Restored by a save, not only by the rollback: the naming rule is also cached in Redis.
			settings.reload()
			settings.update({"ticket_prefix": "RE", "ticket_digits": 8}).save()
		self.assertRegex(new_ticket(), TICKET)

	def test_bad_settings_are_refused(self):
		settings = frappe.get_single("Support Plus Settings")
		for prefix, digits in (("R E", 8), ("RE-", 8), ("", 8), ("RE", 3), ("RE", 13)):
			settings.reload()
			settings.update({"ticket_prefix": prefix, "ticket_digits": digits})
			with self.assertRaises(frappe.ValidationError, msg=f"{prefix!r}/{digits}"):
				settings.save()
		settings.reload()
		self.assertEqual((settings.ticket_prefix, settings.ticket_digits), ("RE", 8))

	def test_ticket_number_cannot_be_changed(self):
		name = new_ticket()

		self.assertFalse(frappe.get_meta("Issue").allow_rename)
		with self.assertRaises(frappe.ValidationError):
			frappe.rename_doc("Issue", name, "RE99999999", force=True)  # force skips allow_rename
		self.assertTrue(frappe.db.exists("Issue", name))
		self.assertFalse(frappe.db.exists("Issue", "RE99999999"))

	def test_tickets_are_found_by_number(self):
		name = new_ticket("Find me by my number")

		self.assertEqual(frappe.get_list("Issue", filters={"name": name}, pluck="name"), [name])
		self.assertIn(name, [row["value"] for row in search_link("Issue", name)])

	def test_numbers_are_unique_across_concurrent_processes(self):
		frappe.db.commit()  # this process must hold no lock on the counter while the workers run
		token = frappe.generate_hash(length=10)
		workers, per_worker = 4, 50
		try:
			run_in_processes(WORKER, token, str(per_worker), count=workers)

			names = frappe.get_all("Issue", filters={"subject": ("like", f"{token} %")}, pluck="name")
			self.assertEqual(len(names), workers * per_worker)
			self.assertEqual(len(set(names)), workers * per_worker, "no number given twice")
			self.assertTrue(all(TICKET.match(n) for n in names), names[:5])
		finally:
			frappe.db.delete("Issue", {"subject": ("like", f"{token} %")})
			frappe.db.commit()
