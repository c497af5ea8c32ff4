"""What the portal's equipment pages show (/support/equipment): the customer's serial numbers with their
coverage, and one serial's service history. The www/support/equipment/*.py context functions are thin
wrappers around these.

Who sees which serial is support_plus.portal.access's rule (`serial_customers`, `get_visible_serial`);
the coverage is support_plus.warranty.coverage's, the history support_plus.warranty.history's, read
here without role permissions (a portal user has none) but only for a serial the user may see, and with
only the tickets the portal's ticket rule shows them.
"""

import frappe
from frappe import _
from frappe.utils import global_date_format

from support_plus.portal.access import get_visible_serial, serial_customers, ticket_condition
from support_plus.portal.pages import not_found, one_page
from support_plus.warranty import coverage, history

# Bootstrap badge classes of the coverage statuses (the desk's indicator colours).
BADGES = {
	coverage.UNDER_WARRANTY: "badge-success",
	coverage.UNDER_CONTRACT: "badge-primary",
	coverage.OUT_OF_WARRANTY: "badge-danger",
	coverage.UNKNOWN: "badge-secondary",
}
HISTORY_LIMIT = 100
# What a customer calls each kind of record.
KINDS = {
	"Issue": "Ticket",
	"Warranty Claim": "Warranty Claim",
	"Maintenance Visit": "Service Visit",
	"Service Contract": "Service Contract",
}


def list_equipment(search: str | None = None, page: int = 1) -> dict:
	"""The session user's serial numbers, most recently delivered first, a page at a time, each with its
	coverage today."""
	page = max(1, int(page or 1))
	customers = serial_customers(frappe.session.user)
	if not customers:
		return {"serials": [], "total": 0, "page": 1, "pages": 1}
	sn = frappe.qb.DocType("Serial No")
	where = sn.customer.isin(customers)
	if search := (search or "").strip():
		pattern = f"%{search}%"
		where &= sn.name.like(pattern) | sn.item_code.like(pattern) | sn.item_name.like(pattern)
	query = (
		frappe.qb.from_(sn)
		.select(*(sn[field] for field in coverage.SERIAL_FIELDS), sn.item_name)
		.where(where)
		.orderby(sn.delivered_on, order=frappe.qb.desc)
		.orderby(sn.name)
	)
	rows, total, pages, page = one_page(query, sn, where, page)
	serials = [{**row, **_coverage_view(coverage.coverage(row.name, serial=row))} for row in rows]
	return {"serials": serials, "total": total, "page": page, "pages": pages}


def equipment_view(name: str) -> dict:
	"""One serial number as its customer sees it: coverage, expiry and service history."""
	try:
		get_visible_serial(name)
	except frappe.DoesNotExistError:
		not_found()
	serial = frappe.db.get_value(
		"Serial No",
		name,
		[*coverage.SERIAL_FIELDS, "item_name", "installed_on", "amc_expiry_date"],
		as_dict=True,
	)
	return {
		"serial": serial,
		**_coverage_view(coverage.coverage(serial.name, serial=serial)),
		"delivered": global_date_format(serial.delivered_on) if serial.delivered_on else "",
		"installed": global_date_format(serial.installed_on) if serial.installed_on else "",
		"history": portal_history(serial.name),
		"new_ticket_route": "/support/new?" + frappe.utils.urlencode({"serial_no": serial.name}),
	}


def portal_history(serial_no: str) -> list[dict]:
	"""The serial's service history for the session user (who may see the serial: the caller checked),
	each entry with a display date, a title and, for tickets, the portal route."""
	visible_tickets = _visible_tickets(serial_no)

	def read(doctype, filters, fields, limit):
		if doctype == "Issue":
			filters = {**filters, "name": ("in", visible_tickets or ["-"])}
		# The serial is the user's (checked by the caller): its records are read without role permissions.
		return frappe.get_all(doctype, filters=filters, fields=fields, limit_page_length=limit, distinct=True)

	entries = history.service_history(serial_no, limit=HISTORY_LIMIT, read=read)
	for entry in entries:
		entry["when"] = global_date_format(entry["date"]) if entry["date"] else ""
		entry["kind"] = _(KINDS.get(entry["doctype"], entry["doctype"]))
		entry["status_label"] = _(entry["status"]) if entry["status"] else ""
		entry["route"] = f"/support/tickets/{entry['name']}" if entry["doctype"] == "Issue" else None
		if entry["doctype"] == "Warranty Claim":
			# The complaint may quote a ticket of another contact of the customer: the claim's kind only.
			entry["title"] = _("Warranty claim")
	return entries


def _visible_tickets(serial_no: str) -> list[str]:
	issue = frappe.qb.DocType("Issue")
	return (
		frappe.qb.from_(issue)
		.select(issue.name)
		.where((issue.serial_no == serial_no) & ticket_condition(frappe.session.user))
		.limit(HISTORY_LIMIT)
	).run(pluck=True)


def _coverage_view(result: dict) -> dict:
	"""Display values of a coverage answer: the status label and badge, and what ends when."""
	expiry = result["warranty_expiry_date"]
	return {
		"status": result["status"],
		"status_label": _(result["status"]),
		"badge": BADGES[result["status"]],
		"warranty_until": global_date_format(expiry) if expiry else "",
		"contract": result["contract"],
		"contract_type": result["contract_type"],
		"contract_until": global_date_format(result["contract_end"]) if result["contract_end"] else "",
	}


def new_ticket_serial(serial_no: str | None) -> frappe._dict | None:
	"""The serial to prefill the new-ticket form with, when the user may see it (else none)."""
	if not serial_no:
		return None
	try:
		get_visible_serial(serial_no)
	except (frappe.DoesNotExistError, frappe.PermissionError):
		return None
	return frappe.db.get_value("Serial No", serial_no, ["name", "item_code", "item_name"], as_dict=True)
