"""Van refills, when the van runs low and not the next day.

- Every Stock Ledger Entry that takes stock out of a van, for an item with a par level there, notes the
  van (a cached lookup: nothing else runs on a stock movement). When the transaction commits, one
  background job per van is enqueued, deduplicated by van (`frappe.enqueue(deduplicate=True,
  job_id=...)`), on the `short` queue; while the van's refill runs, one more is queued after it
  (`enqueue_refill`), so a movement committed during a refill is never left to the next day.
- The job (`refill_van`) locks the van's Warehouse row, so two jobs of one van run one after the other,
  reads the van's par levels (Item Reorder) and ERPNext's projected quantity (Bin: stock plus what open
  requests bring), and for every item below par asks for max(refill quantity, par - projected). The van
  has at most one open request: a submitted Material Request (Material Transfer, main warehouse -> van)
  that nothing has fully transferred. It is made, or topped up: a line per item, a new need added to the
  item's line. The projected quantity counts the open request, so a need is never asked for twice.
- Receiving it is ERPNext's: a Stock Entry made from the request ("Create > Material Transfer") updates
  its transferred quantity and status (Transferred when all of it is in).
- ERPNext's daily `reorder_item` would make requests of its own for vans (without a source warehouse,
  and again each day a van's projected quantity equals its par level): `daily_reorder` runs it for the
  other warehouses only and refills the vans here (support_plus/overrides/reorder_item.py).
- A ticket in Pending Parts waiting for an item (`Issue.waiting_for_item`) goes back to In Progress when
  a transfer brings that item into its assigned technician's van; the technician is told
  (`on_stock_entry_submit`).

The top-up adds rows to, or raises the quantity of, a submitted Material Request: ERPNext has no
"Update Items" for requests (it has one for orders, written the same way), and cancelling and amending
would rename the van's request on every movement. ERPNext's own methods then recompute the Bin's
requested quantity, the transferred percentage and the status.
"""

from rq.job import JobStatus

import frappe
from frappe import _
from frappe.utils import flt, get_fullname
from frappe.utils.background_jobs import get_job_status

from support_plus.parts import vans as van_store
from support_plus.utils import clock

JOB = "support_plus.parts.refill.refill_van"
SETTING = "van_refill_warehouse"
PENDING_PARTS, IN_PROGRESS = "Pending Parts", "In Progress"
PENDING = "support_plus_van_refills"  # frappe.local: vans to queue when the transaction commits


# The stock ledger hook
# ---------------------


def on_stock_ledger_entry(sle, method=None) -> None:
	"""Stock Ledger Entry `on_submit`: note a van losing an item it has a par level for."""
	if flt(sle.actual_qty) >= 0 and sle.voucher_type != "Stock Reconciliation":
		return
	if sle.item_code not in van_store.par_items(sle.warehouse):
		return
	pending = getattr(frappe.local, PENDING, None)
	if not pending:
		pending = set()
		setattr(frappe.local, PENDING, pending)
		frappe.db.after_commit.add(_enqueue_pending)
		frappe.db.after_rollback.add(_forget_pending)
	pending.add(sle.warehouse)


def pending_refills() -> set[str]:
	"""The vans this transaction will queue a refill for when it commits."""
	return set(getattr(frappe.local, PENDING, None) or ())


def _forget_pending() -> None:
	setattr(frappe.local, PENDING, None)


def _enqueue_pending() -> None:
	pending = getattr(frappe.local, PENDING, None) or ()
	setattr(frappe.local, PENDING, None)
	for warehouse in sorted(pending):
		try:
			enqueue_refill(warehouse)
		except Exception:
			frappe.log_error(title=_("Van refill of {0} could not be queued").format(warehouse))


def enqueue_refill(warehouse: str):
	"""Queue the van's refill unless one is queued already (it will read the stock after this commit).
	A refill that is running may have read the stock before this movement: then one more is queued, under
	the van's second job id, and runs after it (the van's row lock)."""
	statuses = {jid: get_job_status(jid) for jid in job_ids(warehouse)}
	if JobStatus.QUEUED in statuses.values():
		return None
	for jid, status in statuses.items():
		if status != JobStatus.STARTED:
			return frappe.enqueue(
				JOB, queue="short", job_id=jid, deduplicate=True, warehouse=warehouse, commit=True
			)
	return None  # both running: the later one started after this movement was committed


def job_ids(warehouse: str) -> tuple[str, str]:
	"""The van's job ids: the refill, and the one queued while the refill runs."""
	return job_id(warehouse), job_id(warehouse) + "::again"


