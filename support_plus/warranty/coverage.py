"""THE coverage rule: what a serial number is entitled to on a given day.

- **Under Warranty**: the day is on or before the serial's `warranty_expiry_date` (and not before it was
  delivered). Warranty wins over a contract on the same day.
- **Under Contract**: a submitted Service Contract covers the serial on that day (start and end dates
  included): the serial is in its rows, or it belongs to the contract's customer and its item is one of
  the contract's items.
- **Out of Warranty**: neither, but the serial had a warranty expiry date or a contract.
- **Unknown**: no warranty expiry date and never a contract.

Every reader (the API, the ticket fields, claims, the portal) asks `coverage()`; nobody else compares
those dates. Two indexed lookups a call: the serial by name, the contract by serial or by customer.
"""

from datetime import date, datetime

import frappe
from frappe import _
from frappe.utils import escape_html, getdate

from support_plus.utils import clock

UNDER_WARRANTY = "Under Warranty"
UNDER_CONTRACT = "Under Contract"
OUT_OF_WARRANTY = "Out of Warranty"
UNKNOWN = "Unknown"
STATUSES = (UNDER_WARRANTY, UNDER_CONTRACT, OUT_OF_WARRANTY, UNKNOWN)
COVERED = frozenset((UNDER_WARRANTY, UNDER_CONTRACT))

SERIAL_FIELDS = ("name", "item_code", "customer", "warranty_expiry_date", "delivered_on")


def coverage(serial_no: str, on_date: date | datetime | str | None = None, serial=None) -> dict:
	"""{"serial_no", "item_code", "customer", "status", "warranty_expiry_date", "contract", "contract_type",
	"contract_end", "covers_parts", "covers_labour"} of `serial_no` on `on_date` (default: today).

	The contract fields name the contract in force that day, also when the warranty wins; `covers_parts`
	and `covers_labour` say what is covered that day (a warranty covers both). `serial`: its row from
	`get_serial`, when the caller has it."""
	day = as_date(on_date)
	serial = serial or get_serial(serial_no)
	contract = contract_on(serial, day)
	expiry = getdate(serial.warranty_expiry_date) if serial.warranty_expiry_date else None
	delivered = getdate(serial.delivered_on) if serial.delivered_on else None
	if expiry and day <= expiry and (not delivered or day >= delivered):
		status = UNDER_WARRANTY
	elif contract:
		status = UNDER_CONTRACT
	elif expiry or had_contract(serial):
		status = OUT_OF_WARRANTY
	else:
		status = UNKNOWN
	return {
		"serial_no": serial.name,
		"item_code": serial.item_code,
		"customer": serial.customer,
		"status": status,
		"warranty_expiry_date": expiry,
		"contract": contract.name if contract else None,
		"contract_type": contract.contract_type if contract else None,
		"contract_end": getdate(contract.end_date) if contract else None,
		"covers_parts": status == UNDER_WARRANTY or bool(status == UNDER_CONTRACT and contract.covers_parts),
		"covers_labour": status == UNDER_WARRANTY
		or bool(status == UNDER_CONTRACT and contract.covers_labour),
	}


def as_date(value: date | datetime | str | None) -> date:
	"""A day given as a date, a datetime or a string (None: today on the one clock); a clear error else."""
	if value in (None, ""):
		return clock.today()
	if isinstance(value, datetime):
		return clock.parse(value).date()
	if isinstance(value, date):
		return value
	try:
		return getdate(value)
	except Exception:
		frappe.throw(_("{0} is not a date.").format(frappe.bold(escape_html(str(value)))))


def get_serial(serial_no: str) -> frappe._dict:
	serial = (
		frappe.db.get_value("Serial No", serial_no, SERIAL_FIELDS, as_dict=True)
		if isinstance(serial_no, str) and serial_no
		else None
	)
	if not serial:
		frappe.throw(
			_("Serial No {0} does not exist.").format(frappe.bold(escape_html(str(serial_no or "")))),
			frappe.DoesNotExistError,
		)
	return serial


def contract_on(serial, day: date) -> frappe._dict | None:
	"""The submitted contract covering `serial` on `day` (the one ending last, if several)."""
	rows = _contracts(serial, day)
	return rows[0] if rows else None


def had_contract(serial) -> bool:
	return bool(_contracts(serial, None))


def _contracts(serial, day: date | None, everything: bool = False) -> list[frappe._dict]:
	"""The submitted contracts covering `serial` (on `day`, if given), the one ending last first; only that
	one unless `everything`."""
	dates = "and c.start_date <= %(day)s and c.end_date >= %(day)s" if day else ""
	fields = "c.name, c.contract_type, c.end_date, c.covers_parts, c.covers_labour, c.service_level_agreement"
	by_item = ""
	if serial.customer and serial.item_code:
		by_item = f"""
			union all
			select {fields} from `tabService Contract` c
			join `tabService Contract Item` i on i.parent = c.name and i.parenttype = 'Service Contract'
			where c.customer = %(customer)s and i.item_code = %(item)s and c.docstatus = 1 {dates}"""
	return frappe.db.sql(  # nosemgrep: one indexed lookup per branch, values bound
		f"""
		select * from (
			select {fields} from `tabService Contract Serial` s
			join `tabService Contract` c on c.name = s.parent
			where s.serial_no = %(serial)s and s.parenttype = 'Service Contract' and c.docstatus = 1 {dates}
			{by_item}
		) covering order by end_date desc, name {"" if everything else "limit 1"}""",
		{"serial": serial.name, "customer": serial.customer, "item": serial.item_code, "day": day},
		as_dict=True,
	)
