"""Service invoices: a ticket's chargeable parts and labour on a draft ERPNext Sales Invoice.

The invoice is ERPNext's own Sales Invoice (its taxes, accounts, portal `/invoices` and payments), never a
home-made bill. support_plus only decides what goes on it:

- **Parts**: the ticket's submitted Service Part Usages of type Installed or Consumed that are
  `chargeable` (the warranty/contract check said so, or the contract's parts quota was used up:
  support_plus.parts.quota) and not on an invoice yet. Each line is the part and its quantity at
  ERPNext's price (the price list of support_plus.parts.pricing; a matching Pricing Rule applies), with the
  markup of Support Plus Settings when no Pricing Rule applies; a part without a price is billed at its cost
  plus the markup. Warranty and contract parts are never billed (the contract's quota counts them).
- **Labour**: the minutes logged on the ticket's appointments (`time_spent_minutes` of its Service
  Appointments, written when the technician completes the visit) in hours, times the price list rate of the
  Labour Item of Support Plus Settings; not billed when the ticket's serial was under warranty, or under a
  contract that covers labour, on the day the ticket was opened. Hours already on a submitted invoice of the
  ticket are not billed again.
- The invoice does not update stock (`update_stock = 0`): the parts left the van with their own Stock
  Entries when they were used.
- Idempotent: a usage names its invoice (`sales_invoice`), the invoice its ticket (`issue`). A second call
  adds only what is new to the ticket's open draft (or returns it as it is); when everything is on a
  submitted invoice already it refuses, naming the invoice. Cancelling or deleting the invoice frees its
  usages for the next one. The ticket row is locked while the invoice is made: two calls at once make one.
"""

import frappe
from frappe import _
from frappe.utils import flt

from support_plus.parts import pricing
from support_plus.utils import clock
from support_plus.utils.roles import SUPPORT_AGENT, SUPPORT_MANAGER
from support_plus.warranty import coverage

BILLED_USAGE_TYPES = ("Installed", "Consumed")
ACCOUNTS_ROLES = frozenset(("Accounts User", "Accounts Manager"))
BILLING_ROLES = frozenset((SUPPORT_AGENT, SUPPORT_MANAGER, "System Manager")) | ACCOUNTS_ROLES
CANCELLED = "Cancelled"


def check_permission(issue: str, user: str | None = None) -> None:
	"""Support Agents and Managers who can read the ticket, and accountants, may bill a ticket."""
	roles = set(frappe.get_roles(user))
	if not roles & BILLING_ROLES:
		frappe.throw(_("You are not permitted to invoice tickets."), frappe.PermissionError)
	if not frappe.db.exists("Issue", issue):
		frappe.throw(_("Ticket {0} does not exist.").format(frappe.bold(issue)), frappe.DoesNotExistError)
	if not roles & ACCOUNTS_ROLES and not frappe.has_permission("Issue", "read", doc=issue, user=user):
		frappe.throw(_("You are not permitted to invoice ticket {0}.").format(issue), frappe.PermissionError)


