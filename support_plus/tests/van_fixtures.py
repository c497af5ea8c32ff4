"""Vans with stock for the parts tests (support_plus.parts): real stock entries on the test company,
through ERPNext's own `make_stock_entry`."""

import frappe

from support_plus.parts import vans
from support_plus.tests.dispatch_fixtures import make_technician
from support_plus.tests.utils import make_item
from support_plus.tests.warranty_fixtures import company, warehouse


def stores() -> str:
	"""The main warehouse vans are refilled from."""
	return warehouse()


def stock_item(item_code: str, rate: float = 25) -> str:
	make_item(item_code)
	frappe.db.set_value("Item", item_code, "valuation_rate", rate)
	frappe.clear_document_cache("Item", item_code)
	return item_code


def move(item_code: str, qty: float, source: str | None = None, target: str | None = None):
	"""A submitted Stock Entry: receipt (target only), issue (source only) or transfer."""
	from erpnext.stock.doctype.stock_entry.stock_entry_utils import make_stock_entry

	return make_stock_entry(
		item_code=item_code,
		qty=qty,
		from_warehouse=source,
		to_warehouse=target,
		company=company(),
		rate=frappe.db.get_value("Item", item_code, "valuation_rate") or 25,
	)


def technician_with_van(key: str, **values):
	"""A fresh technician profile (sp-tech-<key>) with a van of the test company."""
	tech = make_technician(key, hours=None, **values)
	van = vans.create_van(tech.name, company())
	tech.reload()
	return tech, van


def stock_van(van: str, item_code: str, par: float, qty: float, refill: float | None = None) -> None:
	"""A par level for the item in the van, and `qty` of it moved in from the stores."""
	vans.set_par_level(van, item_code, par, refill)
	if qty:
		move(item_code, qty + 50, target=stores())
		move(item_code, qty, source=stores(), target=van)


def bin_qty(item_code: str, warehouse: str, field: str = "actual_qty") -> float:
	return frappe.db.get_value("Bin", {"item_code": item_code, "warehouse": warehouse}, field) or 0.0


def open_requests(van: str) -> list[str]:
	return frappe.get_all(
		"Material Request",
		filters={"docstatus": 1, "set_warehouse": van, "status": ("in", ("Pending", "Partially Ordered"))},
		pluck="name",
	)
