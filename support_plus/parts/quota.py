"""A service contract's parts quota: consumed by the covered parts used on its customer's jobs.

- **Consumed**: the submitted Service Part Usages of type Installed or Consumed that the contract covered
  (`coverage` Under Contract, `service_contract` set, not `chargeable`; a part under warranty while a
  contract is in force is the warranty's): their count is the sum of their quantities, their amount the
  sum of their `amount` (the parts at the customer's price, support_plus.parts.pricing, filled on submit when
  the usage has none). `consumed()` is THE query; the contract's `parts_used_amount` / `parts_used_count`
  are its value stored after every submit and cancel, for the contract form and the alerts' indexed select.
- **Beyond the quota**: a covered usage that would take the consumed amount above `parts_quota_amount`, or
  the count above `parts_quota_count` (a quota of 0 or none is no quota), becomes chargeable as a whole on
  submit (`coverage` "Over Quota"): it does not consume the quota and the ticket's service invoice bills it.
  The contract row is locked while a usage is weighed, so two parts used at once cannot both take the last
  of the quota.
- After each count the Support Managers are told when 80% / 100% is passed (support_plus.warranty.alerts).

Service Part Usage `before_submit` / `on_submit` / `on_cancel` (hooks.py): they run after the usage's own
controller, which fills `chargeable`, `coverage` and `service_contract` from the warranty check.
"""

import frappe
from frappe import _
from frappe.utils import cint, flt

from support_plus.parts.pricing import part_rate
from support_plus.warranty import alerts

CONSUMING_TYPES = ("Installed", "Consumed")
UNDER_CONTRACT = "Under Contract"  # support_plus.warranty.coverage's status (a warranty wins over a contract)
OVER_QUOTA = "Over Quota"

# THE rule of a usage the contract covers, twice: Python for one usage, SQL (over `tabService Part Usage`)
# for the consumption and the Parts Usage report; tests/test_service_billing.py checks they agree.
COVERED_BY_CONTRACT_SQL = (
	"(`tabService Part Usage`.chargeable = 0 and `tabService Part Usage`.coverage = 'Under Contract'"
	" and `tabService Part Usage`.service_contract is not null"
	" and `tabService Part Usage`.usage_type in ('Installed', 'Consumed'))"
)


def counts_against_quota(doc) -> bool:
	"""A part the contract covers (not one the warranty covers while a contract is in force)."""
	return bool(
		doc.service_contract
		and not cint(doc.chargeable)
		and doc.coverage == UNDER_CONTRACT
		and doc.usage_type in CONSUMING_TYPES
	)


def consumed(contract: str, exclude: str | None = None, lock: bool = False) -> tuple[float, float]:
	"""(amount, count) of the contract's quota used by submitted covered parts (one indexed read; `lock`: a
	locking read, which sees what was committed after this transaction's snapshot)."""
	amount, count = frappe.db.sql(  # nosemgrep: fixed SQL of this module, values bound
		f"""select coalesce(sum(amount), 0), coalesce(sum(qty), 0) from `tabService Part Usage`
		where service_contract = %(contract)s and docstatus = 1 and {COVERED_BY_CONTRACT_SQL}
			and name != %(exclude)s{" for update" if lock else ""}""",
		{"contract": contract, "exclude": exclude or ""},
	)[0]
	return flt(amount), flt(count)


def fill_amount(doc) -> None:
	"""The usage's value at the customer's price (support_plus.parts.pricing; a part without a price at its
	cost in the source warehouse), when its controller left the rate empty."""

	if not flt(doc.rate):
		cost = flt(doc.valuation_rate) or flt(
			frappe.db.get_value(
				"Bin", {"item_code": doc.item_code, "warehouse": doc.warehouse}, "valuation_rate"
			)
		)
		doc.rate = part_rate(doc.item_code, doc.customer, cost, flt(doc.qty) or 1)
	doc.amount = flt(flt(doc.rate) * flt(doc.qty), 2)


def before_usage_submit(doc, method=None) -> None:
	"""A covered part beyond its contract's quota becomes chargeable."""
	if doc.usage_type in CONSUMING_TYPES:
		fill_amount(doc)
	if not counts_against_quota(doc):
		return
	quota = frappe.db.get_value(
		"Service Contract",
		doc.service_contract,
		["parts_quota_amount", "parts_quota_count"],
		as_dict=True,
		for_update=True,  # one usage of a contract weighed at a time
	)
	if not quota or not (flt(quota.parts_quota_amount) > 0 or cint(quota.parts_quota_count) > 0):
		return
	# After the contract's lock, a locking read: a part submitted at the same moment is counted.
	used_amount, used_count = consumed(doc.service_contract, exclude=doc.name, lock=True)
	over_amount = flt(quota.parts_quota_amount) > 0 and (
		flt(used_amount + flt(doc.amount), 2) > flt(quota.parts_quota_amount)
	)
	over_count = cint(quota.parts_quota_count) > 0 and used_count + flt(doc.qty) > cint(
		quota.parts_quota_count
	)
	if over_amount or over_count:
		doc.chargeable = 1
		doc.coverage = OVER_QUOTA
		frappe.msgprint(
			_("The parts quota of service contract {0} is used up: this part is chargeable.").format(
				frappe.bold(doc.service_contract)
			),
			alert=True,
		)


def after_usage_change(doc, method=None) -> None:
	"""Service Part Usage `on_submit` / `on_cancel`: the contract's stored consumption follows."""
	if doc.service_contract and doc.usage_type in CONSUMING_TYPES:
		refresh(doc.service_contract)


def refresh(contract: str) -> tuple[float, float]:
	"""Store the contract's consumption and tell the managers of a threshold passed; returns it."""
	amount, count = consumed(contract)
	frappe.db.set_value(
		"Service Contract",
		contract,
		{"parts_used_amount": amount, "parts_used_count": cint(count)},
		update_modified=False,
	)
	alerts.check_parts_quota(contract)
	return amount, count


def quota_status(contract: str) -> dict:
	"""{"contract", "quota_amount", "quota_count", "used_amount", "used_count", "level"} (level: 0/80/100)."""
	quota = frappe.db.get_value(
		"Service Contract", contract, ["parts_quota_amount", "parts_quota_count"], as_dict=True
	)
	if not quota:
		frappe.throw(
			_("Service Contract {0} does not exist.").format(frappe.bold(contract)), frappe.DoesNotExistError
		)
	amount, count = consumed(contract)
	return {
		"contract": contract,
		"quota_amount": flt(quota.parts_quota_amount),
		"quota_count": cint(quota.parts_quota_count),
		"used_amount": amount,
		"used_count": count,
		"level": alerts.quota_level(quota.parts_quota_amount, quota.parts_quota_count, amount, count),
	}
