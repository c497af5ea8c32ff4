"""The demo's vans (support_plus.parts): each demo technician's van under "Vans", par levels of four spare
parts (ERPNext Item Reorder rows), stock moved in from the company's stores with real Stock Entries, some
items below par and some above, the refill requests those make, and a weekly or monthly audit.

The first van is seed 002's example table (LCD 15.6": par 3, 1 in the van; batteries 5/6; RAM 4/0;
network cables 10/12). Idempotent: stock is moved into a van only for an item it has never held.
"""

import frappe

from support_plus.parts import refill, vans
from support_plus.setup.masters import tree_leaf

# (item code, name, valuation rate)
PARTS = (
	("SP-LCD-156", 'LCD 15.6"', 85.0),
	("SP-BATTERY", "Laptop Battery", 45.0),
	("SP-RAM-8GB", "RAM 8GB DDR4", 30.0),
	("SP-NET-CABLE", "Network Cable", 4.0),
)
# par levels (refill quantity = par), then each van's stock: the first is the seed's table
PARS = {"SP-LCD-156": 3, "SP-BATTERY": 5, "SP-RAM-8GB": 4, "SP-NET-CABLE": 10}
STOCK = (
	{"SP-LCD-156": 1, "SP-BATTERY": 6, "SP-RAM-8GB": 0, "SP-NET-CABLE": 12},
	{"SP-LCD-156": 3, "SP-BATTERY": 5, "SP-RAM-8GB": 4, "SP-NET-CABLE": 10},
	{"SP-LCD-156": 4, "SP-BATTERY": 2, "SP-RAM-8GB": 5, "SP-NET-CABLE": 15},
	{"SP-LCD-156": 0, "SP-BATTERY": 7, "SP-RAM-8GB": 1, "SP-NET-CABLE": 20},
)


def make_vans(company: str, technicians: list[str], progress=None) -> dict:
	"""Vans, par levels and stock for these technicians (users); {"vans", "refill_requests"}."""
	progress = progress or (lambda items, label: items)
	stores = _stores(company)
	if not frappe.db.get_single_value("Support Plus Settings", refill.SETTING):
		frappe.db.set_single_value("Support Plus Settings", refill.SETTING, stores)
	for code, name, rate in PARTS:
		_part(code, name, rate)
	made, requests = [], 0
	for i, user in enumerate(progress(technicians, "Vans and their stock")):
		van = vans.create_van(user, company)
		made.append(van)
		frappe.db.set_value(
			"Service Technician", user, "van_audit_interval", "Weekly" if i % 2 == 0 else "Monthly"
		)
		for code, par in PARS.items():
			vans.set_par_level(van, code, par, par)
		for code, qty in STOCK[i % len(STOCK)].items():
			if qty and not frappe.db.exists("Bin", {"item_code": code, "warehouse": van}):
				_move(company, code, qty, stores, van)
		requests += bool(refill.refill_van(van))
	return {"vans": len(made), "refill_requests": requests}


def _stores(company: str) -> str:
	return frappe.db.get_value(
		"Warehouse", {"company": company, "is_group": 0, "warehouse_name": "Stores"}
	) or frappe.db.get_value("Warehouse", {"company": company, "is_group": 0}, order_by="lft asc")


def _part(code: str, name: str, rate: float) -> None:
	if not frappe.db.exists("Item", code):
		frappe.get_doc(
			{
				"doctype": "Item",
				"item_code": code,
				"item_name": name,
				"item_group": tree_leaf("Item Group"),
				"stock_uom": "Nos",
				"is_stock_item": 1,
				"valuation_rate": rate,
			}
		).insert(ignore_permissions=True)


def _move(company: str, code: str, qty: float, stores: str, van: str) -> None:
	"""Receive what the stores lack, then transfer `qty` into the van."""
	from erpnext.stock.doctype.stock_entry.stock_entry_utils import make_stock_entry

	rate = frappe.db.get_value("Item", code, "valuation_rate")
	have = frappe.db.get_value("Bin", {"item_code": code, "warehouse": stores}, "actual_qty") or 0
	if have < qty:
		make_stock_entry(item_code=code, qty=qty - have + 20, to_warehouse=stores, company=company, rate=rate)
	make_stock_entry(item_code=code, qty=qty, from_warehouse=stores, to_warehouse=van, company=company)
