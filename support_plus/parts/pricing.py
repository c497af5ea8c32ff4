"""What a part costs the customer: THE price rule of chargeable parts.

- The price list is the customer's (`default_price_list`), else its customer group's, else Selling
  Settings' default, else "Standard Selling" — the one a service invoice is made with.
- A part's rate is that list's rate (ERPNext's `get_price_list_rate_for`: a customer's own price first, then
  the general one, in the part's stock UOM), or, when the list has no price, the part's cost (its valuation
  rate on the job); plus the markup % of Support Plus Settings (`parts_markup_percent`).
- On a service invoice ERPNext's own pricing applies: a Pricing Rule that matches a part replaces the markup
  (support_plus.parts.billing). The quota of a contract counts the parts at `part_rate` (no Pricing Rule:
  a contract's quota is a list-price amount); tests/test_service_billing.py checks both give the same rate
  for a part without a Pricing Rule.
"""

import frappe
from frappe.utils import flt

from support_plus.utils import clock

FALLBACK_PRICE_LIST = "Standard Selling"


def price_list_for(customer: str | None) -> str | None:
	if customer:
		own, group = frappe.get_cached_value(
			"Customer", customer, ["default_price_list", "customer_group"]
		) or (None, None)
		if own:
			return own
		group_list = group and frappe.get_cached_value("Customer Group", group, "default_price_list")
		if group_list:
			return group_list
	default = frappe.db.get_single_value("Selling Settings", "selling_price_list")
	if default:
		return default
	return FALLBACK_PRICE_LIST if frappe.db.exists("Price List", FALLBACK_PRICE_LIST) else None


def markup_percent() -> float:
	return flt(frappe.db.get_single_value("Support Plus Settings", "parts_markup_percent"))


def list_rate(item_code: str, customer: str | None, price_list: str | None = None, qty: float = 1) -> float:
	"""The price list rate of one unit of `item_code` for `customer` (0: the list has no price)."""
	from erpnext.stock.get_item_details import get_price_list_rate_for

	price_list = price_list or price_list_for(customer)
	if not price_list:
		return 0.0
	uom = frappe.get_cached_value("Item", item_code, "stock_uom")
	args = {
		"price_list": price_list,
		"customer": customer,
		"uom": uom,
		"stock_uom": uom,
		"transaction_date": clock.today(),
		"qty": qty,
	}
	return flt(get_price_list_rate_for(args, item_code))


def with_markup(rate: float) -> float:
	return flt(flt(rate) * (1 + markup_percent() / 100.0), 2)


def part_rate(item_code: str, customer: str | None, cost_rate: float = 0, qty: float = 1) -> float:
	"""The rate of one unit of a part for `customer`: list rate (else `cost_rate`) plus the markup."""
	return with_markup(list_rate(item_code, customer, qty=qty) or cost_rate)
