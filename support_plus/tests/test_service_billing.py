"""Service invoices and contract quotas (support_plus/parts/billing.py, support_plus/parts/quota.py) on
real tickets, deliveries, appointments and ERPNext Sales Invoices, as the real roles.

The numbers are worked by hand from billing_fixtures: filter 40.00 + 10% = 44.00, gasket (no price, cost
5.00) + 10% = 5.50, labour 60.00 an hour."""

import frappe
from frappe.utils import flt

from support_plus import api
from support_plus.parts import pricing
from support_plus.portal.pages import ticket_view
from support_plus.tests import billing_fixtures as fx
from support_plus.tests.test_portal import contact_of, make_portal_user
from support_plus.tests.utils import AGENT, FINANCE, MANAGER, SALES, VIEWER, SupportTestCase
from support_plus.tests.warranty_fixtures import company, make_contract


class TestServiceBilling(SupportTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		fx.setup_billing_masters()
		fx.receive_parts(fx.FILTER, 20, 30)
		fx.receive_parts(fx.GASKET, 20, fx.GASKET_COST)
		cls.under_warranty = fx.delivered_serial(fx.EQUIPMENT, "SPB-WTY-1")
		cls.expired = fx.delivered_serial(fx.SHORT, "SPB-OUT-1")
		cls.on_contract = fx.delivered_serial(fx.SHORT, "SPB-CMC-1")
		cls.contract = make_contract(
			fx.CUSTOMER,
			"2026-01-01",
			"2026-12-31",
			serials=[cls.on_contract],
			contract_type="CMC",
			parts_quota_count=2,
		).name
		cls.portal_user = make_portal_user("billing-customer@billing.example", fx.CUSTOMER)
		cls.attacker = make_portal_user("billing-other@billing.example", fx.OTHER)

	def setUp(self):
		frappe.flags.current_time = f"{fx.TODAY} 15:00:00"

	def invoice_lines(self, name):
		doc = frappe.get_doc("Sales Invoice", name)
		return doc, sorted(
			(line.item_code, flt(line.qty), flt(line.rate), flt(line.amount)) for line in doc.items
		)

	def test_warranty_ticket_bills_nothing(self):
		issue = fx.ticket("Boiler under warranty", serial_no=self.under_warranty)
		frappe.set_user(AGENT)
		usage = fx.use(issue, fx.FILTER, 1)
		self.assertEqual((usage.chargeable, usage.coverage), (0, "Under Warranty"))
		frappe.set_user("Administrator")
		fx.log_time(issue, 45)  # labour is covered by the warranty too
		frappe.set_user(AGENT)
		self.assertIsNone(api.make_service_invoice(issue.name))
		self.assertFalse(frappe.db.exists("Sales Invoice", {"issue": issue.name}))

	def test_contract_within_quota_consumes_it_and_beyond_is_billed(self):
		issue = fx.ticket("Pump under CMC", serial_no=self.on_contract)
		self.assertEqual(issue.service_contract, self.contract)
		frappe.set_user(AGENT)
		first = fx.use(issue, fx.FILTER, 1)
		self.assertEqual((first.chargeable, first.service_contract), (0, self.contract))
		self.assertEqual(flt(first.amount), 44.0)  # the quota counts the part at the customer's price
		self.assertIsNone(api.make_service_invoice(issue.name))
		used = frappe.db.get_value(
			"Service Contract", self.contract, ["parts_used_count", "parts_used_amount"], as_dict=True
		)
		self.assertEqual((used.parts_used_count, flt(used.parts_used_amount)), (1, 44.0))
		# 1 used + 2 more > a quota of 2: the whole usage is chargeable and does not consume the quota.
		second = fx.use(issue, fx.FILTER, 2)
		self.assertEqual((second.chargeable, second.coverage), (1, "Over Quota"))
		third = fx.use(issue, fx.GASKET, 1)  # the last unit of the quota
		self.assertEqual(third.chargeable, 0)
		status = api.contract_quota(self.contract)
		self.assertEqual((status["used_count"], status["used_amount"], status["level"]), (2, 49.5, 100))
		name = api.make_service_invoice(issue.name)
		_doc, lines = self.invoice_lines(name)
		self.assertEqual(lines, [(fx.FILTER, 2.0, 44.0, 88.0)])  # no labour line: the CMC covers labour
		# the managers were told at 100% (one threshold passed at once)
		frappe.set_user("Administrator")
		self.assertEqual(frappe.db.get_value("Service Contract", self.contract, "quota_alert_level"), 100)
		# cancelling a covered part gives its share of the quota back
		third.reload()
		third.cancel()
		self.assertEqual(api.contract_quota(self.contract)["used_count"], 1)

	def test_chargeable_ticket_gets_a_draft_invoice_of_parts_and_labour(self):
		issue = fx.ticket(
			"Pump out of warranty",
			serial_no=self.expired,
			raised_by=self.portal_user,
			contact=contact_of(self.portal_user),
		)
		frappe.set_user(AGENT)
		filters = fx.use(issue, fx.FILTER, 2)
		gasket = fx.use(issue, fx.GASKET, 1)
		fx.use(issue, fx.FILTER, 1, usage_type="Loaner", expected_return_date="2026-06-15")  # not billed
		self.assertEqual((filters.chargeable, gasket.chargeable), (1, 1))
		frappe.set_user("Administrator")
		fx.log_time(issue, 90)
		frappe.set_user(AGENT)
		name = api.make_service_invoice(issue.name)
		doc, lines = self.invoice_lines(name)
		# 2 x (40 + 10%) = 88.00; 1 x (cost 5 + 10%) = 5.50; 90 min = 1.5 h x 60 = 90.00
		self.assertEqual(
			lines, [(fx.FILTER, 2.0, 44.0, 88.0), (fx.GASKET, 1.0, 5.5, 5.5), (fx.LABOUR, 1.5, 60.0, 90.0)]
		)
		self.assertEqual(flt(doc.net_total), 183.5)
		self.assertEqual(
			(doc.docstatus, doc.update_stock, doc.issue, doc.customer), (0, 0, issue.name, fx.CUSTOMER)
		)
		self.assertEqual(frappe.db.get_value("Service Part Usage", filters.name, "sales_invoice"), name)
		# the quota's price rule and ERPNext's invoice agree on a part without a Pricing Rule
		self.assertEqual(pricing.part_rate(fx.FILTER, fx.CUSTOMER), 44.0)

		# a second call makes no second invoice; a new part goes on the same draft
		self.assertEqual(api.make_service_invoice(issue.name), name)
		fx.use(issue, fx.GASKET, 2)
		self.assertEqual(api.make_service_invoice(issue.name), name)
		self.assertEqual(frappe.db.count("Sales Invoice", {"issue": issue.name}), 1)
		doc, lines = self.invoice_lines(name)
		self.assertIn((fx.GASKET, 2.0, 5.5, 11.0), lines)
		self.assertEqual(flt(doc.net_total), 194.5)

		# submitted by accounts: no stock moves twice, and nothing is billed again
		frappe.set_user("Administrator")
		doc.submit()
		self.assertEqual(frappe.db.count("Stock Ledger Entry", {"voucher_no": name}), 0)
		# the parts left the stores once, by their usage's own Stock Entry
		self.assertEqual(
			frappe.db.get_value(
				"Stock Ledger Entry",
				{"voucher_no": filters.stock_entry, "is_cancelled": 0},
				"actual_qty",
			),
			-2,
		)
		frappe.set_user(FINANCE)
		with self.assertRaisesRegex(frappe.ValidationError, "invoiced already"):
			api.make_service_invoice(issue.name)
		# the customer sees it on the ticket page, linked to ERPNext's /invoices
		frappe.set_user(self.portal_user)
		self.assertEqual([row.name for row in ticket_view(issue.name)["invoices"]], [name])
		# more time logged later is billed once, on a new draft
		frappe.set_user("Administrator")
		fx.log_time(issue, 30)
		frappe.set_user(FINANCE)
		later = api.make_service_invoice(issue.name)
		self.assertNotEqual(later, name)
		self.assertEqual(self.invoice_lines(later)[1], [(fx.LABOUR, 0.5, 60.0, 30.0)])
		# cancelling the first invoice frees its parts for the next one
		frappe.set_user("Administrator")
		frappe.get_doc("Sales Invoice", name).cancel()
		self.assertIsNone(frappe.db.get_value("Service Part Usage", filters.name, "sales_invoice"))
		self.assertEqual(api.make_service_invoice(issue.name), later)
		self.assertIn((fx.FILTER, 2.0, 44.0, 88.0), self.invoice_lines(later)[1])

	def test_cancelled_ticket_is_refused(self):
		issue = fx.ticket("Pump, cancelled", serial_no=self.expired)
		frappe.set_user(AGENT)
		fx.use(issue, fx.FILTER, 1)
		issue.reload()
		issue.status, issue.cancel_reason = "Cancelled", "Customer withdrew"
		issue.save()
		with self.assertRaisesRegex(frappe.ValidationError, "cancelled"):
			api.make_service_invoice(issue.name)
		self.assertFalse(frappe.db.exists("Sales Invoice", {"issue": issue.name}))

	def test_who_may_invoice(self):
		issue = fx.ticket("Pump, permissions", serial_no=self.expired)
		frappe.set_user(AGENT)
		fx.use(issue, fx.FILTER, 1)
		for user in (self.portal_user, self.attacker, SALES, VIEWER):
			frappe.set_user(user)
			with self.assertRaises(frappe.PermissionError, msg=user):
				api.make_service_invoice(issue.name)
		self.assertFalse(frappe.db.exists("Sales Invoice", {"issue": issue.name}))
		for user in (MANAGER, FINANCE):
			frappe.set_user(user)
			self.assertTrue(api.make_service_invoice(issue.name))
		self.assertEqual(frappe.db.count("Sales Invoice", {"issue": issue.name}), 1)
		# another customer's portal user never sees the ticket, nor its invoices
		frappe.set_user(self.attacker)
		with self.assertRaises(frappe.PageDoesNotExistError):
			ticket_view(issue.name)

	def test_pricing_rule_replaces_the_markup(self):
		frappe.get_doc(
			{
				"doctype": "Pricing Rule",
				"title": "SP Billing gasket price",
				"apply_on": "Item Code",
				"items": [{"item_code": fx.GASKET}],
				"selling": 1,
				"company": company(),
				"rate_or_discount": "Rate",
				"rate": 7.25,
				"valid_from": "2020-01-01",
				"currency": frappe.get_cached_value("Price List", fx.price_list(), "currency"),
			}
		).insert(ignore_permissions=True)
		issue = fx.ticket("Pump, pricing rule", serial_no=self.expired)
		frappe.set_user(AGENT)
		fx.use(issue, fx.GASKET, 2)
		_doc, lines = self.invoice_lines(api.make_service_invoice(issue.name))
		self.assertEqual(lines, [(fx.GASKET, 2.0, 7.25, 14.5)])
