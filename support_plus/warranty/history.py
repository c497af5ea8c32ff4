"""A serial's or a customer's service history: tickets, warranty claims, maintenance visits and service
contracts, newest first. Each kind is read with the caller's permissions (`frappe.get_list`): what the
caller may not read is left out, not refused. Parts installed or replaced join when parts usage exists.

The customer portal reads the same history through its own `read` (support_plus.portal.equipment): a
portal user has no role permissions, and sees the tickets the portal's rule lets them see.
"""

from datetime import datetime

import frappe
from frappe import _
from frappe.utils import get_datetime


def service_history(
	serial_no: str | None = None, customer: str | None = None, limit: int = 200, read=None
) -> list[dict]:
	"""[{"date", "doctype", "name", "title", "status", "serial_no"}], newest first. `read(doctype,
	filters, fields, limit) -> rows` reads each kind (default: with the caller's permissions)."""
	rows_of = read or _readable_by_caller
	if not serial_no and not customer:
		frappe.throw(_("Give a serial number or a customer."))
	if serial_no and not frappe.db.exists("Serial No", serial_no):
		frappe.throw(
			_("Serial No {0} does not exist.").format(frappe.bold(serial_no)), frappe.DoesNotExistError
		)
	if customer and not frappe.db.exists("Customer", customer):
		frappe.throw(
			_("Customer {0} does not exist.").format(frappe.bold(customer)), frappe.DoesNotExistError
		)
	out = []

	def where(serial_field="serial_no", customer_field="customer"):
		filters = {}
		if serial_no:
			filters[serial_field] = serial_no
		if customer:
			filters[customer_field] = customer
		return filters

	for row in rows_of(
		"Issue", where(), ["name", "subject", "status", "opening_date", "creation", "serial_no"], limit
	):
		out.append(_entry(row.creation, "Issue", row.name, row.subject, row.status, row.serial_no))
	for row in rows_of(
		"Warranty Claim", where(), ["name", "complaint", "status", "complaint_date", "serial_no"], limit
	):
		out.append(
			_entry(row.complaint_date, "Warranty Claim", row.name, row.complaint, row.status, row.serial_no)
		)
	visit_filters = [["Maintenance Visit", "docstatus", "=", 1]]
	if serial_no:
		visit_filters.append(["Maintenance Visit Purpose", "serial_no", "=", serial_no])
	if customer:
		visit_filters.append(["Maintenance Visit", "customer", "=", customer])
	for row in rows_of(
		"Maintenance Visit",
		visit_filters,
		["name", "mntc_date", "completion_status", "`tabMaintenance Visit Purpose`.work_done as work_done",
		 "`tabMaintenance Visit Purpose`.serial_no as serial_no"],
		limit,
	):  # fmt: skip
		out.append(
			_entry(
				row.mntc_date,
				"Maintenance Visit",
				row.name,
				row.work_done,
				row.completion_status,
				row.serial_no,
			)
		)
	contract_filters = [["Service Contract", "docstatus", "=", 1]]
	if customer:
		contract_filters.append(["Service Contract", "customer", "=", customer])
	if serial_no:
		from support_plus.warranty.coverage import _contracts, get_serial

		names = [row.name for row in _contracts(get_serial(serial_no), None, everything=True)]
		contract_filters.append(["Service Contract", "name", "in", names or [""]])
	for row in rows_of(
		"Service Contract", contract_filters, ["name", "contract_type", "start_date", "end_date"], limit
	):
		title = _("{0} until {1}").format(row.contract_type, frappe.format(row.end_date, "Date"))
		out.append(_entry(row.start_date, "Service Contract", row.name, title, row.contract_type, serial_no))
	out.sort(key=lambda e: (e["date"] or datetime.min, e["doctype"], e["name"]), reverse=True)
	return out[:limit]


def _readable_by_caller(doctype, filters, fields, limit) -> list:
	if not frappe.has_permission(doctype, "read"):
		return []
	return frappe.get_list(doctype, filters=filters, fields=fields, limit_page_length=limit, distinct=True)


def _entry(when, doctype, name, title, status, serial_no) -> dict:
	return {
		"date": get_datetime(when) if when else None,
		"doctype": doctype,
		"name": name,
		"title": frappe.utils.strip_html(title or "")[:140],
		"status": status,
		"serial_no": serial_no,
	}