def make_service_invoice(issue: str) -> str | None:
	"""The name of the ticket's draft service invoice (made, or brought up to date), or None when nothing on
	the ticket is chargeable. See the module docstring for the rules."""
	check_permission(issue)
	ticket = frappe.db.get_value(
		"Issue",
		issue,
		["name", "status", "customer", "company", "serial_no", "opening_date", "creation"],
		as_dict=True,
		for_update=True,  # two calls at once: the second waits, then finds the first one's invoice
	)
	if ticket.status == CANCELLED:
		frappe.throw(
			_("Ticket {0} is cancelled: it cannot be invoiced.").format(frappe.bold(issue)),
			title=_("Cancelled Ticket"),
		)
	parts = uninvoiced_parts(issue)
	hours = labour_hours_to_bill(ticket)
	# Locking reads from here on: they see what a call that held the ticket before committed (a plain read
	# would see this transaction's older snapshot and bill the same parts twice).
	draft = frappe.db.get_value("Sales Invoice", {"issue": issue, "docstatus": 0}, "name", for_update=True)
	if draft and not parts and flt(hours) == draft_labour_hours(draft):
		return draft  # nothing new (also what a second call at the same moment finds)
	if not parts and not hours:
		if draft:
			return draft
		done = invoiced_already(issue)
		if done:
			frappe.throw(
				_("Everything chargeable on ticket {0} is invoiced already: {1}.").format(
					frappe.bold(issue), ", ".join(done)
				),
				title=_("Already Invoiced"),
			)
		return None
	if not ticket.customer:
		frappe.throw(_("Ticket {0} has no customer to invoice.").format(frappe.bold(issue)))
	invoice = frappe.get_doc("Sales Invoice", draft) if draft else new_invoice(ticket)
	add_lines(invoice, ticket, parts, hours)
	invoice.flags.ignore_permissions = True  # checked above: agents bill without ERPNext's accounts rights
	invoice.save()
	if parts:
		usage = frappe.qb.DocType("Service Part Usage")
		(
			frappe.qb.update(usage)
			.set(usage.sales_invoice, invoice.name)
			.where(usage.name.isin([row.name for row in parts]))
		).run()
	return invoice.name


def new_invoice(ticket) -> "frappe.model.document.Document":
	company = ticket.company or frappe.defaults.get_user_default("Company")
	today = clock.today()
	return frappe.get_doc(
		{
			"doctype": "Sales Invoice",
			"customer": ticket.customer,
			"company": company,
			"issue": ticket.name,
			"posting_date": today,
			"set_posting_time": 1,
			"update_stock": 0,  # the parts' Stock Entries moved the stock when they were used
			"selling_price_list": pricing.price_list_for(ticket.customer),
			"remarks": _("Service on ticket {0}").format(ticket.name),
		}
	)


def uninvoiced_parts(issue: str) -> list[frappe._dict]:
	"""The ticket's submitted chargeable parts not on a (draft or submitted) invoice yet."""
	return frappe.db.get_values(
		"Service Part Usage",
		{
			"issue": issue,
			"docstatus": 1,
			"chargeable": 1,
			"usage_type": ("in", BILLED_USAGE_TYPES),
			"sales_invoice": ("is", "not set"),
		},
		["name", "item_code", "item_name", "qty", "stock_uom", "serial_no", "valuation_rate"],
		as_dict=True,
		order_by="posting_date, creation",
		for_update=True,
	)


def logged_minutes(issue: str) -> int:
	"""Minutes logged on the ticket: its completed appointments' time spent (support_plus.dispatch.field)."""
	if not frappe.db.table_exists("Service Appointment"):
		return 0
	appointment = frappe.qb.DocType("Service Appointment")
	total = (
		frappe.qb.from_(appointment)
		.select(frappe.query_builder.functions.Sum(appointment.time_spent_minutes))
		.where((appointment.issue == issue) & (appointment.status == "Completed"))
	).run()[0][0]
	return int(total or 0)


def labour_item() -> str | None:
	return frappe.db.get_single_value("Support Plus Settings", "labour_item")


def labour_covered(ticket) -> bool:
	"""Labour is free when the ticket's serial was under warranty, or under a contract covering labour, on
	the day the ticket was opened (the coverage rule of support_plus.warranty.coverage)."""
	if not ticket.serial_no:
		return False
	day = ticket.opening_date or ticket.creation
	return bool(coverage.coverage(ticket.serial_no, day)["covers_labour"])


def labour_hours_to_bill(ticket) -> float:
	"""Hours logged on the ticket and not on a submitted invoice yet (0 when labour is covered)."""
	minutes = logged_minutes(ticket.name)
	if not minutes or labour_covered(ticket):
		return 0.0
	item = labour_item()
	if not item:
		frappe.throw(
			_(
				"Set the Labour Item in Support Plus Settings to invoice the {0} minutes logged on {1}."
			).format(minutes, frappe.bold(ticket.name)),
			title=_("No Labour Item"),
		)
	invoiced = frappe.db.sql(
		"""select sum(line.qty) from `tabSales Invoice Item` line
		join `tabSales Invoice` inv on inv.name = line.parent
		where inv.issue = %s and inv.docstatus = 1 and line.item_code = %s""",
		(ticket.name, item),
	)[0][0]
	return max(flt(minutes / 60.0 - flt(invoiced), 2), 0.0)


