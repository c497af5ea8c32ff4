# Copyright (c) 2026, support_plus developers and contributors
# For license information, please see license.txt
"""Parts Shortage: the tickets that waited in Pending Parts, from when to when, how long (hours; a wait
still going counts until now), and for which part.

The waits are read from Frappe's own change tracking (Issue tracks changes: one Version row per save,
`{"changed": [["status", old, new], ...]}`): a wait starts with a change to Pending Parts in the period and
ends with the next change away from it. A technician filter keeps the tickets assigned to them. The part is the ticket's `waiting_for_item` (the vans work: the part
a Pending Parts ticket waits for) as set in the same save, else as the ticket has it now. Set-based:
MariaDB's JSON_TABLE over the Issue Versions since the start of the period (index on ref_doctype,
creation, support_plus.setup.billing_fields) that mention Pending Parts, one window function to pair each
start with its end; the viewer's Issue permissions apply."""

import frappe
from frappe import _

from support_plus.analytics import kpis
from support_plus.analytics.labels import column, hours

PENDING_PARTS = "Pending Parts"
CHANGES = "columns(field varchar(140) path '$[0]', old_value varchar(140) path '$[1]', new_value varchar(140) path '$[2]')"


def execute(filters=None):
	filters = frappe._dict(filters or {})
	rows = waits(filters)
	columns = [
		{"label": _("Ticket"), "fieldname": "issue", "fieldtype": "Link", "options": "Issue", "width": 130},
		column(_("Subject"), "subject", "Data", 220),
		{
			"label": _("Customer"),
			"fieldname": "customer",
			"fieldtype": "Link",
			"options": "Customer",
			"width": 160,
		},
		{"label": _("Part"), "fieldname": "item_code", "fieldtype": "Link", "options": "Item", "width": 150},
		column(_("Waiting Since"), "started", "Datetime", 160),
		column(_("Until"), "ended", "Datetime", 160),
		column(_("Hours Waited"), "hours"),
		column(_("Still Waiting"), "waiting", "Check", 90),
		column(_("Status Now"), "status", "Data", 110),
	]
	by_item: dict[str, float] = {}
	for row in rows:
		key = row["item_code"] or _("Not Set")
		by_item[key] = by_item.get(key, 0) + (row["hours"] or 0)
	chart = None
	if by_item:
		top = sorted(by_item.items(), key=lambda kv: -kv[1])[:20]
		chart = {
			"data": {
				"labels": [k for k, _v in top],
				"datasets": [{"name": _("Hours Waited"), "values": [round(v, 2) for _k, v in top]}],
			},
			"type": "bar",
		}
	return columns, rows, None, chart


def has_waiting_item_field() -> bool:
	return bool(frappe.get_meta("Issue").has_field("waiting_for_item"))


def waits(filters) -> list[dict]:
	scope = kpis.report_scope(filters)
	where, params = kpis.ticket_conditions(scope)
	params["pending"] = PENDING_PARTS
	params["like"] = f"%{PENDING_PARTS}%"
	current_item = "`tabIssue`.waiting_for_item" if has_waiting_item_field() else "null"
	item_filter = ""
	if filters.get("item_code"):
		item_filter = "and part = %(item_code)s"
		params["item_code"] = filters.item_code
	if filters.get("technician"):
		user = frappe.db.get_value("Service Technician", filters.technician, "user")
		if not user:
			frappe.throw(
				_("Service Technician {0} does not exist.").format(frappe.bold(filters.technician)),
				frappe.DoesNotExistError,
			)
		where += " and json_contains(coalesce(`tabIssue`._assign, '[]'), json_quote(%(technician_user)s))"
		params["technician_user"] = user
	rows = frappe.db.sql(  # nosemgrep: fixed SQL and the scope's conditions, values bound
		f"""
		select * from (
			select moves.issue, `tabIssue`.subject, `tabIssue`.customer, `tabIssue`.status,
				moves.at as started, moves.ended,
				coalesce(moves.item_then, {current_item}) as part,
				timestampdiff(second, moves.at, coalesce(moves.ended, %(now)s)) as seconds
			from (
				select m.*,
					case when lead(m.old_value) over w = %(pending)s then lead(m.at) over w end as ended
				from (
					select v.docname as issue, v.creation as at, s.old_value, s.new_value,
						(select w.new_value from json_table(v.data, '$.changed[*]' {CHANGES}) w
							where w.field = 'waiting_for_item' limit 1) as item_then
					from `tabVersion` v
					join json_table(v.data, '$.changed[*]' {CHANGES}) s
					where v.ref_doctype = 'Issue' and v.creation >= %(start)s and v.data like %(like)s
						and s.field = 'status' and (s.new_value = %(pending)s or s.old_value = %(pending)s)
				) m
				window w as (partition by m.issue order by m.at)
			) moves
			join `tabIssue` on `tabIssue`.name = moves.issue
			where moves.new_value = %(pending)s and moves.at < %(end)s and {where}
		) waits
		where 1 = 1 {item_filter}
		order by started, issue""",
		params,
		as_dict=True,
	)
	return [
		{
			"issue": row.issue,
			"subject": row.subject,
			"customer": row.customer,
			"item_code": row.part,
			"started": row.started,
			"ended": row.ended,
			"hours": hours(row.seconds),
			"waiting": 0 if row.ended else 1,
			"status": _(row.status),
		}
		for row in rows
	]
