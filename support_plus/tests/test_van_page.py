"""/van over real HTTP: a technician sees their own van's stock and counts it through the public API
(audit started, counts saved, variance posted); another technician's van answers 403, a desk user
without a van gets 404."""

import json

import frappe

from support_plus.parts import vans
from support_plus.tests.dispatch_fixtures import ensure_tech_users
from support_plus.tests.http import SiteServer
from support_plus.tests.utils import AGENT, SupportTestCase
from support_plus.tests.van_fixtures import bin_qty, stock_item, stock_van, stores, technician_with_van


class TestVanPage(SupportTestCase):
	@classmethod
	def setUpClass(cls):
		ensure_tech_users()
		super().setUpClass()
		vans._drop_cache()
		frappe.db.set_single_value("Support Plus Settings", "van_refill_warehouse", stores())
		cls.fay, cls.van = technician_with_van("fay")
		cls.ned, cls.ned_van = technician_with_van("ned")
		# the vans are kept between runs: an earlier run's open audit goes first
		for name in frappe.get_all(
			"Stock Reconciliation", filters={"docstatus": 0, "set_warehouse": cls.van}, pluck="name"
		):
			frappe.delete_doc("Stock Reconciliation", name, force=True, ignore_permissions=True)
		cls.item = stock_item("SP-PAGE-" + frappe.generate_hash(length=8).upper())
		stock_van(cls.van, cls.item, par=3, qty=2)
		frappe.db.commit()  # nosemgrep: the web server is another process
		vans._drop_cache()
		cls.server = SiteServer.get()
		cls.as_fay = cls.server.login(cls.fay.user)
		cls.as_ned = cls.server.login(cls.ned.user)
		cls.as_agent = cls.server.login(AGENT)

	@classmethod
	def tearDownClass(cls):
		frappe.db.rollback()
		for name in frappe.get_all(
			"Stock Reconciliation",
			filters={"set_warehouse": cls.van},
			fields=["name", "docstatus"],
			as_list=True,
		):
			doc = frappe.get_doc("Stock Reconciliation", name[0])
			if doc.docstatus == 1:
				doc.cancel()
			elif doc.docstatus == 0:
				doc.delete()
		for tech in (cls.fay, cls.ned):
			frappe.delete_doc("Service Technician", tech.name, force=True, ignore_permissions=True)
		frappe.db.commit()  # nosemgrep
		vans._drop_cache()
		super().tearDownClass()

	def get(self, session, path):
		return session.get(self.server.url + path, timeout=30, allow_redirects=False)

	def post(self, session, method, **params):
		return session.post(
			f"{self.server.url}/api/method/support_plus.api.{method}", data=params, timeout=30
		)

	def test_own_van_counted_from_the_phone(self):
		page = self.get(self.as_fay, "/van")
		self.assertEqual(page.status_code, 200)
		self.assertIn(self.item, page.text)
		self.assertIn("Below Par", page.text)
		self.assertTrue('id="start-audit"' in page.text, "no open audit yet: a Start button")
		self.assertIn('href="/van"', self.get(self.as_fay, "/field").text)

		started = self.post(self.as_fay, "start_van_audit", warehouse=self.van)
		self.assertEqual(started.status_code, 200, started.text[:300])
		audit = started.json()["message"]
		page = self.get(self.as_fay, "/van")
		self.assertIn(f'data-item="{self.item}"', page.text)
		answer = self.post(
			self.as_fay, "record_van_count", audit_name=audit, counts=json.dumps({self.item: 1})
		)
		self.assertEqual(answer.json()["message"][self.item], -1)  # the van may hold earlier runs' parts
		answer = self.post(self.as_fay, "submit_van_audit", audit_name=audit)
		self.assertEqual(answer.json()["message"], audit)
		frappe.db.rollback()
		self.assertEqual(bin_qty(self.item, self.van), 1)
		self.assertEqual(frappe.db.get_value("Stock Reconciliation", audit, "docstatus"), 1)

	def test_other_vans_and_other_users(self):
		for method, params in (
			("van_stock", {"warehouse": self.van}),
			("start_van_audit", {"warehouse": self.van}),
		):
			answer = self.post(self.as_ned, method, **params)
			self.assertEqual(answer.status_code, 403, (method, answer.text[:300]))
		self.assertEqual(self.get(self.as_agent, "/van").status_code, 404)
		self.assertEqual(self.get(self.as_ned, "/van").status_code, 200)  # his own, not a cached 404
		# the desk list shows a technician their own van's audits only
		audit = self.post(self.as_fay, "start_van_audit", warehouse=self.van).json()["message"]

		def listed(session):
			answer = session.get(
				f"{self.server.url}/api/resource/Stock Reconciliation",
				params={"filters": json.dumps([["set_warehouse", "=", self.van], ["docstatus", "=", 0]])},
				timeout=30,
			)
			return [row["name"] for row in answer.json().get("data", [])]

		self.assertEqual(listed(self.as_fay), [audit])
		self.assertEqual(listed(self.as_ned), [])
		answer = self.as_ned.get(f"{self.server.url}/api/resource/Stock Reconciliation/{audit}", timeout=30)
		self.assertEqual(answer.status_code, 403)
		frappe.db.rollback()
		frappe.delete_doc("Stock Reconciliation", audit, force=True, ignore_permissions=True)
		frappe.db.commit()  # nosemgrep: the next test starts without an open audit
