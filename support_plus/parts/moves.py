"""Stock moves of parts, on ERPNext's own Stock Entry and Serial and Batch Bundle.

support_plus keeps no count of its own: every move is a submitted Stock Entry made by ERPNext's
`make_stock_entry` helper, serial numbers go through ERPNext v15's Serial and Batch Bundle (the row's
`use_serial_batch_fields`, from which ERPNext makes the bundle), and the quantity on hand is ERPNext's Bin.

What ERPNext does not give is a safe "is it still there?" under concurrency: its checks read the ledger
without a lock first, so two technicians taking the last unit at the same moment both pass them and the
second one fails deep in the ledger code (or the stock goes negative where that is allowed).
`lock_stock` takes the Bin row of the item and warehouse (and the serials' rows) with a locking read
before anything is made, so the second process waits for the first to commit, then sees the real
quantity and gets a clear "not in stock" error.

The technician using a part has no right to stock documents: the moves are made as the stock keeper
(`as_stock_keeper`) once support_plus has checked the technician may use the part on that ticket.
"""

import json
from contextlib import contextmanager

import frappe
from frappe import _
from frappe.utils import flt

RETURNS = "Returns"
LOANERS = "Loaners at Customers"


class NotInStockError(frappe.ValidationError):
	pass


@contextmanager
def as_stock_keeper():
	"""Run the block as Administrator, then give the caller their session back untouched. Frappe's
	`set_user` changes the session in place and empties the request's caches and form; here only the
	session and the per-user caches are switched (Administrator's kept for the rest of the request:
	`role_permissions` is keyed by user already)."""
	local = frappe.local
	if local.session.user == "Administrator":
		yield
		return
	saved = (local.session, local.user_perms, local.new_doc_templates)
	keeper = getattr(local, "sp_stock_keeper", None)
	if keeper is None:
		keeper = local.sp_stock_keeper = {"user_perms": None, "templates": {}}
	local.session = frappe._dict(
		local.session, user="Administrator", sid="Administrator", data=frappe._dict()
	)
	local.user_perms, local.new_doc_templates = keeper["user_perms"], keeper["templates"]
	try:
		yield
	finally:
		keeper["user_perms"] = local.user_perms
		local.session, local.user_perms, local.new_doc_templates = saved


def special_warehouse(company: str, warehouse_name: str) -> str:
	"""The company's "Returns" or "Loaners at Customers" warehouse, made on first use under its root."""
	abbr = frappe.get_cached_value("Company", company, "abbr")
	name = f"{warehouse_name} - {abbr}"
	if frappe.db.exists("Warehouse", name):
		return name
	parent = frappe.db.get_value("Warehouse", {"company": company, "is_group": 1}, "name", order_by="lft asc")
	frappe.db.savepoint("sp_special_warehouse")
	try:
		doc = frappe.get_doc(
			{
				"doctype": "Warehouse",
				"warehouse_name": warehouse_name,
				"company": company,
				"parent_warehouse": parent,
			}
		)
		doc.insert(ignore_permissions=True)
		# ERPNext keeps its warehouse -> stock account map for the request (frappe.flags): without this the
		# first move into the new warehouse is refused as "not linked to any account".
		frappe.flags.pop("warehouse_account_map", None)
		return doc.name
	except frappe.DuplicateEntryError:  # made by another process at the same moment
		frappe.db.rollback(save_point="sp_special_warehouse")
		return name


def parse_serials(text: str | list | None) -> list[str]:
	if not text:
		return []
	if isinstance(text, str) and text.strip().startswith("["):  # a JSON list, as REST clients send one
		try:
			text = json.loads(text)
		except ValueError:
			pass
	if isinstance(text, list | tuple):
		values = text
	else:
		values = str(text).replace(",", "\n").split("\n")
	return list(dict.fromkeys(v.strip() for v in values if v and v.strip()))


