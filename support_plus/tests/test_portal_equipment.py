"""The customer's equipment on the portal (/support/equipment), over real HTTP: a customer sees their own
serial numbers with coverage, expiry and history and opens a ticket for one; another customer's serial is
"not found", for them only (Frappe caches a page's 404 per URL for everyone unless the page says no); a
visitor is sent to log in. The ticket page's 404 is checked the same way."""

from datetime import timedelta
from urllib.parse import quote

import requests

import frappe
from frappe.utils import getdate, global_date_format

from support_plus.portal.equipment import equipment_view
from support_plus.portal.pages import ticket_view
from support_plus.tests.http import SiteServer
from support_plus.tests.test_portal import contact_of, make_portal_user, ticket_for
from support_plus.tests.utils import SupportTestCase, make_customer, make_sales_person
from support_plus.tests.warranty_fixtures import company, make_contract, make_serial_item
from support_plus.utils import clock

OLGA, OTTO = "olga@equip-alpha.example", "otto@equip-alpha.example"  # two contacts of Alpha
PETE = "pete@equip-beta.example"  # Beta's
ITEM = "SP-EQUIP-BOILER"
WARRANTY, CONTRACT, OTHERS = "SPE-ALPHA-1", "SPE-ALPHA-2", "SPE-BETA-1"
SERIALS = (WARRANTY, CONTRACT, OTHERS)


def register(serial: str, customer: str, delivered_on) -> None:
	"""Equipment sold before support_plus: registered by hand (the warranty follows the delivery date)."""
	if frappe.db.exists("Serial No", serial):
		frappe.delete_doc("Serial No", serial, force=True, ignore_permissions=True)
	frappe.get_doc(
		{
			"doctype": "Serial No",
			"serial_no": serial,
			"item_code": ITEM,
			"customer": customer,
			"delivered_on": delivered_on,
		}
	).insert(ignore_permissions=True)


def cleanup() -> None:
	names = frappe.get_all(
		"Issue", filters={"raised_by": ("in", (OLGA, OTTO, PETE))}, pluck="name"
	) + frappe.get_all("Issue", filters={"serial_no": ("in", SERIALS)}, pluck="name")
	for doctype, field in (
		("Communication", "reference_name"),
		("Comment", "reference_name"),
		("Email Queue", "reference_name"),
		("ToDo", "reference_name"),
		("Issue", "name"),
	):
		frappe.db.delete(doctype, {field: ("in", names or ["-"])})
	visits = frappe.get_all(
		"Maintenance Visit Purpose", filters={"serial_no": ("in", SERIALS)}, pluck="parent"
	)
	frappe.db.delete("Maintenance Visit Purpose", {"parent": ("in", visits or ["-"])})
	frappe.db.delete("Maintenance Visit", {"name": ("in", visits or ["-"])})
	contracts = frappe.get_all(
		"Service Contract Serial", filters={"serial_no": ("in", SERIALS)}, pluck="parent"
	)
	for doctype, field in (
		("Service Contract Serial", "parent"),
		("Service Contract Item", "parent"),
		("Service Contract", "name"),
	):
		frappe.db.delete(doctype, {field: ("in", contracts or ["-"])})
	frappe.db.delete("Serial No", {"name": ("in", SERIALS)})