def job_id(warehouse: str) -> str:
	return f"support_plus_van_refill::{frappe.local.site}::{warehouse}"


# The refill
# ----------


def refill_van(warehouse: str, commit: bool = False) -> str | None:
	"""Create or top up the van's open refill request for every item below par; return the request's
	name (None when nothing is needed).

	With `commit` (the background job, the daily run) it is its own transaction: it starts a new one whose
	first statement takes the lock, so every read after it (MariaDB's snapshot is taken at the first
	read) sees what a refill of the same van that held the lock before committed; and commits."""
	if commit:
		frappe.db.commit()  # nosemgrep: a fresh transaction, see above
	# Two refills of one van wait for each other here.
	frappe.db.sql("select name from `tabWarehouse` where name = %s for update", warehouse)
	van_store.check_van(warehouse)
	needs = van_needs(warehouse)
	name = None
	if needs:
		source = main_warehouse(warehouse)
		name = open_request(warehouse)
		if name:
			top_up(name, warehouse, source, needs)
		else:
			name = make_request(warehouse, source, needs)
	if commit:
		frappe.db.commit()  # nosemgrep: a background job owns its transaction
	return name


def van_needs(warehouse: str) -> list[frappe._dict]:
	"""The van's items below par, counting what open requests bring: item_code, qty (read with a lock on
	their Bin rows, so the quantities are the latest committed)."""
	rows = frappe.db.sql(
		"""
		select r.parent as item_code, r.warehouse_reorder_level as par, r.warehouse_reorder_qty as refill,
			i.stock_uom, i.item_name, i.description, i.item_group
		from `tabItem Reorder` r
		join `tabItem` i on i.name = r.parent
		where r.parenttype = 'Item' and r.warehouse = %s and r.material_request_type = 'Transfer'
			and i.disabled = 0 and i.is_stock_item = 1 and i.has_variants = 0
		order by r.parent
		""",
		warehouse,
		as_dict=True,
	)
	if not rows:
		return []
	projected = dict(
		frappe.db.sql(
			"select item_code, projected_qty from `tabBin` where warehouse = %s and item_code in %s for update",
			(warehouse, tuple(row.item_code for row in rows)),
		)
	)
	needs = []
	for row in rows:
		have = flt(projected.get(row.item_code))
		if have < flt(row.par):
			row.qty = max(flt(row.refill), flt(row.par) - have)
			needs.append(row)
	return needs


def main_warehouse(van: str) -> str:
	"""Where the van is refilled from: Support Plus Settings' Van Refill Warehouse, else ERPNext's
	default warehouse (Stock Settings), of the van's company."""
	company = frappe.db.get_value("Warehouse", van, "company")
	for candidate in (
		frappe.db.get_single_value("Support Plus Settings", SETTING),
		frappe.db.get_single_value("Stock Settings", "default_warehouse"),
	):
		if candidate and frappe.db.get_value("Warehouse", candidate, ["company", "is_group"]) == (company, 0):
			return candidate
	frappe.throw(
		_("Set the Van Refill Warehouse of company {0} in Support Plus Settings.").format(
			frappe.bold(company)
		)
	)


def open_request(van: str) -> str | None:
	"""The van's open refill request: submitted, a Material Transfer into the van, not all transferred."""
	return frappe.db.get_value(
		"Material Request",
		{
			"docstatus": 1,
			"material_request_type": "Material Transfer",
			"set_warehouse": van,
			"status": ("in", ("Pending", "Partially Ordered")),
		},
		"name",
		order_by="creation asc",
		for_update=True,
	)


def _line(need, van: str, source: str, schedule_date) -> dict:
	return {
		"item_code": need.item_code,
		"item_name": need.item_name,
		"description": need.description or need.item_name,
		"item_group": need.item_group,
		"qty": need.qty,
		"stock_qty": need.qty,
		"uom": need.stock_uom,
		"stock_uom": need.stock_uom,
		"conversion_factor": 1,
		"warehouse": van,
		"from_warehouse": source,
		"schedule_date": schedule_date,
	}


def make_request(van: str, source: str, needs: list) -> str:
	today = clock.today()
	doc = frappe.get_doc(
		{
			"doctype": "Material Request",
			"material_request_type": "Material Transfer",
			"company": frappe.db.get_value("Warehouse", van, "company"),
			"transaction_date": today,
			"schedule_date": today,
			"title": _("Van refill: {0}").format(van)[:140],
			"set_warehouse": van,
			"set_from_warehouse": source,
			"items": [_line(need, van, source, today) for need in needs],
		}
	)
	doc.flags.ignore_permissions = True
	doc.insert()
	doc.submit()
	return doc.name


