"""Parts used on a job: the Service Part Usage's rules, and `use_part`.

On submit the part moves on ERPNext's stock ledger (support_plus.parts.moves), never in a count of ours:

- **Installed / Consumed**: a Material Issue from the source warehouse (by default the van of the
  technician: the user themself when assigned to the ticket, else the ticket's assignee). An installed
  serial belongs to the ticket's customer from that day (support_plus.warranty.serials).
- **Returned**: a part taken back from the customer, received (Material Receipt, at no value) into the
  "Returns" warehouse; its serial belongs to no customer any more.
- **Loaner**: a Material Transfer to "Loaners at Customers" until `return_loaner` (support_plus.parts.loaners).
- **old_serial_no** (the part replaced): received into "Returns" for refurbishment or a return to the
  vendor (support_plus.parts.rma), and removed from the customer.

Cancel cancels every Stock Entry the usage made, last first, and gives the serials back their owners.

Chargeable: an Installed or Consumed part is charged unless the coverage rule (support_plus.warranty.coverage,
for the ticket's serial, else the replaced serial, on the posting date) says parts are covered (a
warranty, or a contract covering parts: a CMC). A ticket without a serial is "Unknown": charged.

Who: a Support Manager (or System Manager) on any ticket and warehouse; a Support Agent or Stock User
with write access to the ticket, from any warehouse; a technician only on a ticket assigned to them, from
their own van (or into Returns). Anyone else is refused before anything is made.
"""

import frappe
from frappe import _
from frappe.utils import flt, getdate, nowdate

from support_plus.parts import moves
from support_plus.utils.roles import SERVICE_TECHNICIAN, SUPPORT_AGENT, is_manager
from support_plus.warranty import coverage as coverage_rule
from support_plus.warranty import serials as serial_owner

INSTALLED, CONSUMED, RETURNED, LOANER = "Installed", "Consumed", "Returned", "Loaner"
USAGE_TYPES = (INSTALLED, CONSUMED, RETURNED, LOANER)
ISSUED = (INSTALLED, CONSUMED)
STOCK_ROLES = frozenset(("Stock User", "Stock Manager"))
LINK_FIELD = "service_part_usage"  # custom field on Stock Entry: the usage that made it


def use_part(
	issue: str,
	item_code: str,
	qty: float = 1,
	serial_no: str | list[str] | None = None,
	warehouse: str | None = None,
	usage_type: str = INSTALLED,
	old_serial_no: str | None = None,
	expected_return_date=None,
	**values,
) -> str:
	"""Record a part used on a ticket and move its stock (a submitted Service Part Usage); its name.
	Nothing is left behind when it is refused."""
	if not issue or not frappe.db.exists("Issue", issue):
		frappe.throw(
			_("Ticket {0} does not exist.").format(frappe.bold(issue or "")), frappe.DoesNotExistError
		)
	frappe.db.savepoint("sp_use_part")
	try:
		doc = frappe.get_doc(
			{
				"doctype": "Service Part Usage",
				"issue": issue,
				"item_code": item_code,
				"qty": qty,
				"serial_no": "\n".join(moves.parse_serials(serial_no)) or None,
				"warehouse": warehouse,
				"usage_type": usage_type,
				"old_serial_no": old_serial_no,
				"expected_return_date": expected_return_date,
				**values,
			}
		)
		doc.docstatus = 1  # inserted submitted: validated and saved once (Frappe checks the submit right)
		doc.insert()
	except Exception:
		_undo("sp_use_part")
		raise
	return doc.name


def _undo(savepoint: str) -> None:
	try:
		frappe.db.rollback(save_point=savepoint)
	except Exception:  # a deadlock already ended the transaction (and its savepoint)
		frappe.db.rollback()


# The controller's rules
# ----------------------


def validate(doc) -> None:
	if doc.usage_type not in USAGE_TYPES:
		frappe.throw(_("Usage type must be one of {0}.").format(", ".join(_(t) for t in USAGE_TYPES)))
	if flt(doc.qty) <= 0:
		frappe.throw(_("The quantity must be more than zero."), title=_("Invalid Quantity"))
	item = frappe.get_cached_value("Item", doc.item_code, ["is_stock_item", "has_serial_no", "disabled"])
	if not item:
		frappe.throw(_("Item {0} does not exist.").format(frappe.bold(doc.item_code)))
	if not item[0]:
		frappe.throw(_("Item {0} is not a stock item.").format(frappe.bold(doc.item_code)))
	serials = moves.parse_serials(doc.serial_no)
	doc.serial_no = "\n".join(serials) or None
	if serials and len(serials) != flt(doc.qty):
		frappe.throw(_("{0} serial numbers given for a quantity of {1}.").format(len(serials), flt(doc.qty)))
	if item[1] and flt(doc.qty) != int(flt(doc.qty)):
		frappe.throw(_("A serialised part is used in whole units."))
	ticket = _ticket(doc)
	_set_technician_and_warehouse(doc)
	check_access(doc)
	if doc.usage_type == LOANER:
		if not doc.expected_return_date:
			frappe.throw(_("A loaner needs an expected return date."), title=_("Missing Return Date"))
		if getdate(doc.expected_return_date) < getdate(doc.posting_date):
			frappe.throw(_("A loaner cannot be due back before it is lent."))
	elif doc.expected_return_date:
		doc.expected_return_date = None
	if doc.old_serial_no:
		_check_old_serial(doc)
	doc.company = frappe.get_cached_value("Warehouse", doc.warehouse, "company")
	fill_coverage(doc, ticket.get("serial_no") if ticket else None)
	doc.amount = flt(doc.rate) * flt(doc.qty) if doc.chargeable else 0


