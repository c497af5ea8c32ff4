"""Who may do what with tickets (seed 003's matrix), as Custom DocPerm rows made by install code.

Role-level rights live here; the row rules (a Sales User sees only the tickets of their projects, a Service
Technician only the tickets assigned or shared to them) are in support_plus.permissions.issue. ERPNext's own
rows (Support Team) are kept as they are.

`DESK_PERMISSIONS` gives each desk role what the desk needs on the records a ticket, an SLA or an
escalation rule links to (ERPNext gives most of them to System Manager only, so an agent could not pick
a priority, open a customer or load the Issue form without "No permission for Support Settings").
These rights are only ever added to what a role has; uninstall takes back exactly what was added.

`REPORT_ROLES` lets the support roles run ERPNext's own support reports (a Custom Role per report, the
record Frappe's "Role Permission for Page and Report" keeps), undone on uninstall the same way.
"""

import frappe
from frappe.permissions import setup_custom_perms

from support_plus.permissions.issue import TECHNICIAN_RIGHTS
from support_plus.utils.roles import SERVICE_TECHNICIAN, SUPPORT_AGENT, SUPPORT_MANAGER, SUPPORT_VIEWER

PTYPES = ("read", "write", "create", "delete", "report", "export", "print", "email", "share")
_READ_ONLY = {"read": 1, "report": 1, "print": 1}

ISSUE_PERMISSIONS = {
	SUPPORT_MANAGER: dict.fromkeys(PTYPES, 1),
	SUPPORT_AGENT: {**dict.fromkeys(PTYPES, 1), "delete": 0},
	"Sales User": {"read": 1, "write": 1, "create": 1, "print": 1, "email": 1},
	"Accounts User": _READ_ONLY,
	SUPPORT_VIEWER: _READ_ONLY,
	# Their own tickets only (the row rule): My Work's cards, the ticket list and form. What a share of the
	# ticket gave them before (read, with print and email); no report, export or write.
	SERVICE_TECHNICIAN: TECHNICIAN_RIGHTS,
}
# The row rule reads a technician's open assignments by user (support_plus.permissions.issue.own_tickets);
# Frappe indexes ToDo by its reference only. Named and composite: Frappe's schema sync keeps it.
TODO_INDEX = ("sp_todo_allocated", ["allocated_to", "reference_type", "status"])

SALES, ACCOUNTS = "Sales User", "Accounts User"
SUPPORT_ROLES = (SUPPORT_AGENT, SUPPORT_MANAGER, SUPPORT_VIEWER)
# Pick it in a link field (only the name and title are shown).
SELECT = {"select": 1}
# Pick it, open it and list it.
READ = {"select": 1, "read": 1, "report": 1}
# Phone intake creates the caller's Contact; agents correct a wrong number.
MAINTAIN = {**READ, "write": 1, "create": 1}
# Read a single doctype's values.
READ_ONLY_SINGLE = {"read": 1}
_SUPPORT_READ = dict.fromkeys(SUPPORT_ROLES, READ)
_SUPPORT_SELECT = dict.fromkeys(SUPPORT_ROLES, SELECT)
_TICKET_PICKERS = {**_SUPPORT_READ, SALES: SELECT, ACCOUNTS: SELECT}