def top_up(name: str, van: str, source: str, needs: list) -> None:
	"""Add the needs to the open request: to the item's line, or as a new line."""
	doc = frappe.get_doc("Material Request", name)
	lines = {row.item_code: row for row in doc.items if row.warehouse == van}
	added = []
	for need in needs:
		row = lines.get(need.item_code)
		if row:
			qty = flt(row.qty) + need.qty
			frappe.db.set_value(
				"Material Request Item",
				row.name,
				{"qty": qty, "stock_qty": qty * flt(row.conversion_factor or 1)},
				update_modified=False,
			)
		else:
			row = doc.append("items", _line(need, van, source, doc.schedule_date))
			row.db_insert()
		added.append(f"{need.item_code} +{need.qty:g}")
	doc = frappe.get_doc("Material Request", name)
	doc.update_requested_qty()  # the Bin's requested (indented) quantity
	doc.update_completed_qty()  # the transferred percentage
	doc.reload()
	doc.set_status(update=True)
	doc.add_comment("Info", _("Topped up: {0}").format(", ".join(added)))


# Parts arriving for a waiting ticket
# -----------------------------------


def on_stock_entry_submit(doc, method=None) -> None:
	"""Stock Entry `on_submit`: a ticket in Pending Parts waiting for an item that has just arrived in its
	assigned technician's van goes back to In Progress, and the technician is told."""
	van_users = van_store.vans()
	arrived: dict[str, set] = {}
	for row in doc.items:
		if row.t_warehouse in van_users:
			arrived.setdefault(row.t_warehouse, set()).add(row.item_code)
	for van, items in arrived.items():
		for ticket, item_code in waiting_tickets(van, van_users[van], items):
			frappe.db.savepoint("support_plus_parts_arrived")
			try:
				resume_ticket(ticket, item_code, van, van_users[van], doc.name)
			except Exception:
				frappe.db.rollback(save_point="support_plus_parts_arrived")
				frappe.log_error(
					title=_("Ticket {0} could not leave Pending Parts").format(ticket),
					reference_doctype="Issue",
					reference_name=ticket,
				)


def waiting_tickets(van: str, user: str, items: set) -> list[tuple[str, str]]:
	"""(ticket, item) of the Pending Parts tickets assigned to `user` waiting for one of `items`."""
	return frappe.db.sql(
		"""
		select distinct i.name, i.waiting_for_item
		from `tabIssue` i
		join `tabToDo` t on t.reference_type = 'Issue' and t.reference_name = i.name
			and t.allocated_to = %(user)s and t.status = 'Open'
		where i.status = %(status)s and i.waiting_for_item in %(items)s
		order by i.name
		""",
		{"user": user, "status": PENDING_PARTS, "items": tuple(items)},
	)


def resume_ticket(ticket: str, item_code: str, van: str, user: str, stock_entry: str) -> None:
	issue = frappe.get_doc("Issue", ticket)
	issue.status = IN_PROGRESS
	issue.flags.ignore_permissions = True
	issue.save()
	message = _("{0} arrived in {1} ({2}): the ticket is back In Progress for {3}.").format(
		item_code, van, stock_entry, get_fullname(user)
	)
	issue.add_comment("Info", message)
	frappe.get_doc(
		{
			"doctype": "Notification Log",
			"for_user": user,
			# an assignment's news: Frappe emails it too when the user's notification settings say so
			"type": "Assignment",
			"document_type": "Issue",
			"document_name": ticket,
			"subject": _("Ticket {0}: {1} is in your van; the ticket is In Progress again.").format(
				ticket, item_code
			),
			"email_content": message,
		}
	).insert(ignore_permissions=True)


# The daily run
# -------------


def daily_reorder() -> None:
	"""Scheduler (daily, at ERPNext's reorder time): ERPNext's reorder for every warehouse but the vans,
	then every van's refill (catching any movement whose job was missed), one transaction a van."""
	from support_plus.overrides.reorder_item import reorder_item_without

	reorder_item_without(set(van_store.vans()))
	frappe.db.commit()  # nosemgrep: ERPNext's requests are one unit of work
	refill_all_vans()


def refill_all_vans() -> dict:
	"""Every van's refill, each committed on its own (a failing van is logged and rolled back alone)."""
	out = {"requests": 0, "failed": 0}
	for van in sorted(van_store.vans()):
		if not van_store.par_items(van):
			continue
		try:
			out["requests"] += bool(refill_van(van, commit=True))  # a transaction a van
		except Exception:
			frappe.db.rollback()
			frappe.log_error(title=_("Van refill of {0} failed").format(van))
			out["failed"] += 1
	return out