def _ticket(doc) -> dict | None:
	if not doc.issue:
		if not (doc.maintenance_visit or doc.service_appointment):
			frappe.throw(_("Name the ticket, visit or appointment the part was used on."))
		return None
	ticket = frappe.db.get_value("Issue", doc.issue, ["customer", "serial_no"], as_dict=True)
	if not ticket:
		frappe.throw(_("Ticket {0} does not exist.").format(frappe.bold(doc.issue)), frappe.DoesNotExistError)
	if ticket.customer:
		doc.customer = ticket.customer
	return ticket


def _set_technician_and_warehouse(doc) -> None:
	if not doc.technician:
		doc.technician = default_technician(doc.issue)
	if doc.usage_type == RETURNED and not doc.warehouse:
		doc.warehouse = moves.special_warehouse(_company_hint(doc), moves.RETURNS)
	if not doc.warehouse and doc.technician:
		doc.warehouse = frappe.db.get_value("Service Technician", doc.technician, "van_warehouse")
	if not doc.warehouse:
		frappe.throw(
			_("Choose the source warehouse: the ticket's technician has no van."),
			title=_("No Warehouse"),
		)
	if frappe.get_cached_value("Warehouse", doc.warehouse, "is_group"):
		frappe.throw(_("Warehouse {0} is a group.").format(frappe.bold(doc.warehouse)))


def _company_hint(doc) -> str:
	van = doc.technician and frappe.db.get_value("Service Technician", doc.technician, "van_warehouse")
	return (
		(van and frappe.get_cached_value("Warehouse", van, "company"))
		or doc.company
		or frappe.defaults.get_user_default("Company")
		or frappe.db.get_single_value("Global Defaults", "default_company")
	)


def default_technician(issue: str | None) -> str | None:
	"""The user's own profile when they are assigned to the ticket (or there is no ticket), else the
	first assignee of the ticket with a technician profile."""
	user = frappe.session.user
	own = frappe.db.get_value("Service Technician", {"user": user})
	assignees = _assignees(issue) if issue else []
	if own and (not issue or user in assignees):
		return own
	for assignee in assignees:
		name = frappe.db.get_value("Service Technician", {"user": assignee})
		if name:
			return name
	return None


def _assignees(issue: str) -> list[str]:
	return frappe.get_all(
		"ToDo",
		filters={"reference_type": "Issue", "reference_name": issue, "status": "Open"},
		pluck="allocated_to",
	)


def check_access(doc, user: str | None = None) -> None:
	"""Refuse a user who may not use parts on this ticket, or from this warehouse."""
	user = user or frappe.session.user
	if user == "Administrator" or is_manager(user):
		return
	roles = set(frappe.get_roles(user))
	office = roles & (STOCK_ROLES | {SUPPORT_AGENT})
	if office and (not doc.issue or frappe.has_permission("Issue", "write", doc=doc.issue, user=user)):
		return
	if SERVICE_TECHNICIAN in roles and doc.issue and user in _assignees(doc.issue):
		van = frappe.db.get_value("Service Technician", {"user": user}, "van_warehouse")
		returns = doc.usage_type == RETURNED and doc.warehouse.startswith(moves.RETURNS + " - ")
		if doc.warehouse == van or returns:
			return
		frappe.throw(
			_("You can only use parts from your own van."), frappe.PermissionError, title=_("Not Permitted")
		)
	frappe.throw(
		_("You can only record parts on a ticket assigned to you."),
		frappe.PermissionError,
		title=_("Not Permitted"),
	)


def _check_old_serial(doc) -> None:
	old = frappe.db.get_value(
		"Serial No", doc.old_serial_no, ["name", "item_code", "customer", "warehouse"], as_dict=True
	)
	if not old:
		frappe.throw(_("Serial No {0} does not exist.").format(frappe.bold(doc.old_serial_no)))
	if old.warehouse:
		frappe.throw(
			_("Serial No {0} is in warehouse {1}, not at a customer's.").format(
				frappe.bold(old.name), frappe.bold(old.warehouse)
			)
		)
	if old.customer and doc.customer and old.customer != doc.customer:
		frappe.throw(
			_("Serial No {0} is not registered to this ticket's customer.").format(frappe.bold(old.name)),
			title=_("Wrong Serial Number"),
		)
	if doc.old_serial_no in moves.parse_serials(doc.serial_no):
		frappe.throw(_("The replaced part cannot be the part fitted."))


