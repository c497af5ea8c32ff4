"""Return Material Authorization: a faulty part goes back to its vendor.

Requested -> Shipped -> Replaced / Credited / Rejected (Rejected also straight from Requested). The
status changes only through the actions here, each a row lock on the RMA first (two clicks move it once):

- **ship**: a Material Issue of the part (its serial) from where it waits, by default the "Returns"
  warehouse a replaced part is received into (support_plus.parts.usage). A Material Issue, not ERPNext's
  Purchase Return: the part was usually bought long ago, on no purchase receipt of ours.
- **receive_replacement**: the vendor's replacement is received (Material Receipt) at the value that was
  shipped, a new serial number when the item has them.
- **credit**: the vendor credits it (their credit note's number is kept); no stock moves.
- **reject**: the vendor refuses it; a part already shipped comes back where it was.
"""

import frappe
from frappe import _
from frappe.utils import flt, nowdate

from support_plus.parts import moves

REQUESTED, SHIPPED, REPLACED, CREDITED, REJECTED = "Requested", "Shipped", "Replaced", "Credited", "Rejected"
NEXT = {
	SHIPPED: (REQUESTED,),
	REPLACED: (SHIPPED,),
	CREDITED: (SHIPPED,),
	REJECTED: (REQUESTED, SHIPPED),
}
LINK_FIELD = "return_material_authorization"  # custom field on Stock Entry


def validate(doc) -> None:
	if flt(doc.qty) <= 0:
		frappe.throw(_("The quantity must be more than zero."), title=_("Invalid Quantity"))
	if doc.serial_no:
		item = frappe.db.get_value("Serial No", doc.serial_no, "item_code")
		if item != doc.item_code:
			frappe.throw(
				_("Serial No {0} is not of item {1}.").format(
					frappe.bold(doc.serial_no), frappe.bold(doc.item_code)
				)
			)
		doc.qty = 1
	elif frappe.get_cached_value("Item", doc.item_code, "has_serial_no"):
		frappe.throw(_("Give the serial number of the part going back."))
	if doc.service_part_usage and not doc.issue:
		doc.issue = frappe.db.get_value("Service Part Usage", doc.service_part_usage, "issue")
	if not doc.company:
		doc.company = frappe.defaults.get_user_default("Company") or frappe.db.get_single_value(
			"Global Defaults", "default_company"
		)
	if not doc.warehouse:
		doc.warehouse = moves.special_warehouse(doc.company, moves.RETURNS)
	before = doc.get_doc_before_save()
	if doc.is_new():
		doc.status = REQUESTED
	elif before and before.status != doc.status and not doc.flags.rma_action:
		frappe.throw(_("The status of a return changes only through its actions."))
	if before and before.status != REQUESTED and not doc.flags.rma_action:
		for field in ("item_code", "serial_no", "qty", "warehouse", "company", "supplier"):
			if str(before.get(field) or "") != str(doc.get(field) or ""):
				frappe.throw(_("A shipped return cannot be changed."))


def on_trash(doc) -> None:
	if doc.shipment_entry:
		frappe.throw(_("A return that was shipped cannot be deleted."))


def create(
	supplier: str,
	item_code: str | None = None,
	reason: str | None = None,
	serial_no: str | None = None,
	issue: str | None = None,
	qty: float = 1,
	warehouse: str | None = None,
	service_part_usage: str | None = None,
) -> str:
	"""A new return (Requested); from a part usage, its replaced serial is the part going back."""
	if service_part_usage:
		usage = frappe.db.get_value(
			"Service Part Usage", service_part_usage, ["old_serial_no", "issue", "company"], as_dict=True
		)
		if not usage:
			frappe.throw(_("Part usage {0} does not exist.").format(frappe.bold(service_part_usage)))
		serial_no = serial_no or usage.old_serial_no
		issue = issue or usage.issue
	if serial_no and not item_code:
		item_code = frappe.db.get_value("Serial No", serial_no, "item_code")
	if not reason:
		frappe.throw(_("Say why the part goes back."))
	doc = frappe.get_doc(
		{
			"doctype": "Return Material Authorization",
			"supplier": supplier,
			"item_code": item_code,
			"serial_no": serial_no,
			"qty": qty,
			"issue": issue,
			"warehouse": warehouse,
			"reason": reason,
			"service_part_usage": service_part_usage,
		}
	)
	if service_part_usage:
		doc.company = usage.company
	doc.insert()
	return doc.name


