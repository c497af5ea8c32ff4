"""The daily coverage alerts: coverage about to end, and contracts using up their parts quota.

- A serial whose warranty (`warranty_expiry_date`) or contract (`amc_expiry_date`, kept by the contracts)
  ends within `coverage_alert_days` (Support Plus Settings, default 30; 0 turns it off) is announced to its
  customer's contacts and account manager, once per serial and expiry date: the serial keeps the expiry
  date it was announced for (`warranty_alerted_for`, `amc_alerted_for`), written in the same transaction
  as the email. A renewed contract (a later date) is announced again when its own end comes. A customer
  gets one email per run listing all of their serials; coverage that goes on (a warranty ending inside a
  contract, or the reverse) is not announced.
- A contract whose parts used pass 80% or 100% of its quota (amount or count, whichever is further) is
  reported to the Support Managers once per threshold (`quota_alert_level`).

Each customer and each contract has its own savepoint: one that fails is logged and the others go on.
Set-based selects: the run reads only the serials that are due.
"""

from datetime import date, timedelta

import frappe
from frappe import _
from frappe.utils import cint, flt

from support_plus.tickets.email_templates import COVERAGE_ENDING
from support_plus.utils import clock
from support_plus.utils.roles import SUPPORT_MANAGER, users_with_roles

DEFAULT_ALERT_DAYS = 30
CHUNK_SIZE = 50  # customers emailed in the job itself; more go to background chunks of this size
WARRANTY, CONTRACT = "Warranty", "Contract"
# kind -> (expiry column, "announced for" column, the other coverage that would carry on)
KINDS = {
	WARRANTY: ("warranty_expiry_date", "warranty_alerted_for", "amc_expiry_date"),
	CONTRACT: ("amc_expiry_date", "amc_alerted_for", "warranty_expiry_date"),
}


def daily_coverage_alerts() -> None:
	"""Scheduler (daily)."""
	send_coverage_alerts()
	frappe.db.commit()  # nosemgrep: the emails and the serials' marks are one unit of work


def send_coverage_alerts(today: date | None = None) -> dict:
	"""Run the alerts for `today` (default: the clock's). Returns {"emails", "serials", "quota_notices",
	"failed", "queued_chunks"}. Safe to run again: what was announced is not announced twice.

	Frappe builds each email (its template, then premailer's CSS inlining: about 35 ms), so above
	CHUNK_SIZE customers the emails go to the `long` queue in deduplicated chunks of customers, each chunk
	selecting its customers' due serials again and marking them with their email."""
	today = clock.today(today)
	days = alert_days()
	out = {"emails": 0, "serials": 0, "quota_notices": 0, "failed": 0, "queued_chunks": 0}
	if days > 0:
		customers = sorted({row.customer for row in due_serials(today, today + timedelta(days=days))})
		if len(customers) <= CHUNK_SIZE:
			add(out, send_chunk(customers, today))
		else:
			for start in range(0, len(customers), CHUNK_SIZE):
				chunk = customers[start : start + CHUNK_SIZE]
				frappe.enqueue(
					"support_plus.warranty.alerts.send_chunk",
					queue="long",
					job_id=f"support_plus_coverage_alerts::{frappe.local.site}::{today}::{chunk[0]}",
					deduplicate=True,
					enqueue_after_commit=True,
					customers=chunk,
					today=str(today),
					commit=True,
				)
				out["queued_chunks"] += 1
	for name in quota_candidates():
		frappe.db.savepoint("support_plus_quota_alert")
		try:
			out["quota_notices"] += bool(check_parts_quota(name))
		except Exception:
			frappe.db.rollback(save_point="support_plus_quota_alert")
			frappe.log_error(
				title=_("Parts quota check of {0} failed").format(name),
				reference_doctype="Service Contract",
				reference_name=name,
			)
			out["failed"] += 1
	return out


def add(total: dict, part: dict) -> None:
	for key, value in part.items():
		total[key] += value


def send_chunk(customers: list[str], today: date | str, commit: bool = False) -> dict:
	"""Email these customers about their due serials (selected again: a chunk run twice sends nothing
	twice) and mark the serials; one savepoint a customer."""
	today = clock.today(today)
	days = alert_days()
	out = {"emails": 0, "serials": 0, "failed": 0}
	due = due_serials(today, today + timedelta(days=days), customers)
	recipients = customer_recipients({row.customer for row in due})
	by_customer: dict[str, list] = {}
	for row in due:
		by_customer.setdefault(row.customer, []).append(row)
	for customer, rows in by_customer.items():
		to = recipients.get(customer)
		if not to:
			continue  # announced when the customer has someone to tell
		frappe.db.savepoint("support_plus_coverage_alert")
		try:
			announce(customer, rows, to, days)
			out["emails"] += 1
			out["serials"] += len(rows)
		except Exception:
			frappe.db.rollback(save_point="support_plus_coverage_alert")
			frappe.log_error(
				title=_("Coverage alert for customer {0} failed").format(customer),
				reference_doctype="Customer",
				reference_name=customer,
			)
			out["failed"] += 1
	if commit:
		frappe.db.commit()  # nosemgrep: a background chunk is one unit of work
	return out


def alert_days() -> int:
	value = frappe.db.get_single_value("Support Plus Settings", "coverage_alert_days")
	return DEFAULT_ALERT_DAYS if value is None else cint(value)