def draft_labour_hours(draft: str) -> float:
	"""The labour hours on the ticket's draft, by a locking read (see make_service_invoice)."""
	item = labour_item()
	if not item:
		return 0.0
	rows = frappe.db.get_values(
		"Sales Invoice Item",
		{"parent": draft, "parenttype": "Sales Invoice", "item_code": item},
		"qty",
		for_update=True,
	)
	return flt(sum(flt(row[0]) for row in rows), 2)


def invoiced_already(issue: str) -> list[str]:
	return frappe.get_all(
		"Sales Invoice", filters={"issue": issue, "docstatus": 1}, pluck="name", order_by="creation"
	)


def add_lines(invoice, ticket, parts: list, hours: float) -> None:
	"""Append the parts and set the labour line (its hours replace a draft's), priced by ERPNext."""
	item = labour_item()
	new_lines = []
	for part in parts:
		line = invoice.append(
			"items",
			{
				"item_code": part.item_code,
				"qty": part.qty,
				"uom": part.stock_uom,
				"description": part_description(part, ticket.name),
			},
		)
		line.support_plus_cost = flt(part.valuation_rate)
		new_lines.append(line)
	if hours:
		invoice.items = [line for line in invoice.items if line.item_code != item]
		line = invoice.append(
			"items",
			{
				"item_code": item,
				"qty": hours,
				"description": _("Labour on ticket {0}: {1} h").format(ticket.name, hours),
			},
		)
		line.support_plus_labour = True
		new_lines.append(line)
	for idx, line in enumerate(invoice.items, 1):
		line.idx = idx
	invoice.set_missing_values()  # ERPNext's item details: price list rate, Pricing Rules, accounts
	markup = pricing.markup_percent()
	for line in new_lines:
		if line.get("support_plus_labour"):
			if not flt(line.price_list_rate):
				frappe.throw(
					_("Labour Item {0} has no rate in price list {1}.").format(
						frappe.bold(item), frappe.bold(invoice.selling_price_list)
					),
					title=_("No Labour Rate"),
				)
			continue
		if line.pricing_rules:
			continue  # ERPNext's Pricing Rule decides this part's price
		if not flt(line.price_list_rate):
			line.price_list_rate = line.rate = line.support_plus_cost  # no price: the part's cost
		if markup:
			line.margin_type = "Percentage"
			line.margin_rate_or_amount = markup


def part_description(part, issue: str) -> str:
	text = _("{0} used on ticket {1} ({2})").format(part.item_name or part.item_code, issue, part.name)
	if part.serial_no:
		text += " — " + _("Serial No {0}").format(", ".join(part.serial_no.split()))
	return text


def release_usages(doc, method=None) -> None:
	"""Sales Invoice `before_cancel` / `on_trash`: its parts may go on the ticket's next invoice (and the
	invoice may be cancelled: Frappe refuses to cancel what a submitted record links to)."""
	if not doc.get("issue"):
		return
	usage = frappe.qb.DocType("Service Part Usage")
	frappe.qb.update(usage).set(usage.sales_invoice, None).where(usage.sales_invoice == doc.name).run()


def ticket_invoices(issue: str, customer: str | None) -> list[frappe._dict]:
	"""The ticket's submitted invoices to its customer, for the portal (ERPNext's `/invoices/<name>` shows
	and takes payment for each; drafts are not the customer's business yet)."""
	if not customer:
		return []
	return frappe.get_all(
		"Sales Invoice",
		filters={"issue": issue, "customer": customer, "docstatus": 1},
		fields=["name", "posting_date", "grand_total", "outstanding_amount", "currency", "status"],
		order_by="posting_date, name",
	)
