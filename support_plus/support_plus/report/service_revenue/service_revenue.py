# Copyright (c) 2026, support_plus developers and contributors
# For license information, please see license.txt
"""Service Revenue: what the tickets' service invoices (submitted ERPNext Sales Invoices with a `issue`,
support_plus.parts.billing) brought in, by month or by customer: invoices, parts and labour (net, in the
company currency; labour is the lines of the Labour Item of Support Plus Settings), net and grand total,
and what is still outstanding. Two set-based selects on the invoices' posting-date index (one over the
invoice lines for the split, one over the invoices for the totals). Accounts users and Support Managers.

Its reference doctype is Issue (the tickets' revenue), not Sales Invoice: Frappe runs a report only for
roles with "report" on its reference doctype, and a Support Manager has no right on Sales Invoice (a
report-only right would fail Frappe's own permission validation, "No basic permissions set", on the next
change an administrator makes to Sales Invoice's rules; select would list invoices with their amounts).
Who reads the invoices' money is decided here, in `check_permission`."""

import frappe
from frappe import _
from frappe.utils import flt, formatdate

from support_plus.analytics import kpis
from support_plus.analytics.labels import column
from support_plus.parts.billing import labour_item
from support_plus.utils.roles import MANAGER_ROLES

GROUPS = {
	"Month": "date_format(si.posting_date, '%%Y-%%m-01')",
	"Customer": "si.customer",
}


def execute(filters=None):
	filters = frappe._dict(filters or {})
	rows, group_by = revenue_rows(filters)
	columns = [
		{"label": _(group_by), "fieldname": "group", "fieldtype": "Data", "width": 200},
		column(_("Invoices"), "invoices", "Int", 90),
		column(_("Parts"), "parts", "Currency"),
		column(_("Labour"), "labour", "Currency"),
		column(_("Net Total"), "net_total", "Currency"),
		column(_("Grand Total"), "grand_total", "Currency"),
		column(_("Outstanding"), "outstanding", "Currency"),
	]
	chart = None
	if rows:
		chart = {
			"data": {
				"labels": [row["group"] for row in rows],
				"datasets": [
					{"name": _("Parts"), "values": [row["parts"] for row in rows]},
					{"name": _("Labour"), "values": [row["labour"] for row in rows]},
				],
			},
			"type": "bar",
			"barOptions": {"stacked": 1},
		}
	return columns, rows, None, chart


def check_permission() -> None:
	if not (frappe.has_permission("Sales Invoice", "read") or MANAGER_ROLES.intersection(frappe.get_roles())):
		frappe.throw(_("You are not permitted to read service revenue."), frappe.PermissionError)


def revenue_rows(filters) -> tuple[list[dict], str]:
	check_permission()
	group_by = filters.get("group_by") or "Month"
	if group_by not in GROUPS:
		frappe.throw(_("Group By must be one of {0}.").format(", ".join(GROUPS)))
	scope = kpis.make_scope(
		filters.get("from_date"),
		filters.get("to_date"),
		company=filters.get("company"),
		customer=filters.get("customer"),
	)
	params = {"from_date": scope.from_date, "to_date": scope.to_date, "labour": labour_item() or ""}
	conditions = [
		"si.docstatus = 1",
		"si.posting_date between %(from_date)s and %(to_date)s",
		"si.issue is not null",
		"si.issue != ''",
	]
	for key in ("company", "customer"):
		if filters.get(key):
			conditions.append(f"si.{key} = %({key})s")
			params[key] = filters.get(key)
	where = " and ".join(conditions)
	group = GROUPS[group_by]
	split = {
		row.g: row
		for row in frappe.db.sql(  # nosemgrep: fixed SQL, values bound
			f"""select {group} as g,
				sum(case when line.item_code = %(labour)s then line.base_net_amount else 0 end) as labour,
				sum(case when line.item_code != %(labour)s then line.base_net_amount else 0 end) as parts
			from `tabSales Invoice` si
			join `tabSales Invoice Item` line on line.parent = si.name and line.parenttype = 'Sales Invoice'
			where {where} group by g""",
			params,
			as_dict=True,
		)
	}
	totals = frappe.db.sql(  # nosemgrep: fixed SQL, values bound
		f"""select {group} as g, count(*) as invoices, sum(si.base_net_total) as net_total,
			sum(si.base_grand_total) as grand_total,
			sum(si.outstanding_amount * si.conversion_rate) as outstanding
		from `tabSales Invoice` si where {where} group by g order by g""",
		params,
		as_dict=True,
	)
	rows = []
	for row in totals:
		part = split.get(row.g) or frappe._dict()
		rows.append(
			{
				"group": formatdate(row.g) if group_by == "Month" else row.g,
				"invoices": int(row.invoices),
				"parts": flt(part.get("parts"), 2),
				"labour": flt(part.get("labour"), 2),
				"net_total": flt(row.net_total, 2),
				"grand_total": flt(row.grand_total, 2),
				"outstanding": flt(row.outstanding, 2),
			}
		)
	return rows, group_by
