"""Vans are ERPNext Warehouses: one per technician (`Service Technician.van_warehouse`), under a group
warehouse "Vans" of the company. A van's par levels are ERPNext **Item Reorder** rows on the item for
the van warehouse (level = par, quantity = the refill, request type Transfer): ERPNext's own form edits
them, and the refill (support_plus.parts.refill) reads them.

A van's stock is read from ERPNext's Bin; its status is one rule, `stock_status` in Python and
`STATUS_SQL` for the set-based queries (the Van Stock report), checked against each other by a test.

Who sees a van: its technician, and the Support, Stock and System Managers (`check_van_access`).
"""

import frappe
from frappe import _
from frappe.utils import flt

from support_plus.utils.roles import SERVICE_TECHNICIAN, SUPPORT_MANAGER

VANS_GROUP = "Vans"
OK, BELOW_PAR, OUT_OF_STOCK = "OK", "Below Par", "Out of Stock"
TRANSFER = "Transfer"  # Item Reorder's request type for a van's par level
# Roles that see and manage every van.
VAN_MANAGERS = frozenset((SUPPORT_MANAGER, "Stock Manager", "System Manager"))
CACHE_KEY = "support_plus:vans"

# The status rule in SQL, over columns `actual_qty` and `par_level` (keep in step with stock_status).
STATUS_SQL = (
	"case when coalesce({actual}, 0) <= 0 then 'Out of Stock' "
	"when coalesce({actual}, 0) < coalesce({par}, 0) then 'Below Par' else 'OK' end"
)


def stock_status(actual_qty: float, par_level: float) -> str:
	"""Out of Stock at zero or less, Below Par under the par level, else OK (seed 002's van table)."""
	actual_qty = flt(actual_qty)
	if actual_qty <= 0:
		return OUT_OF_STOCK
	if actual_qty < flt(par_level):
		return BELOW_PAR
	return OK


# Who may see a van
# -----------------


def is_van_manager(user: str | None = None) -> bool:
	return bool(VAN_MANAGERS.intersection(frappe.get_roles(user)))


def own_van(user: str | None = None) -> str | None:
	"""The van of the user's technician profile, if any."""
	return frappe.db.get_value("Service Technician", {"user": user or frappe.session.user}, "van_warehouse")


def check_van(warehouse: str) -> None:
	"""`warehouse` is a technician's van (a clear error otherwise)."""
	if not warehouse or not frappe.db.exists("Warehouse", warehouse):
		frappe.throw(
			_("Warehouse {0} does not exist.").format(frappe.bold(warehouse or "")), frappe.DoesNotExistError
		)
	if warehouse not in vans():
		frappe.throw(
			_("Warehouse {0} is not a technician's van.").format(frappe.bold(warehouse)),
			frappe.ValidationError,
		)


def check_van_access(warehouse: str, user: str | None = None) -> None:
	"""The van exists, and the user is a van manager or the van's own technician."""
	check_van(warehouse)
	if is_van_manager(user):
		return
	if own_van(user) != warehouse:
		frappe.throw(
			_("Van {0} belongs to another technician.").format(frappe.bold(warehouse)), frappe.PermissionError
		)


def visible_vans(user: str | None = None) -> list[str]:
	"""Every van for a van manager; the user's own van for a technician; none for anyone else."""
	if is_van_manager(user):
		return sorted(vans())
	mine = own_van(user)
	return [mine] if mine and SERVICE_TECHNICIAN in frappe.get_roles(user) else []


# Making vans
# -----------


