"""Row rules on the records of a ticket (Issue Follow Up, Issue Escalation, Service Part Usage): a record
is readable where its ticket is (support_plus/permissions/issue.py, asked, not repeated), for users who
read the record's doctype through row-ruled roles only (a Sales User, a Service Technician).

- A follow-up or escalation of a ticket outside a Sales User's projects is neither listed nor opened.
- A technician reads the parts used on the tickets assigned or shared to them, and the usages they made
  or that name them as the technician (their van's parts: they keep seeing those after the ticket moves on).

Anyone holding another role that reads the doctype (a support role, Accounts User, Stock User, ...) keeps
that role's rights: as for tickets, the rule only narrows a user whose every way in is row-ruled.
"""

import frappe

from support_plus.permissions import issue
from support_plus.utils.roles import SERVICE_TECHNICIAN

RULED_ROLES = frozenset((issue.PROJECT_ROLE, SERVICE_TECHNICIAN))
# Doctypes whose records a technician also reads because they made them or are named on them.
TECHNICIAN_FIELD = {"Service Part Usage": "technician"}


def _ruled(doctype: str, user: str) -> bool:
	"""True when each role through which `user` reads `doctype` is one the ticket rule narrows."""
	if not issue.bound_roles(user):
		return False
	readers = {p.role for p in frappe.permissions.get_valid_perms(doctype, user) if p.get("read")}
	return bool(readers) and readers <= RULED_ROLES


def query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	user = user or frappe.session.user
	if not doctype or not _ruled(doctype, user):
		return ""
	table = f"`tab{doctype}`"
	tickets = issue.query_conditions(user)
	conditions = [f"{table}.`issue` in (select `tabIssue`.`name` from `tabIssue` where {tickets})"]
	if SERVICE_TECHNICIAN in issue.bound_roles(user) and doctype in TECHNICIAN_FIELD:
		conditions.append(f"{table}.`owner` = {frappe.db.escape(user)}")
		if profile := _technician(user):
			conditions.append(f"{table}.`{TECHNICIAN_FIELD[doctype]}` = {frappe.db.escape(profile)}")
	return "({})".format(" or ".join(conditions))


def has_permission(
	doc, ptype: str | None = None, user: str | None = None, debug: bool = False
) -> bool | None:
	"""Deny a ruled user a record whose ticket they may not read (None: no opinion)."""
	user = user or frappe.session.user
	if not _ruled(doc.doctype, user):
		return None
	if doc.get("issue"):
		ticket = frappe.db.get_value("Issue", doc.issue, ["name", "project"], as_dict=True)
		if ticket and issue.has_permission(ticket, "read", user) is None:
			return None
	if SERVICE_TECHNICIAN in issue.bound_roles(user) and doc.doctype in TECHNICIAN_FIELD:
		if doc.get("owner") == user:
			return None
		profile = _technician(user)
		if profile and doc.get(TECHNICIAN_FIELD[doc.doctype]) == profile:
			return None
	return False


def _technician(user: str) -> str | None:
	return frappe.db.get_value("Service Technician", {"user": user}, "name")
