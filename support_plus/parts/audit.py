"""Van audits on ERPNext's Stock Reconciliation.

- `start_van_audit(van)` makes a draft Stock Reconciliation of the van (one open audit per van: asked
  again, it returns the same draft), a row per item the van carries or has a par level for, each with the
  system quantity as its count. Serialised and batch items are left out (their count is their serial
  numbers or batches: ERPNext's own form does those).
- The technician enters counts (`record_van_count`, the API and /field; Stock Managers also in the desk
  form) and submits (`submit_van_audit`): ERPNext posts the variance (stock ledger and, with perpetual
  inventory, the stock adjustment account) and drops the rows that did not change. An audit where every
  count matches posts nothing (ERPNext refuses an empty reconciliation): the draft is deleted and the
  audit is still recorded as done.
- The draft is saved without ERPNext's validation (which would drop every row whose count still equals
  the system quantity, i.e. all of them before counting); submitting runs it in full.
- Each van's interval (`Service Technician.van_audit_interval`: Weekly or Monthly, empty for none) and
  last audit (`van_audited_on`, set by any submitted reconciliation of the van) make its due date; the
  daily job reminds the technician once per due date (`van_audit_reminded_for`).
"""

from datetime import date, timedelta

import frappe
from frappe import _
from frappe.utils import add_months, flt, getdate

from support_plus.parts import vans as van_store
from support_plus.utils import clock
from support_plus.utils.roles import SERVICE_TECHNICIAN

WEEKLY, MONTHLY = "Weekly", "Monthly"


def start_van_audit(warehouse: str) -> str:
	"""A draft Stock Reconciliation of the van with the system quantities; the van's open one if any."""
	van_store.check_van_access(warehouse)
	existing = open_audit(warehouse)
	if existing:
		return existing
	company = frappe.db.get_value("Warehouse", warehouse, "company")
	rows = []
	for row in van_store.stock_rows([warehouse]):
		item = frappe.get_cached_value(
			"Item", row.item_code, ["has_serial_no", "has_batch_no", "valuation_rate"], as_dict=True
		)
		if item.has_serial_no or item.has_batch_no:
			continue
		rate = frappe.db.get_value(
			"Bin", {"item_code": row.item_code, "warehouse": warehouse}, "valuation_rate"
		) or flt(item.valuation_rate)
		rows.append(
			{
				"item_code": row.item_code,
				"item_name": row.item_name,
				"warehouse": warehouse,
				"qty": flt(row.actual_qty),
				"current_qty": flt(row.actual_qty),
				"valuation_rate": rate,
				"current_valuation_rate": rate,
				"allow_zero_valuation_rate": 0 if rate else 1,
			}
		)
	if not rows:
		frappe.throw(
			_("Van {0} has nothing to audit: no item in stock or with a par level.").format(warehouse)
		)
	now = clock.now()
	doc = frappe.get_doc(
		{
			"doctype": "Stock Reconciliation",
			"company": company,
			"purpose": "Stock Reconciliation",
			"set_warehouse": warehouse,
			"posting_date": now.date(),
			"posting_time": now.time(),
			"expense_account": frappe.get_cached_value("Company", company, "stock_adjustment_account"),
			"cost_center": frappe.get_cached_value("Company", company, "cost_center"),
			"items": rows,
		}
	)
	doc.flags.ignore_validate = True  # see the module docstring
	doc.flags.ignore_permissions = True
	doc.insert()
	return doc.name


def open_audit(warehouse: str) -> str | None:
	return frappe.db.get_value(
		"Stock Reconciliation",
		{"docstatus": 0, "set_warehouse": warehouse, "purpose": "Stock Reconciliation"},
		"name",
		order_by="creation asc",
	)


def _audit(name: str):
	if not name or not frappe.db.exists("Stock Reconciliation", name):
		frappe.throw(
			_("Van audit {0} does not exist.").format(frappe.bold(name or "")), frappe.DoesNotExistError
		)
	doc = frappe.get_doc("Stock Reconciliation", name)
	if not doc.set_warehouse or doc.set_warehouse not in van_store.vans():
		frappe.throw(_("{0} is not a van audit.").format(frappe.bold(name)))
	van_store.check_van_access(doc.set_warehouse)
	if doc.docstatus != 0:
		frappe.throw(_("Van audit {0} is already submitted.").format(frappe.bold(name)))
	return doc


def record_van_count(audit: str, counts: dict[str, float]) -> dict:
	"""Set counted quantities ({item_code: qty}) on a draft van audit; returns {item_code: variance}."""
	doc = _audit(audit)
	rows = {row.item_code: row for row in doc.items}
	for item_code, qty in counts.items():
		if item_code not in rows:
			frappe.throw(
				_("Item {0} is not in van audit {1}.").format(frappe.bold(item_code), frappe.bold(audit))
			)
		if qty is None or flt(qty) < 0:
			frappe.throw(_("The count of {0} cannot be below zero.").format(frappe.bold(item_code)))
		rows[item_code].qty = flt(qty)
	doc.flags.ignore_validate = True
	doc.flags.ignore_permissions = True
	doc.save()
	return {row.item_code: flt(row.qty) - flt(row.current_qty) for row in doc.items}


