# Copyright (c) 2026, support_plus developers and contributors
# For license information, please see license.txt
"""Parts Usage: the parts used on jobs (submitted Service Part Usages, Installed or Consumed) in the period,
by ticket, technician, customer or item: how many, their cost (valuation of the Stock Entries), and how
much was chargeable (quantity, cost, the amount billed) versus covered by warranty or by a contract (the
contract's share is what its parts quota counted). One set-based select on the usages' posting-date index;
the viewer's permissions on Service Part Usage apply."""

import frappe
from frappe import _
from frappe.desk.reportview import build_match_conditions

from support_plus.analytics import kpis
from support_plus.analytics.labels import column
from support_plus.parts.quota import COVERED_BY_CONTRACT_SQL

T = "`tabService Part Usage`"
GROUPS = {
	"Ticket": f"{T}.issue",
	"Technician": f"{T}.technician",
	"Customer": f"{T}.customer",
	"Item": f"{T}.item_code",
}
CHARGEABLE = f"{T}.chargeable = 1"
WARRANTY = f"({T}.chargeable = 0 and {T}.coverage = 'Under Warranty')"


def execute(filters=None):
	filters = frappe._dict(filters or {})
	data, group_by = usage_rows(filters)
	columns = [
		{"label": _(group_by), "fieldname": "group", "fieldtype": "Data", "width": 200},
		column(_("Usages"), "usages", "Int", 90),
		column(_("Qty"), "qty"),
		column(_("Cost"), "cost", "Currency"),
		column(_("Chargeable Qty"), "chargeable_qty"),
		column(_("Chargeable Cost"), "chargeable_cost", "Currency"),
		column(_("Chargeable Amount"), "chargeable_amount", "Currency"),
		column(_("Warranty Qty"), "warranty_qty"),
		column(_("Warranty Cost"), "warranty_cost", "Currency"),
		column(_("Contract Qty"), "contract_qty"),
		column(_("Contract Cost"), "contract_cost", "Currency"),
		column(_("Contract Quota Used"), "contract_amount", "Currency"),
	]
	chart = None
	if data:
		top = sorted(data, key=lambda r: -r["cost"])[:20]
		chart = {
			"data": {
				"labels": [row["group"] for row in top],
				"datasets": [
					{"name": _("Chargeable Cost"), "values": [row["chargeable_cost"] for row in top]},
					{"name": _("Warranty Cost"), "values": [row["warranty_cost"] for row in top]},
					{"name": _("Contract Cost"), "values": [row["contract_cost"] for row in top]},
				],
			},
			"type": "bar",
			"barOptions": {"stacked": 1},
		}
	return columns, data, None, chart


def usage_rows(filters) -> tuple[list[dict], str]:
	frappe.has_permission("Service Part Usage", "read", throw=True)
	group_by = filters.get("group_by") or "Ticket"
	if group_by not in GROUPS:
		frappe.throw(_("Group By must be one of {0}.").format(", ".join(GROUPS)))
	scope = kpis.make_scope(
		filters.get("from_date"),
		filters.get("to_date"),
		company=filters.get("company"),
		customer=filters.get("customer"),
	)
	params = {"from_date": scope.from_date, "to_date": scope.to_date}
	conditions = [
		f"{T}.docstatus = 1",
		f"{T}.posting_date between %(from_date)s and %(to_date)s",
		f"{T}.usage_type in ('Installed', 'Consumed')",
	]
	for key, field, doctype in (
		("company", "company", None),
		("customer", "customer", None),
		("technician", "technician", "Service Technician"),
		("item_code", "item_code", "Item"),
	):
		value = filters.get(key)
		if not value:
			continue
		if doctype and not frappe.db.exists(doctype, value):
			frappe.throw(
				_("{0} {1} does not exist.").format(_(doctype), frappe.bold(value)), frappe.DoesNotExistError
			)
		conditions.append(f"{T}.{field} = %({key})s")
		params[key] = value
	match = build_match_conditions("Service Part Usage")
	if match:
		conditions.append(f"({match})")
	rows = frappe.db.sql(  # nosemgrep: fixed columns and conditions, values bound
		f"""select {GROUPS[group_by]} as g, count(*) as usages, sum({T}.qty) as qty,
			sum({T}.cost_amount) as cost,
			sum(case when {CHARGEABLE} then {T}.qty else 0 end) as chargeable_qty,
			sum(case when {CHARGEABLE} then {T}.cost_amount else 0 end) as chargeable_cost,
			sum(case when {CHARGEABLE} then {T}.amount else 0 end) as chargeable_amount,
			sum(case when {WARRANTY} then {T}.qty else 0 end) as warranty_qty,
			sum(case when {WARRANTY} then {T}.cost_amount else 0 end) as warranty_cost,
			sum(case when {COVERED_BY_CONTRACT_SQL} then {T}.qty else 0 end) as contract_qty,
			sum(case when {COVERED_BY_CONTRACT_SQL} then {T}.cost_amount else 0 end) as contract_cost,
			sum(case when {COVERED_BY_CONTRACT_SQL} then {T}.amount else 0 end) as contract_amount
		from {T}
		where {" and ".join(conditions)}
		group by g
		order by g""",
		params,
		as_dict=True,
	)
	out = []
	for row in rows:
		item = {key: float(value or 0) for key, value in row.items() if key != "g"}
		item["usages"] = int(row.usages)
		item["group"] = row.g or _("Not Set")
		out.append(item)
	return out, group_by
