"""Who owns a serial number, and when its warranty starts.

A Delivery Note, or a Sales Invoice that updates stock, sets `customer`, `delivered_on` and the delivering
document on each serial it delivers when it is submitted; cancelling it (or a return) clears them again,
only on the serials that document delivered. Support and stock managers edit the fields by hand for
equipment sold before support_plus was installed.

The warranty starts at delivery, or at installation when the Item says so (`warranty_starts_on`), and
lasts the Item's `warranty_period` days; ERPNext counts it from delivery always, so `warranty_expiry_date`
is set again here after ERPNext's stock code wrote it. An Installation Note sets `installed_on`.

A part fitted on a job (support_plus.parts.usage) is delivered and installed that day, to the ticket's
customer; a part taken out there (the replaced one) belongs to no customer any more.
"""

import frappe
from frappe.utils import add_days, cint, getdate

DELIVERY, INSTALLATION = "Delivery", "Installation"


def warranty_expiry(item_code: str | None, delivered_on, installed_on):
	"""The warranty expiry date of a serial of `item_code` delivered and installed on those days (None:
	no warranty period, or not yet started)."""
	if not item_code:
		return None
	period, starts_on = frappe.get_cached_value("Item", item_code, ["warranty_period", "warranty_starts_on"])
	start = installed_on if starts_on == INSTALLATION else delivered_on
	if not cint(period) or not start:
		return None
	return add_days(getdate(start), cint(period))


def serials_of(doc) -> dict[str, list[str]]:
	"""{item_code: [serial numbers]} a stock document moves (bundles, or the rows' serial text)."""
	from erpnext.stock.doctype.serial_no.serial_no import get_serial_nos as parse_serial_nos
	from erpnext.stock.serial_batch_bundle import get_serial_nos

	out: dict[str, list[str]] = {}
	for row in doc.get("items") or []:
		names = get_serial_nos(row.serial_and_batch_bundle) if row.get("serial_and_batch_bundle") else []
		names = names or parse_serial_nos(row.get("serial_no") or "")
		if names:
			out.setdefault(row.item_code, []).extend(names)
	return out


def on_delivery_submit(doc, method=None) -> None:
	"""Delivery Note / Sales Invoice `on_submit`: the delivered serials belong to the customer."""
	if not _moves_stock(doc):
		return
	if doc.get("is_return"):
		_clear_owner(doc)
		return
	delivered = getdate(doc.posting_date)
	for item_code, names in serials_of(doc).items():
		for name in names:
			installed = frappe.db.get_value("Serial No", name, "installed_on")
			frappe.db.set_value(
				"Serial No",
				name,
				{
					"customer": doc.customer,
					"delivered_on": delivered,
					"delivery_document_type": doc.doctype,
					"delivery_document_no": doc.name,
					"warranty_expiry_date": warranty_expiry(item_code, delivered, installed),
				},
			)
		_follow_contracts(names)


def on_delivery_cancel(doc, method=None) -> None:
	"""Delivery Note / Sales Invoice `on_cancel`: the serials it delivered have no owner again."""
	if not _moves_stock(doc):
		return
	if doc.get("is_return"):
		return  # the return's cancel puts the serials back with the original delivery's customer: keep it simple
	_clear_owner(doc)


def _clear_owner(doc) -> None:
	source = doc.get("return_against") if doc.get("is_return") else doc.name
	for names in serials_of(doc).values():
		_clear_owner_of(names, source)


def _clear_owner_of(names: list[str], source: str) -> None:
	"""The serials `source` delivered have no owner again (those another document delivered since keep theirs)."""
	serial = frappe.qb.DocType("Serial No")
	(
		frappe.qb.update(serial)
		.set(serial.customer, None)
		.set(serial.delivered_on, None)
		.set(serial.installed_on, None)
		.set(serial.delivery_document_type, None)
		.set(serial.delivery_document_no, None)
		.set(serial.warranty_expiry_date, None)
		.where(serial.name.isin(names) & (serial.delivery_document_no == source))
	).run()
	_follow_contracts(names)


def _moves_stock(doc) -> bool:
	return doc.doctype == "Delivery Note" or bool(doc.get("update_stock"))


def on_installation_submit(doc, method=None) -> None:
	"""Installation Note `on_submit`: its serials were installed on its date (their warranty may start)."""
	installed = getdate(doc.inst_date)
	for item_code, names in serials_of(doc).items():
		for name in names:
			delivered = frappe.db.get_value("Serial No", name, "delivered_on")
			frappe.db.set_value(
				"Serial No",
				name,
				{
					"installed_on": installed,
					"warranty_expiry_date": warranty_expiry(item_code, delivered, installed),
				},
			)


def on_serial_validate(doc, method=None) -> None:
	"""Serial No `validate`: dates edited by hand move the warranty with them."""
	before = doc.get_doc_before_save()
	changed = not before or any(
		str(before.get(f) or "") != str(doc.get(f) or "")
		for f in ("delivered_on", "installed_on", "item_code")
	)
	if changed and (doc.get("delivered_on") or doc.get("installed_on")):
		doc.warranty_expiry_date = warranty_expiry(doc.item_code, doc.delivered_on, doc.installed_on)
		doc.set_maintenance_status()  # ERPNext's, from the dates just set


def _follow_contracts(names: list[str]) -> None:
	from support_plus.warranty.contracts import sync_serials

	sync_serials(names)


def on_part_installed(
	item_code: str, names: list[str], customer: str | None, day, doctype: str, docname: str
):
	"""A part fitted on a job (support_plus.parts.usage): its serials belong to the ticket's customer,
	delivered and installed that day (their warranty starts then), the job's record as the delivery."""
	day = getdate(day)
	for name in names:
		frappe.db.set_value(
			"Serial No",
			name,
			{
				"customer": customer,
				"delivered_on": day,
				"installed_on": day,
				"delivery_document_type": doctype,
				"delivery_document_no": docname,
				"warranty_expiry_date": warranty_expiry(item_code, day, day),
			},
		)
	_follow_contracts(names)


def on_part_installed_cancel(names: list[str], doctype: str, docname: str) -> None:
	"""The job's record is cancelled: the serials it installed have no owner again."""
	if names:
		_clear_owner_of(names, docname)


def on_part_removed(names: list[str], customer: str | None = None) -> None:
	"""A part taken out at a customer's (replaced, or taken back): it no longer belongs to them. With
	`customer` (a cancelled removal), it belongs to them again."""
	if not names:
		return
	serial = frappe.qb.DocType("Serial No")
	frappe.qb.update(serial).set(serial.customer, customer).where(serial.name.isin(names)).run()
	_follow_contracts(names)