def _take(name: str, status: str):
	"""The RMA, row-locked, if it may move to `status`; the caller's write permission checked."""
	if not frappe.db.exists("Return Material Authorization", name):
		frappe.throw(_("Return {0} does not exist.").format(frappe.bold(name)), frappe.DoesNotExistError)
	doc = frappe.get_doc("Return Material Authorization", name, for_update=True)
	doc.check_permission("write")
	if doc.status not in NEXT[status]:
		frappe.throw(
			_("Return {0} is {1}: it cannot be marked {2}.").format(
				frappe.bold(name), _(doc.status), _(status)
			)
		)
	return doc


def _save(doc, status: str, **values) -> None:
	doc.update(values)
	doc.status = status
	doc.flags.rma_action = True
	doc.save()


def ship(name: str, supplier_reference: str | None = None, posting_date=None) -> None:
	doc = _take(name, SHIPPED)
	serials = [doc.serial_no] if doc.serial_no else []
	moves.lock_stock(doc.item_code, doc.warehouse, flt(doc.qty), serials)
	entry = moves.make_entry(
		"Material Issue",
		doc.company,
		doc.item_code,
		flt(doc.qty),
		source=doc.warehouse,
		serials=serials,
		posting_date=posting_date,
		link=(LINK_FIELD, doc.name),
		remarks=_("Returned to supplier {0} ({1})").format(doc.supplier, doc.name),
	)
	row = entry.items[0]
	_save(
		doc,
		SHIPPED,
		shipment_entry=entry.name,
		shipped_on=entry.posting_date,
		valuation_rate=flt(row.valuation_rate or row.basic_rate),
		supplier_reference=supplier_reference or doc.supplier_reference,
	)


def receive_replacement(name: str, serial_no: str | None = None, warehouse: str | None = None) -> str:
	"""The vendor's replacement arrives; the Stock Entry's name."""
	doc = _take(name, REPLACED)
	has_serial = frappe.get_cached_value("Item", doc.item_code, "has_serial_no")
	if has_serial and not serial_no:
		frappe.throw(_("Give the serial number of the replacement."))
	if serial_no and not has_serial:
		frappe.throw(_("Item {0} has no serial numbers.").format(frappe.bold(doc.item_code)))
	if serial_no and frappe.db.get_value("Serial No", serial_no, "warehouse"):
		frappe.throw(_("Serial No {0} is already in stock.").format(frappe.bold(serial_no)))
	if serial_no and not frappe.db.exists("Serial No", serial_no):
		frappe.get_doc(
			{
				"doctype": "Serial No",
				"serial_no": serial_no,
				"item_code": doc.item_code,
				"company": doc.company,
			}
		).insert(ignore_permissions=True)
	target = warehouse or _main_warehouse(doc.company) or doc.warehouse
	entry = moves.make_entry(
		"Material Receipt",
		doc.company,
		doc.item_code,
		flt(doc.qty),
		target=target,
		serials=[serial_no] if serial_no else None,
		rate=flt(doc.valuation_rate),
		zero_rate=not flt(doc.valuation_rate),
		link=(LINK_FIELD, doc.name),
		remarks=_("Replacement from supplier {0} ({1})").format(doc.supplier, doc.name),
	)
	_save(
		doc,
		REPLACED,
		replacement_entry=entry.name,
		replacement_serial_no=serial_no,
		replacement_warehouse=target,
		resolved_on=nowdate(),
	)
	return entry.name


def credit(name: str, credit_reference: str | None = None) -> None:
	doc = _take(name, CREDITED)
	_save(doc, CREDITED, credit_reference=credit_reference, resolved_on=nowdate())


def reject(name: str, reason: str | None = None) -> None:
	"""The vendor refuses the part; when it was shipped, it comes back where it waited."""
	doc = _take(name, REJECTED)
	values = {"rejection_reason": reason, "resolved_on": nowdate()}
	if doc.status == SHIPPED:
		entry = moves.make_entry(
			"Material Receipt",
			doc.company,
			doc.item_code,
			flt(doc.qty),
			target=doc.warehouse,
			serials=[doc.serial_no] if doc.serial_no else None,
			rate=flt(doc.valuation_rate),
			zero_rate=not flt(doc.valuation_rate),
			link=(LINK_FIELD, doc.name),
			remarks=_("Rejected by supplier {0} ({1})").format(doc.supplier, doc.name),
		)
		values["replacement_entry"] = entry.name
	_save(doc, REJECTED, **values)


def _main_warehouse(company: str) -> str | None:
	default = frappe.db.get_single_value("Stock Settings", "default_warehouse")
	if default and frappe.get_cached_value("Warehouse", default, "company") == company:
		return default
	return None