def create_van(technician: str, company: str | None = None) -> str:
	"""The technician's van warehouse, made once under the company's "Vans" group and stored in the
	profile; called again it returns the same warehouse (moved under "Vans" if it was elsewhere)."""
	if not technician or not frappe.db.exists("Service Technician", technician):
		frappe.throw(
			_("Service Technician {0} does not exist.").format(frappe.bold(technician or "")),
			frappe.DoesNotExistError,
		)
	# One caller at a time per technician: two at once would both make a warehouse.
	frappe.db.sql("select name from `tabService Technician` where name = %s for update", technician)
	tech = frappe.get_doc("Service Technician", technician)
	van = (
		tech.van_warehouse
		if tech.van_warehouse and frappe.db.exists("Warehouse", tech.van_warehouse)
		else None
	)
	company = (
		company or (van and frappe.db.get_value("Warehouse", van, "company")) or technician_company(tech)
	)
	if not company or not frappe.db.exists("Company", company):
		frappe.throw(_("Give the company of technician {0}'s van.").format(frappe.bold(technician)))
	group = ensure_vans_group(company)
	if van:
		_move_under(van, group)
		return van
	abbr = frappe.get_cached_value("Company", company, "abbr")
	label = f"Van {tech.full_name or tech.user}"
	van = f"{label} - {abbr}"
	if frappe.db.exists("Warehouse", van) and frappe.db.exists("Service Technician", {"van_warehouse": van}):
		label = f"Van {tech.user}"  # two technicians of one name
		van = f"{label} - {abbr}"
	if not frappe.db.exists("Warehouse", van):
		frappe.get_doc(
			{
				"doctype": "Warehouse",
				"warehouse_name": label,
				"company": company,
				"parent_warehouse": group,
			}
		).insert(ignore_permissions=True)
	else:
		_move_under(van, group)  # a warehouse of that name made by hand
	tech.db_set("van_warehouse", van)
	clear_van_cache()
	frappe.flags.pop("warehouse_account_map", None)  # ERPNext's per-request map: the van posts at once
	return van


def _move_under(warehouse: str, group: str) -> None:
	if frappe.db.get_value("Warehouse", warehouse, "parent_warehouse") != group:
		doc = frappe.get_doc("Warehouse", warehouse)
		doc.parent_warehouse = group
		doc.save(ignore_permissions=True)


def technician_company(tech) -> str | None:
	return (
		(tech.employee and frappe.db.get_value("Employee", tech.employee, "company"))
		or frappe.defaults.get_user_default("Company")
		or frappe.defaults.get_global_default("company")
	)


def ensure_vans_group(company: str) -> str:
	"""The company's group warehouse "Vans", under its root warehouse."""
	abbr = frappe.get_cached_value("Company", company, "abbr")
	name = f"{VANS_GROUP} - {abbr}"
	if not frappe.db.exists("Warehouse", name):
		root = frappe.db.get_value(
			"Warehouse",
			{"company": company, "is_group": 1, "parent_warehouse": ("in", ("", None))},
			"name",
			order_by="lft asc",
		) or frappe.db.get_value("Warehouse", {"company": company, "is_group": 1}, "name", order_by="lft asc")
		frappe.get_doc(
			{
				"doctype": "Warehouse",
				"warehouse_name": VANS_GROUP,
				"company": company,
				"is_group": 1,
				"parent_warehouse": root,
			}
		).insert(ignore_permissions=True)
	return name


def set_par_level(warehouse: str, item_code: str, par_level: float, refill_qty: float | None = None) -> None:
	"""The van's par level of an item: ERPNext's Item Reorder row for the van (made or changed)."""
	check_van(warehouse)
	if flt(par_level) < 0 or (refill_qty is not None and flt(refill_qty) < 0):
		frappe.throw(_("A par level and its refill quantity cannot be below zero."))
	item = frappe.get_doc("Item", item_code)
	row = next((r for r in item.reorder_levels if r.warehouse == warehouse), None)
	if not row:
		row = item.append("reorder_levels", {"warehouse": warehouse})
	row.material_request_type = TRANSFER
	row.warehouse_reorder_level = flt(par_level)
	row.warehouse_reorder_qty = flt(refill_qty if refill_qty is not None else par_level)
	item.save(ignore_permissions=True)
	clear_van_cache()