def due_serials(start: date, end: date, customers: list[str] | None = None) -> list[frappe._dict]:
	"""Serials of a customer whose warranty or contract ends between `start` and `end`, not yet announced
	for that date, and not carried on by the other coverage (of `customers` only, when given)."""
	if customers is not None and not customers:
		return []
	only = " and customer in %(customers)s" if customers else ""
	parts = []
	for kind, (expiry, alerted, other) in KINDS.items():
		parts.append(
			f"""select name, customer, item_code, '{kind}' as kind, {expiry} as expiry
			from `tabSerial No`
			where {expiry} between %(start)s and %(end)s and customer is not null and customer != ''
				and ({alerted} is null or {alerted} != {expiry})
				and ({other} is null or {other} <= {expiry}){only}"""
		)
	return frappe.db.sql(  # nosemgrep: two indexed range reads on fixed columns
		" union all ".join(parts) + " order by customer, expiry, name",
		{"start": start, "end": end, "customers": tuple(customers or ())},
		as_dict=True,
	)


def customer_recipients(customers: set[str]) -> dict[str, list[str]]:
	"""{customer: email addresses}: its contacts' (not unsubscribed) and its account manager's."""
	if not customers:
		return {}
	out: dict[str, set[str]] = {}
	contact = frappe.qb.DocType("Contact")
	link = frappe.qb.DocType("Dynamic Link")
	rows = (
		frappe.qb.from_(contact)
		.join(link)
		.on((link.parent == contact.name) & (link.parenttype == "Contact"))
		.select(link.link_name, contact.email_id)
		.where(
			(link.link_doctype == "Customer")
			& link.link_name.isin(list(customers))
			& (contact.email_id.notnull())
			& (contact.email_id != "")
			& (contact.unsubscribed == 0)
		)
	).run()
	for customer, email in rows:
		out.setdefault(customer, set()).add(email)
	managers = frappe.get_all(
		"Customer",
		filters={"name": ("in", list(customers)), "account_manager": ("is", "set")},
		fields=["name", "account_manager"],
		as_list=True,
	)
	for customer, user in managers:
		email = frappe.db.get_value("User", {"name": user, "enabled": 1}, "email")
		if email:
			out.setdefault(customer, set()).add(email)
	return {customer: sorted(emails) for customer, emails in out.items()}


def announce(customer: str, rows: list, recipients: list[str], days: int) -> None:
	from frappe.email.doctype.email_template.email_template import get_email_template

	doc = frappe.get_cached_doc("Customer", customer)
	email = get_email_template(COVERAGE_ENDING, {"doc": doc, "rows": rows, "days": days})
	frappe.sendmail(
		recipients=recipients,
		subject=email["subject"],
		message=email["message"],
		reference_doctype="Customer",
		reference_name=customer,
	)
	for kind, (expiry, alerted, _other) in KINDS.items():
		names = [row.name for row in rows if row.kind == kind]
		if names:
			serial = frappe.qb.DocType("Serial No")
			(
				frappe.qb.update(serial).set(serial[alerted], serial[expiry]).where(serial.name.isin(names))
			).run()


def quota_level(quota_amount, quota_count, used_amount, used_count) -> int:
	"""The highest threshold reached, 0, 80 or 100 (% of the parts quota used, by amount or by count,
	whichever is further; a quota of 0 or none is no quota)."""
	shares = [
		flt(used) / flt(quota)
		for used, quota in ((used_amount, quota_amount), (used_count, quota_count))
		if flt(quota) > 0
	]
	share = max(shares, default=0)
	return 100 if share >= 1 else 80 if share >= 0.8 else 0


def quota_candidates() -> list[str]:
	contract = frappe.qb.DocType("Service Contract")
	near = (
		(contract.parts_quota_amount > 0) & (contract.parts_used_amount >= contract.parts_quota_amount * 0.8)
	) | ((contract.parts_quota_count > 0) & (contract.parts_used_count >= contract.parts_quota_count * 0.8))
	return (
		frappe.qb.from_(contract)
		.select(contract.name)
		.where((contract.docstatus == 1) & (contract.quota_alert_level < 100) & near)
		.orderby(contract.name)
	).run(pluck=True)


def check_parts_quota(contract: str) -> int | None:
	"""Tell the Support Managers when `contract` has passed a new quota threshold; returns it (None: no
	news). Parts usage calls this after it counts a part; the daily job catches anything missed."""
	row = frappe.db.get_value(
		"Service Contract",
		contract,
		[
			"name",
			"customer",
			"docstatus",
			"parts_quota_amount",
			"parts_quota_count",
			"parts_used_amount",
			"parts_used_count",
			"quota_alert_level",
		],
		as_dict=True,
		for_update=True,
	)
	if not row or row.docstatus != 1:
		return None
	level = quota_level(
		row.parts_quota_amount, row.parts_quota_count, row.parts_used_amount, row.parts_used_count
	)
	if level <= cint(row.quota_alert_level):
		return None
	subject = _("Service contract {0} ({1}) has used {2}% of its parts quota").format(
		row.name, row.customer, level
	)
	for user in users_with_roles([SUPPORT_MANAGER]):
		frappe.get_doc(
			{
				"doctype": "Notification Log",
				"for_user": user,
				"type": "Alert",
				"document_type": "Service Contract",
				"document_name": row.name,
				"subject": subject,
				"email_content": _("Parts used: {0} of {1} (amount), {2} of {3} (count).").format(
					flt(row.parts_used_amount),
					flt(row.parts_quota_amount) or "-",
					cint(row.parts_used_count),
					cint(row.parts_quota_count) or "-",
				),
			}
		).insert(ignore_permissions=True)
	frappe.db.set_value("Service Contract", row.name, "quota_alert_level", level, update_modified=False)
	return level