def submit_van_audit(audit: str) -> str | None:
	"""Post the van audit's variance (ERPNext submits the reconciliation); None when every count matched
	(nothing to post: the draft is deleted, the audit recorded as done)."""
	doc = _audit(audit)
	warehouse = doc.set_warehouse
	system = {
		item_code: flt(qty)
		for item_code, qty in frappe.get_all(
			"Bin",
			filters={"warehouse": warehouse, "item_code": ("in", [row.item_code for row in doc.items])},
			fields=["item_code", "actual_qty"],
			as_list=True,
		)
	}
	if all(flt(row.qty) == system.get(row.item_code, 0.0) for row in doc.items):
		frappe.delete_doc("Stock Reconciliation", doc.name, ignore_permissions=True)
		mark_audited(warehouse, clock.today())
		return None
	doc.flags.ignore_permissions = True
	doc.submit()
	return doc.name


# Who may count a van
# -------------------

STOCK_ROLES = frozenset(("Stock User", "Stock Manager", "System Manager"))


def _technician_only(user: str | None = None) -> bool:
	roles = frappe.get_roles(user)
	return SERVICE_TECHNICIAN in roles and not STOCK_ROLES.intersection(roles)


def has_permission(doc, ptype=None, user=None) -> bool | None:
	"""Stock Reconciliation: a technician (without stock roles) reaches their own van's only."""
	if not _technician_only(user):
		return None
	return bool(doc.set_warehouse) and doc.set_warehouse == van_store.own_van(user)


def query_conditions(user=None) -> str:
	if not _technician_only(user):
		return ""
	van = van_store.own_van(user)
	if not van:
		return "1=0"
	return f"`tabStock Reconciliation`.set_warehouse = {frappe.db.escape(van)}"


def validate_reconciliation(doc, method=None) -> None:
	"""Stock Reconciliation `validate`: a technician's reconciliation counts their own van, every row."""
	if not _technician_only():
		return
	van = van_store.own_van()
	if doc.set_warehouse != van or any(row.warehouse != van for row in doc.items):
		frappe.throw(_("A technician counts their own van only."), frappe.PermissionError)


def on_reconciliation_submit(doc, method=None) -> None:
	"""Stock Reconciliation `on_submit`: any reconciliation of a van counts as its audit."""
	van_set = van_store.vans()
	warehouses = {row.warehouse for row in doc.items if row.warehouse in van_set}
	for warehouse in warehouses:
		mark_audited(warehouse, getdate(doc.posting_date))


def mark_audited(warehouse: str, on: date) -> None:
	for name in frappe.get_all("Service Technician", filters={"van_warehouse": warehouse}, pluck="name"):
		frappe.db.set_value("Service Technician", name, "van_audited_on", on, update_modified=False)


# Reminders
# ---------


def next_audit_due(interval: str | None, audited_on, reminded_for) -> date | None:
	"""The date the van's next audit is due: its last audit plus the interval; a van never audited is due
	from the first day it is looked at (kept as the date it was reminded for). None without an interval."""
	if interval not in (WEEKLY, MONTHLY):
		return None
	if audited_on:
		audited_on = getdate(audited_on)
		return audited_on + timedelta(days=7) if interval == WEEKLY else getdate(add_months(audited_on, 1))
	return getdate(reminded_for) if reminded_for else None


def remind_due_audits(today: date | None = None) -> dict:
	"""Tell each technician whose van audit is due, once per due date. {"reminded", "failed"}."""
	today = clock.today(today)
	out = {"reminded": 0, "failed": 0}
	technicians = frappe.get_all(
		"Service Technician",
		filters={"van_warehouse": ("is", "set"), "van_audit_interval": ("in", (WEEKLY, MONTHLY))},
		fields=[
			"name",
			"user",
			"van_warehouse",
			"van_audit_interval",
			"van_audited_on",
			"van_audit_reminded_for",
		],
		order_by="name",
	)
	for tech in technicians:
		due = (
			next_audit_due(tech.van_audit_interval, tech.van_audited_on, tech.van_audit_reminded_for) or today
		)
		if due > today or (tech.van_audit_reminded_for and getdate(tech.van_audit_reminded_for) == due):
			continue
		frappe.db.savepoint("support_plus_van_audit_reminder")
		try:
			remind(tech, due)
			out["reminded"] += 1
		except Exception:
			frappe.db.rollback(save_point="support_plus_van_audit_reminder")
			frappe.log_error(
				title=_("Van audit reminder for {0} failed").format(tech.name),
				reference_doctype="Service Technician",
				reference_name=tech.name,
			)
			out["failed"] += 1
	return out


def remind(tech, due: date) -> None:
	frappe.get_doc(
		{
			"doctype": "Notification Log",
			"for_user": tech.user,
			"type": "Alert",
			"document_type": "Warehouse",
			"document_name": tech.van_warehouse,
			"subject": _("Your van {0} is due for its {1} audit (since {2}).").format(
				tech.van_warehouse, _(tech.van_audit_interval).lower(), frappe.format(due, "Date")
			),
		}
	).insert(ignore_permissions=True)
	frappe.db.set_value("Service Technician", tech.name, "van_audit_reminded_for", due, update_modified=False)


def daily_audit_reminders() -> None:
	"""Scheduler (daily)."""
	remind_due_audits()
	frappe.db.commit()  # nosemgrep: a job owns its transaction