# Reading vans (cached: the stock ledger hook reads them on every movement)
# ------------------------------------------------------------------------


def vans() -> dict[str, str]:
	"""{van warehouse: technician user}."""
	return _van_map()["vans"]


def par_items(warehouse: str) -> frozenset:
	"""The items with a par level in this van."""
	return _van_map()["pars"].get(warehouse, frozenset())


def _van_map() -> dict:
	return frappe.cache.get_value(CACHE_KEY, generator=_load_van_map)


def _load_van_map() -> dict:
	rows = frappe.get_all(
		"Service Technician",
		filters={"van_warehouse": ("is", "set")},
		fields=["van_warehouse", "user"],
		order_by="name",
	)
	van_users = {row.van_warehouse: row.user for row in rows}
	pars: dict[str, set] = {}
	if van_users:
		for item_code, warehouse in frappe.get_all(
			"Item Reorder",
			filters={
				"parenttype": "Item",
				"warehouse": ("in", list(van_users)),
				"material_request_type": TRANSFER,
			},
			fields=["parent", "warehouse"],
			as_list=True,
		):
			pars.setdefault(warehouse, set()).add(item_code)
	return {"vans": van_users, "pars": {w: frozenset(items) for w, items in pars.items()}}


def clear_van_cache(doc=None, method=None) -> None:
	"""Service Technician and Item `on_update` / `on_trash`: the van map is read again (now, and once the
	transaction ends: a map read before then may hold what a rollback undoes)."""
	_drop_cache()
	frappe.db.after_commit.add(_drop_cache)
	frappe.db.after_rollback.add(_drop_cache)


def _drop_cache() -> None:
	frappe.cache.delete_value(CACHE_KEY)


def on_item_update(doc, method=None) -> None:
	"""Item `on_update`: only an item with par rows (now or before) changes the van map."""
	before = doc.get_doc_before_save()
	if doc.get("reorder_levels") or (before and before.get("reorder_levels")):
		clear_van_cache()


# Van stock
# ---------


def van_stock(warehouse: str) -> list[dict]:
	"""The van's items (with a par level or in stock): item_code, item_name, par_level, actual_qty, status."""
	check_van_access(warehouse)
	return [
		{key: row[key] for key in ("item_code", "item_name", "par_level", "actual_qty", "status")}
		for row in stock_rows([warehouse])
	]


def stock_rows(warehouses: list[str]) -> list[dict]:
	"""One set-based read of the vans' par levels (Item Reorder) and stock (Bin): per van and item,
	warehouse, item_code, item_name, par_level, refill_qty, actual_qty, projected_qty, status."""
	if not warehouses:
		return []
	status = STATUS_SQL.format(actual="b.actual_qty", par="x.par_level")
	return frappe.db.sql(  # nosemgrep: fixed SQL, values bound
		f"""
		select x.warehouse, x.item_code, i.item_name, x.par_level, x.refill_qty,
			coalesce(b.actual_qty, 0) as actual_qty, coalesce(b.projected_qty, 0) as projected_qty,
			{status} as status
		from (
			select warehouse, item_code, max(par_level) as par_level, max(refill_qty) as refill_qty
			from (
				select warehouse, parent as item_code, warehouse_reorder_level as par_level,
					warehouse_reorder_qty as refill_qty
				from `tabItem Reorder`
				where parenttype = 'Item' and material_request_type = 'Transfer' and warehouse in %(w)s
				union all
				select warehouse, item_code, 0, 0 from `tabBin`
				where warehouse in %(w)s and actual_qty != 0
			) van_rows
			group by warehouse, item_code
		) x
		join `tabItem` i on i.name = x.item_code
		left join `tabBin` b on b.item_code = x.item_code and b.warehouse = x.warehouse
		order by x.warehouse, x.item_code
		""",
		{"w": tuple(warehouses)},
		as_dict=True,
	)