def lock_stock(item_code: str, warehouse: str, qty: float, serials: list[str] | None = None) -> list[str]:
	"""Lock the item's Bin row in `warehouse` and check (on the latest committed data) that `qty` units,
	and these serials, are there; return the serials to move (picked first in, first out when the item
	has serial numbers and none were given). Throws NotInStockError."""
	has_serial = frappe.get_cached_value("Item", item_code, "has_serial_no")
	on_hand = frappe.db.sql(
		"select actual_qty from `tabBin` where item_code = %s and warehouse = %s for update",
		(item_code, warehouse),
	)
	available = flt(on_hand[0][0]) if on_hand else 0
	if available < flt(qty):
		frappe.throw(
			_("{0} is not in stock in {1}: {2} on hand, {3} needed.").format(
				frappe.bold(item_code), frappe.bold(warehouse), available, flt(qty)
			),
			NotInStockError,
			title=_("Not in Stock"),
		)
	if not has_serial:
		if serials:
			frappe.throw(_("Item {0} has no serial numbers.").format(frappe.bold(item_code)))
		return []
	if serials:
		found = dict(
			frappe.db.sql(
				"""select name, warehouse from `tabSerial No`
				where name in %(names)s and item_code = %(item)s for update""",
				{"names": serials, "item": item_code},
			)
		)
		for serial in serials:
			if found.get(serial) != warehouse:
				frappe.throw(
					_("Serial No {0} of {1} is not in warehouse {2}.").format(
						frappe.bold(serial), frappe.bold(item_code), frappe.bold(warehouse)
					),
					NotInStockError,
					title=_("Not in Stock"),
				)
		return serials
	picked = frappe.db.sql(
		"""select name from `tabSerial No` where item_code = %s and warehouse = %s
		order by creation, name limit %s for update""",
		(item_code, warehouse, int(qty)),
		pluck=True,
	)
	if len(picked) < qty:
		frappe.throw(
			_("{0} is not in stock in {1}.").format(frappe.bold(item_code), frappe.bold(warehouse)),
			NotInStockError,
			title=_("Not in Stock"),
		)
	return picked


def make_entry(
	purpose: str,
	company: str,
	item_code: str,
	qty: float,
	*,
	source: str | None = None,
	target: str | None = None,
	serials: list[str] | None = None,
	batch_no: str | None = None,
	posting_date=None,
	zero_rate: bool = False,
	rate: float | None = None,
	link: tuple[str, str] | None = None,
	remarks: str | None = None,
):
	"""A submitted Stock Entry of one row, made by ERPNext's helper; `link` (fieldname, name) is the
	support_plus record it belongs to (a custom field on Stock Entry)."""
	from erpnext.stock.doctype.stock_entry.stock_entry_utils import make_stock_entry

	args = {
		"purpose": purpose,
		"company": company,
		"item_code": item_code,
		"qty": qty,
		"from_warehouse": source,
		"to_warehouse": target,
		"do_not_save": True,
	}
	if rate:
		args["rate"] = rate
	if serials or batch_no:
		args.update(use_serial_batch_fields=1, serial_no="\n".join(serials or []), batch_no=batch_no)
	if posting_date:
		args["posting_date"] = posting_date
	entry = make_stock_entry(**args)
	if zero_rate:
		entry.items[0].allow_zero_valuation_rate = 1
	if link:
		entry.set(link[0], link[1])
	entry.remarks = remarks
	with as_stock_keeper():
		entry.insert(ignore_permissions=True)
		entry.submit()
	return entry


def cancel_entry(name: str | None) -> None:
	"""Cancel a Stock Entry support_plus made (ERPNext reverses its ledger rows and serial moves)."""
	if not name or frappe.db.get_value("Stock Entry", name, "docstatus") != 1:
		return
	with as_stock_keeper():
		entry = frappe.get_doc("Stock Entry", name)
		entry.flags.ignore_permissions = True
		entry.flags.ignore_links = True
		entry.cancel()