# doctype -> role -> rights added. Roles missing here keep what ERPNext gives them (e.g. Sales User and
# Accounts User read Customer, Item, Company and Address already, Sales User reads Lead; every desk user
# selects User and reads Service Level Agreement and Email Template).
DESK_PERMISSIONS = {
	# Issue's own links
	"Issue Priority": _TICKET_PICKERS,
	"Issue Type": _TICKET_PICKERS,
	# Support managers register equipment sold before support_plus (customer, delivery, installation).
	"Serial No": {**_TICKET_PICKERS, SUPPORT_MANAGER: {**READ, "write": 1}},
	"Project": _TICKET_PICKERS,  # ERPNext gives desk users its permlevel 1 only
	# A ticket's claim (support_plus.warranty.claims); ERPNext gives it to maintenance roles only.
	"Warranty Claim": _TICKET_PICKERS,
	# A serial's or customer's service history lists its visits (support_plus.warranty.history).
	"Maintenance Visit": _SUPPORT_READ,
	"Email Account": {**_SUPPORT_SELECT, SALES: SELECT, ACCOUNTS: SELECT},
	"Customer": _SUPPORT_READ,
	"Item": {**_SUPPORT_READ, SERVICE_TECHNICIAN: READ},  # the parts in their van (support_plus.parts)
	"Address": _SUPPORT_READ,
	"Company": _SUPPORT_SELECT,
	"Lead": {**_SUPPORT_SELECT, ACCOUNTS: SELECT},  # ERPNext gives desk users its permlevel 1 only
	"Contact": {SUPPORT_AGENT: MAINTAIN, SUPPORT_MANAGER: MAINTAIN, SUPPORT_VIEWER: READ},
	# ERPNext's Issue form script reads it on every load, for anyone who opens a ticket (a technician
	# their assigned ones).
	"Support Settings": dict.fromkeys(
		(*SUPPORT_ROLES, SALES, ACCOUNTS, SERVICE_TECHNICIAN), READ_ONLY_SINGLE
	),
	# Service Level Agreement (entity, calendar) and escalation rule filters
	"Customer Group": _SUPPORT_READ,
	"Territory": _SUPPORT_READ,
	"Holiday List": _SUPPORT_READ,
	# Support managers keep the SLA policies (the desk form and API v1's sla_policies.create).
	"Service Level Agreement": {SUPPORT_MANAGER: MAINTAIN},
	# Escalation rules notify and reassign to a role.
	"Role": _SUPPORT_SELECT,
	# The Overdue Maintenance report (support_plus.maintenance.overdue); ERPNext gives schedules to
	# Maintenance Manager only, though its Maintenance Users do the visits.
	"Maintenance Schedule": {SUPPORT_MANAGER: READ, SUPPORT_VIEWER: READ, "Maintenance User": READ},
	# Vans are warehouses: Support Managers pick the refill warehouse and open vans, technicians open theirs
	# in the van reports (support_plus.parts).
	"Warehouse": {SUPPORT_MANAGER: READ, SERVICE_TECHNICIAN: READ},
}
DESK_PTYPES = ("select", "read", "report", "write", "create")

# ERPNext's own support reports (seed 000 lists them) read the metrics support_plus fills
# (support_plus.sla.metrics); ERPNext gives them to its "Support Team" role only. The roles that run
# support_plus's own ticket reports run these too, through each report's Custom Role (Frappe's "Role
# Permission for Page and Report": when a report has one, its roles replace the report's own).
ERPNEXT_SUPPORT_REPORTS = (
	"Issue Analytics",
	"Issue Summary",
	"First Response Time for Issues",
	"Support Hour Distribution",
)
REPORT_ROLES = dict.fromkeys(ERPNEXT_SUPPORT_REPORTS, SUPPORT_ROLES)


def apply_issue_permissions() -> None:
	setup_custom_perms("Issue")  # copies ERPNext's standard rows once, so they keep applying
	for role, rights in ISSUE_PERMISSIONS.items():
		values = {ptype: rights.get(ptype, 0) for ptype in PTYPES}
		name = frappe.db.get_value(
			"Custom DocPerm", {"parent": "Issue", "role": role, "permlevel": 0, "if_owner": 0}
		)
		if name:
			frappe.db.set_value("Custom DocPerm", name, values)
		else:
			_insert_row("Issue", role, values)
	frappe.clear_cache(doctype="Issue")
	name, columns = TODO_INDEX
	frappe.db.add_index("ToDo", columns, index_name=name)  # only when no index has that name


def remove_issue_permissions() -> None:
	frappe.db.delete("Custom DocPerm", {"parent": "Issue", "role": ("in", list(ISSUE_PERMISSIONS))})
	frappe.clear_cache(doctype="Issue")


def apply_desk_permissions() -> None:
	"""Install/migrate: add the rights of DESK_PERMISSIONS to each role's row, never taking any away."""
	for doctype, roles in DESK_PERMISSIONS.items():
		if not frappe.db.exists("DocType", doctype):
			continue
		setup_custom_perms(doctype)  # from now on Custom DocPerm rows are the doctype's rights
		for role, rights in roles.items():
			row = _custom_row(doctype, role)
			if not row:
				_insert_row(doctype, role, rights)
			elif missing := {p: 1 for p in rights if not row[p]}:
				frappe.db.set_value("Custom DocPerm", row.name, missing)
		frappe.clear_cache(doctype=doctype)


