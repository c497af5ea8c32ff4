"""Capacity holds when four OS processes auto-assign at once (each its own connection, one commit a ticket)."""

import frappe

from support_plus.tests.dispatch_fixtures import ensure_tech_users, make_team, make_technician, open_todos
from support_plus.tests.processes import run_in_processes
from support_plus.tests.utils import AGENT, SupportTestCase

WORKER = """
import os, sys
import frappe
site, sites_path, team, token, count, agent = sys.argv[1:7]
os.chdir(sites_path)
frappe.init(site=site, sites_path=sites_path)
frappe.connect()
from support_plus.api import auto_assign
for i in range(int(count)):
	frappe.set_user("Administrator")
	name = frappe.get_doc({"doctype": "Issue", "subject": f"{token} {i}", "support_team": team}).insert().name
	frappe.db.commit()
	frappe.set_user(agent)
	print(auto_assign(name))
	frappe.db.commit()
frappe.destroy()
"""


class TestConcurrentAutoAssign(SupportTestCase):
	@classmethod
	def setUpClass(cls):
		ensure_tech_users()
		super().setUpClass()

	def test_four_processes_never_pass_a_capacity(self):
		ana = make_technician("ana", capacity=3, hours=None)
		ben = make_technician("ben", capacity=3, hours=None)
		team = make_team("SP Race Team", [ana, ben])
		frappe.db.commit()  # the workers see them; cleaned up below
		token = frappe.generate_hash(length=10)
		try:
			results = [
				user
				for out in run_in_processes(WORKER, team, token, "4", AGENT, count=4)
				for user in out.split()
			]
			frappe.db.rollback()  # a fresh read of what the workers committed
			self.assertEqual(len(results), 16)
			self.assertEqual(sorted(r for r in results if r != "None"), [ana.user] * 3 + [ben.user] * 3)
			for tech in (ana, ben):
				self.assertEqual(open_todos(tech.user), 3)
				self.assertEqual(frappe.db.get_value("Service Technician", tech.name, "open_tickets"), 3)
		finally:
			frappe.set_user("Administrator")
			for name in frappe.get_all("Issue", filters={"subject": ("like", f"{token} %")}, pluck="name"):
				frappe.delete_doc("Issue", name, force=True)
			for doctype, name in (
				("Support Team", team),
				("Service Technician", ana.name),
				("Service Technician", ben.name),
			):
				frappe.delete_doc(doctype, name, force=True, ignore_permissions=True)
			frappe.db.commit()
