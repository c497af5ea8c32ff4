"""The service history on the Serial No and Customer forms, in a real browser as a Support Agent (who holds
only that role): the serial's ticket and maintenance visit, newest first, each a link to its record; no
permission message, no console error. The server's answer is checked as that agent too."""

from datetime import timedelta

import frappe

from support_plus.api import service_history
from support_plus.tests.test_desk_browser import DeskBrowserCase
from support_plus.tests.utils import AGENT, make_customer, make_sales_person
from support_plus.tests.warranty_fixtures import company, make_serial_item
from support_plus.utils import clock

CUSTOMER = "History Desk Bakery"
ITEM = "SP-HISTORY-OVEN"
SERIAL = "SPH-OVEN-1"
HISTORY_ROWS = """
const [doctype, name] = arguments;
if (!(window.cur_frm && cur_frm.doctype === doctype && cur_frm.docname === name) || frappe.request.ajax_count)
	return null;
const rows = cur_frm.dashboard.parent.find(".sp-service-history .sp-history-row").get();
return rows.length ? rows.map((r) => [r.dataset.doctype, r.dataset.name, !!r.querySelector("a[href]")]) : null;
"""


class TestServiceHistoryInTheDesk(DeskBrowserCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.cleanup()
		make_customer(CUSTOMER)
		make_serial_item(ITEM, 365)
		today = clock.today()
		frappe.get_doc(
			{
				"doctype": "Serial No",
				"serial_no": SERIAL,
				"item_code": ITEM,
				"customer": CUSTOMER,
				"delivered_on": today - timedelta(days=40),
			}
		).insert()
		cls.ticket = (
			frappe.get_doc(
				{
					"doctype": "Issue",
					"subject": "History: the oven does not heat",
					"customer": CUSTOMER,
					"serial_no": SERIAL,
				}
			)
			.insert()
			.name
		)
		visit = frappe.get_doc(
			{
				"doctype": "Maintenance Visit",
				"customer": CUSTOMER,
				"company": company(),
				"mntc_date": today - timedelta(days=3),
				"mntc_time": "09:00:00",
				"completion_status": "Fully Completed",
				"maintenance_type": "Breakdown",
				"purposes": [
					{
						"item_code": ITEM,
						"serial_no": SERIAL,
						"service_person": make_sales_person("SP History Technician"),
						"work_done": "Replaced the heating element",
					}
				],
			}
		)
		visit.insert()
		visit.submit()
		cls.visit = visit.name
		frappe.db.commit()  # nosemgrep: the web server must see them

	@classmethod
	def cleanup(cls):
		visits = frappe.get_all("Maintenance Visit Purpose", filters={"serial_no": SERIAL}, pluck="parent")
		frappe.db.delete("Maintenance Visit Purpose", {"parent": ("in", visits or ["-"])})
		frappe.db.delete("Maintenance Visit", {"name": ("in", visits or ["-"])})
		tickets = frappe.get_all("Issue", filters={"serial_no": SERIAL}, pluck="name")
		for doctype, field in (
			("Comment", "reference_name"),
			("Version", "docname"),
			("Issue", "name"),
		):
			frappe.db.delete(doctype, {field: ("in", tickets or ["-"])})
		frappe.db.delete("Serial No", SERIAL)

	@classmethod
	def tearDownClass(cls):
		frappe.db.rollback()
		cls.cleanup()
		frappe.db.commit()  # nosemgrep
		super().tearDownClass()

	def test_agent_reads_the_history(self):
		frappe.set_user(AGENT)
		expected = [("Issue", self.ticket), ("Maintenance Visit", self.visit)]
		self.assertEqual([(e["doctype"], e["name"]) for e in service_history(SERIAL)], expected)
		by_customer = service_history(customer=CUSTOMER)
		self.assertEqual([(e["doctype"], e["name"]) for e in by_customer], expected)
		self.assertEqual(by_customer[1]["title"], "Replaced the heating element")

	def test_serial_and_customer_forms_show_it_newest_first(self):
		self.login(AGENT)
		expected = [["Issue", self.ticket, True], ["Maintenance Visit", self.visit, True]]
		for doctype, name in (("Serial No", SERIAL), ("Customer", CUSTOMER)):
			self.js("frappe.set_route('Form', arguments[0], arguments[1])", doctype, name)
			rows = self.wait.until(lambda b: b.execute_script(HISTORY_ROWS, doctype, name))
			self.assertEqual(rows, expected, doctype)
			self.assert_no_errors(f"{doctype} form")
			self.screenshot(f"service-history-{doctype.lower().replace(' ', '-')}.png")