def fill_coverage(doc, ticket_serial: str | None) -> None:
	"""Chargeable, coverage and contract from THE coverage rule (support_plus.warranty.coverage)."""
	if doc.usage_type not in ISSUED:
		doc.chargeable, doc.coverage, doc.service_contract = 0, None, None
		return
	serial = ticket_serial or doc.old_serial_no
	if not serial:
		doc.chargeable, doc.coverage, doc.service_contract = 1, coverage_rule.UNKNOWN, None
		return
	result = coverage_rule.coverage(serial, getdate(doc.posting_date))
	doc.coverage = result["status"]
	doc.service_contract = result["contract"]
	doc.chargeable = 0 if result["covers_parts"] else 1


def on_submit(doc) -> None:
	serials = moves.parse_serials(doc.serial_no)
	link = (LINK_FIELD, doc.name)
	remarks = _("Part used on ticket {0} ({1})").format(doc.issue or doc.maintenance_visit or "", doc.name)
	posting_date = doc.posting_date if getdate(doc.posting_date) != getdate(nowdate()) else None
	values = {}
	if doc.usage_type in (*ISSUED, LOANER):
		picked = moves.lock_stock(doc.item_code, doc.warehouse, flt(doc.qty), serials)
		if picked != serials:
			serials = picked
			values["serial_no"] = "\n".join(picked)
		loaner = doc.usage_type == LOANER
		entry = moves.make_entry(
			"Material Transfer" if loaner else "Material Issue",
			doc.company,
			doc.item_code,
			flt(doc.qty),
			source=doc.warehouse,
			target=moves.special_warehouse(doc.company, moves.LOANERS) if loaner else None,
			serials=serials,
			batch_no=doc.batch_no,
			posting_date=posting_date,
			link=link,
			remarks=remarks,
		)
		row = entry.items[0]
		values.update(
			stock_entry=entry.name,
			valuation_rate=flt(row.valuation_rate or row.basic_rate),
			cost_amount=flt(row.amount or row.basic_amount),
		)
		if doc.usage_type == INSTALLED and serials:
			serial_owner.on_part_installed(
				doc.item_code, serials, doc.customer, doc.posting_date, doc.doctype, doc.name
			)
	elif doc.usage_type == RETURNED:
		entry = moves.make_entry(
			"Material Receipt",
			doc.company,
			doc.item_code,
			flt(doc.qty),
			target=doc.warehouse,
			serials=serials,
			batch_no=doc.batch_no,
			posting_date=posting_date,
			zero_rate=True,
			link=link,
			remarks=remarks,
		)
		values["stock_entry"] = entry.name
		serial_owner.on_part_removed(serials)
	if doc.old_serial_no:
		old_item = frappe.db.get_value("Serial No", doc.old_serial_no, "item_code")
		entry = moves.make_entry(
			"Material Receipt",
			doc.company,
			old_item,
			1,
			target=moves.special_warehouse(doc.company, moves.RETURNS),
			serials=[doc.old_serial_no],
			posting_date=posting_date,
			zero_rate=True,
			link=link,
			remarks=_("Part replaced on ticket {0} ({1})").format(doc.issue or "", doc.name),
		)
		values["return_stock_entry"] = entry.name
		serial_owner.on_part_removed([doc.old_serial_no])
	doc.db_set(values, update_modified=False)


def on_cancel(doc) -> None:
	"""Every Stock Entry the usage made is cancelled, the last first; the serials get their owners back."""
	for name in (doc.loaner_return_entry, doc.return_stock_entry, doc.stock_entry):
		moves.cancel_entry(name)
	serials = moves.parse_serials(doc.serial_no)
	if doc.usage_type == INSTALLED and serials:
		serial_owner.on_part_installed_cancel(serials, doc.doctype, doc.name)
	if doc.usage_type == RETURNED and serials:
		serial_owner.on_part_removed(serials, doc.customer)
	if doc.old_serial_no:
		serial_owner.on_part_removed([doc.old_serial_no], doc.customer)


def ticket_parts(issue: str) -> dict:
	"""The parts used on a ticket (submitted usages), their cost and what is chargeable."""
	rows = frappe.get_all(
		"Service Part Usage",
		filters={"issue": issue, "docstatus": 1},
		fields=[
			"name",
			"item_code",
			"item_name",
			"qty",
			"usage_type",
			"serial_no",
			"old_serial_no",
			"chargeable",
			"coverage",
			"cost_amount",
			"amount",
			"expected_return_date",
			"returned_on",
			"sales_invoice",
		],
		order_by="creation asc",
	)
	return {
		"parts": rows,
		"cost": sum(flt(r.cost_amount) for r in rows),
		"chargeable_cost": sum(flt(r.cost_amount) for r in rows if r.chargeable),
		"chargeable_amount": sum(flt(r.amount) for r in rows if r.chargeable),
		"chargeable_count": sum(1 for r in rows if r.chargeable),
	}
