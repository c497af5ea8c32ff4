# Copyright (c) 2026, support_plus developers and contributors
# For license information, please see license.txt
"""Repeat Issues: the tickets opened in the period that repeat an earlier ticket of the same customer
opened at most N days before (filter `days`, default 30) about the same serial number or of the same
issue type ("Same" says Serial No when the serial matches). One row per repeat ticket, with the latest earlier ticket it repeats and how
many earlier ones there are in the window; the chart counts repeats per customer.

Set-based SQL: a self-join of Issue on (customer, creation) (index `sp_analytics_customer`, kpis), the
viewer's permissions on both sides (an earlier ticket the viewer may not read is not shown)."""

import frappe
from frappe import _
from frappe.utils import cint

from support_plus.analytics import kpis
from support_plus.analytics.labels import column

DEFAULT_DAYS = 30
MAX_DAYS = 366
# The earlier ticket `b` is about the same thing as the ticket: the same serial or the same type.
SAME_SERIAL = "(b.serial_no is not null and b.serial_no = `tabIssue`.serial_no)"
SAME_TYPE = "(b.issue_type is not null and b.issue_type = `tabIssue`.issue_type)"


def execute(filters=None):
	filters = frappe._dict(filters or {})
	days = DEFAULT_DAYS if filters.get("days") in (None, "") else cint(filters.get("days"))
	if not 1 <= days <= MAX_DAYS:
		frappe.throw(_("Within Days must be between 1 and {0}.").format(MAX_DAYS))
	scope = kpis.report_scope(filters)
	where, params = kpis.ticket_conditions(scope)
	params["days"] = days
	data = frappe.db.sql(
		f"""select `tabIssue`.name as ticket, `tabIssue`.creation as opened, `tabIssue`.customer,
			`tabIssue`.serial_no, `tabIssue`.issue_type, `tabIssue`.status,
			max({SAME_SERIAL}) as by_serial, count(*) as earlier,
			max(b.creation) as previous_opened,
			substring_index(group_concat(b.name order by b.creation desc, b.name desc), ',', 1) as previous
		from `tabIssue`
		join (select name, customer, serial_no, issue_type, creation from `tabIssue`
			where customer is not null and {where}) b
			on b.customer = `tabIssue`.customer and b.creation < `tabIssue`.creation
			and b.creation >= `tabIssue`.creation - interval %(days)s day
			and ({SAME_SERIAL} or {SAME_TYPE})
		where `tabIssue`.creation >= %(start)s and `tabIssue`.creation < %(end)s
			and `tabIssue`.customer is not null and {where}
		group by `tabIssue`.name
		order by `tabIssue`.customer, `tabIssue`.creation""",
		params,
		as_dict=True,
	)
	rows = [
		{
			"ticket": row.ticket,
			"opened": row.opened,
			"customer": row.customer,
			"serial_no": row.serial_no,
			"issue_type": row.issue_type,
			"status": row.status,
			"matched_on": _("Serial No") if row.by_serial else _("Issue Type"),
			"previous": row.previous,
			"previous_opened": row.previous_opened,
			"days_since": round((row.opened - row.previous_opened).total_seconds() / 86400, 1),
			"earlier": row.earlier,
		}
		for row in data
	]
	columns = [
		column(_("Ticket"), "ticket", "Link", 140) | {"options": "Issue"},
		column(_("Opened"), "opened", "Datetime", 160),
		column(_("Customer"), "customer", "Link", 180) | {"options": "Customer"},
		column(_("Serial No"), "serial_no", "Link", 140) | {"options": "Serial No"},
		column(_("Issue Type"), "issue_type", "Link", 130) | {"options": "Issue Type"},
		column(_("Status"), "status", "Data", 110),
		column(_("Same"), "matched_on", "Data", 100),
		column(_("Previous Ticket"), "previous", "Link", 140) | {"options": "Issue"},
		column(_("Previous Opened"), "previous_opened", "Datetime", 160),
		column(_("Days Since"), "days_since", "Float", 100),
		column(_("Earlier in Window"), "earlier", "Int", 120),
	]
	per_customer: dict[str, int] = {}
	for row in rows:
		per_customer[row["customer"]] = per_customer.get(row["customer"], 0) + 1
	top = sorted(per_customer.items(), key=lambda item: (-item[1], item[0]))[:10]
	chart = (
		{
			"data": {
				"labels": [customer for customer, _n in top],
				"datasets": [{"name": _("Repeat Tickets"), "values": [n for _c, n in top]}],
			},
			"type": "bar",
		}
		if top
		else None
	)
	return columns, rows, None, chart