class TestEquipmentPages(SupportTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cleanup()
		cls.alpha = make_customer("Alpha Equipment Ltd")
		cls.beta = make_customer("Beta Equipment Ltd")
		for email, customer in ((OLGA, cls.alpha), (OTTO, cls.alpha), (PETE, cls.beta)):
			make_portal_user(email, customer)
		make_serial_item(ITEM, 365)
		today = clock.today()  # the web server runs on the real clock
		cls.today = today
		register(WARRANTY, cls.alpha, today - timedelta(days=30))  # warranty for 335 more days
		register(CONTRACT, cls.alpha, today - timedelta(days=800))  # warranty over; under contract
		register(OTHERS, cls.beta, today - timedelta(days=10))
		cls.contract = make_contract(
			cls.alpha, today - timedelta(days=60), today + timedelta(days=100), serials=[CONTRACT]
		).name
		cls.olga_ticket = cls.serial_ticket(OLGA, cls.alpha, "Olga: the boiler knocks", WARRANTY)
		cls.otto_ticket = cls.serial_ticket(OTTO, cls.alpha, "Otto: pilot light out", WARRANTY)
		cls.pete_ticket = ticket_for(PETE, cls.beta, "Pete: Beta's secret boiler room")
		cls.visit = frappe.get_doc(
			{
				"doctype": "Maintenance Visit",
				"customer": cls.alpha,
				"company": company(),
				"mntc_date": today - timedelta(days=5),
				"mntc_time": "10:00:00",
				"completion_status": "Fully Completed",
				"maintenance_type": "Breakdown",
				"purposes": [
					{
						"item_code": ITEM,
						"serial_no": WARRANTY,
						"service_person": make_sales_person("SP Equipment Technician"),
						"work_done": "Cleaned the burner",
					}
				],
			}
		)
		cls.visit.insert(ignore_permissions=True)
		cls.visit.submit()
		cls.server = SiteServer.get()
		cls.as_olga = cls.server.login(OLGA)  # commits the records above
		cls.as_pete = cls.server.login(PETE)

	@classmethod
	def serial_ticket(cls, email, customer, subject, serial):
		doc = frappe.get_doc(
			{
				"doctype": "Issue",
				"subject": subject,
				"raised_by": email,
				"contact": contact_of(email),
				"customer": customer,
				"serial_no": serial,
			}
		).insert(ignore_permissions=True)
		return doc.name

	@classmethod
	def tearDownClass(cls):
		frappe.set_user("Administrator")
		frappe.db.rollback()
		cleanup()
		frappe.db.commit()  # nosemgrep
		super().tearDownClass()

	def get(self, session, path, **kwargs):
		return session.get(self.server.url + path, timeout=30, allow_redirects=False, **kwargs)

	def test_own_equipment_listed_with_coverage(self):
		page = self.get(self.as_olga, "/support/equipment")
		self.assertEqual(page.status_code, 200, page.text[:300])
		for serial in (WARRANTY, CONTRACT):
			self.assertIn(f'href="/support/equipment/{serial}"', page.text)
		self.assertNotIn(OTHERS, page.text)
		self.assertIn("Under Warranty", page.text)
		self.assertIn("Under Contract", page.text)
		warranty_until = getdate(frappe.db.get_value("Serial No", WARRANTY, "warranty_expiry_date"))
		self.assertEqual(warranty_until, self.today + timedelta(days=335))
		self.assertIn(global_date_format(warranty_until), page.text)
		self.assertIn(global_date_format(self.today + timedelta(days=100)), page.text)  # contract end
		theirs = self.get(self.as_pete, "/support/equipment")
		self.assertIn(OTHERS, theirs.text)
		self.assertNotIn(WARRANTY, theirs.text)
		# A page past the end (however large: MariaDB refuses an offset past 2^64) is the last page.
		for number in ("2", "99999999999999999999999"):
			past = self.get(self.as_olga, "/support/equipment", params={"page": number})
			self.assertEqual(past.status_code, 200, past.text[:300])
			self.assertIn(f'href="/support/equipment/{WARRANTY}"', past.text)

	def test_own_serial_with_status_and_history(self):
		page = self.get(self.as_olga, f"/support/equipment/{WARRANTY}")
		self.assertEqual(page.status_code, 200, page.text[:300])
		self.assertIn('id="coverage-status">Under Warranty<', page.text)
		self.assertIn(f'href="/support/tickets/{self.olga_ticket}"', page.text)
		self.assertIn("Cleaned the burner", page.text)  # the maintenance visit
		self.assertIn(f"/support/new?serial_no={WARRANTY}", page.text)
		# Otto's ticket on the same boiler is his (the portal's ticket rule, customer-wide off)
		self.assertNotIn(self.otto_ticket, page.text)
		self.assertNotIn("pilot light", page.text)
		# newest first: Olga's ticket of today before the visit of five days ago
		self.assertLess(page.text.index(self.olga_ticket), page.text.index("Cleaned the burner"))
		contract = self.get(self.as_olga, f"/support/equipment/{CONTRACT}")
		self.assertIn('id="coverage-status">Under Contract<', contract.text)
		self.assertIn(global_date_format(self.today + timedelta(days=100)), contract.text)

	def test_another_customers_serial_is_not_found_for_them_only(self):
		for serial in (OTHERS, "SPE-NO-SUCH-SERIAL"):
			answer = self.get(self.as_olga, f"/support/equipment/{quote(serial)}")
			self.assertEqual(answer.status_code, 404, serial)
			self.assertNotIn(ITEM, answer.text)
			self.assertFalse(
				frappe.cache.hget("website_404", self.server.url + f"/support/equipment/{serial}")
			)
		# the 404 was Olga's answer only: Beta's own contact opens its serial
		own = self.get(self.as_pete, f"/support/equipment/{OTHERS}")
		self.assertEqual(own.status_code, 200)
		self.assertIn('id="coverage-status">Under Warranty<', own.text)

	def test_per_customer_404s_are_not_cached_for_everyone(self):
		# Control: this site caches a 404 per URL when the page lets it, so the checks below can fail.
		unknown = "/support/sp-equipment-no-such-page"
		self.assertEqual(self.get(self.as_olga, unknown).status_code, 404)
		self.assertTrue(frappe.cache.hget("website_404", self.server.url + unknown))
		frappe.cache.hdel("website_404", self.server.url + unknown)

		path = f"/support/tickets/{self.pete_ticket}"
		self.assertEqual(self.get(self.as_olga, path).status_code, 404)
		self.assertFalse(frappe.cache.hget("website_404", self.server.url + path))
		self.assertEqual(self.get(self.as_pete, path).status_code, 200)
		# The pages say so themselves, before the 404 (Frappe's dynamic routes happen to say it too today).
		frappe.set_user(OLGA)
		try:
			for view, name in ((ticket_view, self.pete_ticket), (equipment_view, OTHERS)):
				frappe.local.no_cache = 0
				self.assertRaises(frappe.PageDoesNotExistError, view, name)
				self.assertEqual(frappe.local.no_cache, 1, view.__name__)
		finally:
			frappe.local.no_cache = 0

	def test_visitor_is_sent_to_log_in(self):
		for path in ("/support/equipment", f"/support/equipment/{WARRANTY}"):
			answer = self.get(requests.Session(), path)
			self.assertIn(answer.status_code, (301, 302, 303), path)
			self.assertIn("/login", answer.headers["Location"])
			self.assertNotIn(WARRANTY, answer.text)
		answer = self.get(requests.Session(), "/support/new", params={"serial_no": WARRANTY})
		self.assertIn(answer.status_code, (301, 302, 303))
		self.assertIn(f"/login?redirect-to=/support/new%3Fserial_no%3D{WARRANTY}", answer.headers["Location"])

	def test_open_a_ticket_for_the_serial(self):
		form = self.get(self.as_olga, "/support/new", params={"serial_no": WARRANTY})
		self.assertEqual(form.status_code, 200)
		self.assertIn(f'id="serial_no" value="{WARRANTY}"', form.text)
		# another customer's serial is not prefilled
		form = self.get(self.as_olga, "/support/new", params={"serial_no": OTHERS})
		self.assertIn('id="serial_no" value=""', form.text)

		url = self.server.url + "/api/method/support_plus.api.portal.create_ticket"
		answer = self.as_olga.post(
			url,
			json={
				"subject": "Boiler: no hot water",
				"description": "Since this morning",
				"serial_no": WARRANTY,
			},
			timeout=30,
		)
		self.assertEqual(answer.status_code, 200, answer.text[:300])
		name = answer.json()["message"]["name"]
		frappe.db.rollback()  # see what the server committed
		ticket = frappe.db.get_value(
			"Issue",
			name,
			["serial_no", "customer", "item_code", "warranty_status", "raised_by"],
			as_dict=True,
		)
		self.assertEqual(
			(ticket.serial_no, ticket.customer, ticket.item_code, ticket.warranty_status, ticket.raised_by),
			(WARRANTY, self.alpha, ITEM, "Under Warranty", OLGA),
		)
		# it shows in the serial's history
		self.assertIn(
			f'href="/support/tickets/{name}"', self.get(self.as_olga, f"/support/equipment/{WARRANTY}").text
		)

		# Beta's serial: answered like an unknown one, and no ticket made
		refused = self.as_olga.post(
			url, json={"subject": "Let me in", "description": "Please", "serial_no": OTHERS}, timeout=30
		)
		self.assertEqual(refused.status_code, 417, refused.text[:300])
		self.assertIn("does not exist", refused.text)
		frappe.db.rollback()
		self.assertFalse(frappe.db.exists("Issue", {"subject": "Let me in"}))