def remove_desk_permissions() -> None:
	"""Uninstall: each row back to ERPNext's rights for the role (or gone when it had none); a doctype
	whose rows are then exactly ERPNext's has its Custom DocPerm copy removed."""
	for doctype, roles in DESK_PERMISSIONS.items():
		for role, rights in roles.items():
			row = _custom_row(doctype, role)
			if not row:
				continue
			standard = _standard_row(doctype, role)
			if standard:
				frappe.db.set_value("Custom DocPerm", row.name, {p: standard[p] for p in rights})
			else:
				frappe.db.delete("Custom DocPerm", row.name)
		if _rows("Custom DocPerm", doctype) == _rows("DocPerm", doctype):
			frappe.db.delete("Custom DocPerm", {"parent": doctype})
		frappe.clear_cache(doctype=doctype)


def apply_report_roles() -> None:
	"""Install/migrate: add REPORT_ROLES to each report's Custom Role, made from the report's own roles the
	first time; roles an administrator set there are kept."""
	for report, roles in REPORT_ROLES.items():
		if not frappe.db.exists("Report", report):
			continue
		name = frappe.db.get_value("Custom Role", {"report": report})
		if name:
			doc = frappe.get_doc("Custom Role", name)
		else:
			doc = frappe.get_doc({"doctype": "Custom Role", "report": report})
			for role in _report_own_roles(report):
				doc.append("roles", {"role": role})
		have = {row.role for row in doc.roles}
		missing = [role for role in roles if role not in have]
		for role in missing:
			doc.append("roles", {"role": role})
		if missing or doc.is_new():
			doc.save(ignore_permissions=True)
	_clear_allowed_reports_cache()


def remove_report_roles() -> None:
	"""Uninstall: take REPORT_ROLES out of the reports' Custom Roles; one left with exactly the report's own
	roles is deleted (the report is back to what ERPNext gives)."""
	for report, roles in REPORT_ROLES.items():
		name = frappe.db.get_value("Custom Role", {"report": report})
		if not name:
			continue
		doc = frappe.get_doc("Custom Role", name)
		doc.set("roles", [row for row in doc.roles if row.role not in roles])
		if {row.role for row in doc.roles} == set(_report_own_roles(report)):
			frappe.delete_doc("Custom Role", name, ignore_permissions=True, force=True)
		else:
			doc.save(ignore_permissions=True)
	_clear_allowed_reports_cache()


def _report_own_roles(report: str) -> list[str]:
	return frappe.get_all(
		"Has Role", filters={"parent": report, "parenttype": "Report"}, pluck="role", order_by="idx"
	)


def _clear_allowed_reports_cache() -> None:
	"""The desk's list of a user's reports (frappe.boot, kept per user for 6 hours)."""
	frappe.cache.delete_keys("user:*:has_role:Report")


def _insert_row(doctype: str, role: str, values: dict) -> None:
	frappe.get_doc(
		{
			"doctype": "Custom DocPerm",
			"parent": doctype,
			"parenttype": "DocType",
			"parentfield": "permissions",
			"role": role,
			"permlevel": 0,
			**values,
		}
	).db_insert()


def _custom_row(doctype: str, role: str):
	return frappe.db.get_value(
		"Custom DocPerm",
		{"parent": doctype, "role": role, "permlevel": 0, "if_owner": 0},
		["name", *DESK_PTYPES],
		as_dict=True,
	)


def _standard_row(doctype: str, role: str):
	return frappe.db.get_value(
		"DocPerm",
		{"parent": doctype, "role": role, "permlevel": 0, "if_owner": 0},
		list(DESK_PTYPES),
		as_dict=True,
	)


def _rows(table: str, doctype: str) -> list[tuple]:
	perm = frappe.qb.DocType(table)
	fields = ["role", "permlevel", "if_owner", *PTYPES, "select", "submit", "cancel", "amend", "import"]
	rows = frappe.qb.from_(perm).select(*(perm[f] for f in fields)).where(perm.parent == doctype).run()
	return sorted(tuple(row) for row in rows)
