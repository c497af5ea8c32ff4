"""Which SLA a ticket gets: the most specific one that matches, not the most recently modified.

A ticket about equipment under a service contract with an SLA gets the contract's SLA first, when it is
enabled, in force and has the ticket's priority (`service_contract` is stored on the ticket by
support_plus.warranty.tickets before the engine runs).

An SLA marked *Service Contracts Only* is chosen by nobody but a contract (or by hand).

Otherwise specificity: a condition or a Customer entity (3) > Customer Group (2) > Territory (1) > none (0); among
groups and territories the deeper node of the tree wins. Two enabled SLAs that would tie for the same
tickets are refused when the second is saved.
"""

import frappe
from frappe import _
from frappe.utils import getdate
from frappe.utils.nestedset import get_ancestors_of

from erpnext.support.doctype.service_level_agreement.service_level_agreement import get_context

RANK = {"Customer": 3, "Customer Group": 2, "Territory": 1}


def rank_of(sla) -> int:
	if sla.get("condition") or sla.get("entity_type") == "Customer":
		return 3
	return RANK.get(sla.get("entity_type") or "", 0)


def candidates() -> list[dict]:
	sla = frappe.qb.DocType("Service Level Agreement")
	priority = frappe.qb.DocType("Service Level Priority")
	rows = (
		frappe.qb.from_(sla)
		.join(priority)
		.on(priority.parent == sla.name)
		.select(
			sla.name,
			sla.entity_type,
			sla.entity,
			sla.condition,
			sla.default_service_level_agreement,
			sla.start_date,
			sla.end_date,
			sla.service_contracts_only,
			priority.priority,
		)
		.where((sla.enabled == 1) & (sla.document_type == "Issue"))
	).run(as_dict=True)
	out = {}
	for row in rows:
		entry = out.setdefault(row.name, frappe._dict(row, priorities=set()))
		entry["priorities"].add(row.priority)
	return list(out.values())


def select_sla(doc) -> str | None:
	"""The most specific enabled SLA for this ticket and its priority.

	An SLA's start and end dates say when the agreement is in force on the calendar: they are compared with
	today's real date, not the ticket's clock (a pinned `frappe.flags.current_time` or a back-dated ticket
	does not change which agreements exist). ERPNext ignores the start date and disables an SLA after its
	end date with a daily job; its tests pin the clock years before their SLAs' start."""
	today = getdate()
	slas = candidates()
	contract_sla = _contract_sla(doc, slas, today)
	if contract_sla:
		return contract_sla
	customer = doc.get("customer")
	groups, territories = [], []
	if customer:
		group, territory = frappe.get_cached_value("Customer", customer, ["customer_group", "territory"])
		groups = [group, *get_ancestors_of("Customer Group", group)] if group else []
		territories = [territory, *get_ancestors_of("Territory", territory)] if territory else []
	best, best_key = None, None
	for sla in slas:
		if not _applies(sla, doc, today) or is_contract_only(sla):
			continue
		depth = _entity_match(sla, customer, groups, territories)
		if depth is None:
			continue
		# The names ERPNext gives a condition, and checks it with when the SLA is saved.
		if sla.condition and not frappe.safe_eval(sla.condition, None, get_context(doc)):
			continue
		key = (rank_of(sla), depth, sla.name)
		if best_key is None or key[:2] > best_key[:2] or (key[:2] == best_key[:2] and key[2] < best_key[2]):
			best, best_key = sla.name, key
	return best


def is_contract_only(sla) -> bool:
	return bool(sla.get("service_contracts_only"))


def _applies(sla, doc, today) -> bool:
	"""In force today and with targets for the ticket's priority."""
	if doc.get("priority") and doc.priority not in sla["priorities"]:
		return False
	return not (
		(sla.start_date and getdate(sla.start_date) > today)
		or (sla.end_date and getdate(sla.end_date) < today)
	)


def _contract_sla(doc, slas, today) -> str | None:
	contract = doc.get("service_contract")
	name = contract and frappe.db.get_value("Service Contract", contract, "service_level_agreement")
	if not name:
		return None
	return next((sla.name for sla in slas if sla.name == name and _applies(sla, doc, today)), None)


def _entity_match(sla, customer, groups, territories) -> int | None:
	"""None when the SLA's entity does not cover the ticket; else how specific the match is."""
	kind = sla.entity_type
	if not kind:
		return 0
	if kind == "Customer":
		return 0 if sla.entity == customer else None
	chain = groups if kind == "Customer Group" else territories
	if sla.entity not in chain:
		return None
	return len(chain) - chain.index(sla.entity)  # nearer to the customer's own node: higher


def validate_no_tie(doc, method=None) -> None:
	"""Service Level Agreement `validate`: refuse an SLA that would tie with another for the same tickets."""
	if not doc.enabled or doc.document_type != "Issue" or is_contract_only(doc):
		return
	mine = {row.priority for row in doc.priorities}
	for other in candidates():
		if other.name == doc.name or not mine & other["priorities"]:
			continue
		same_scope = (
			rank_of(other) == rank_of(doc)
			and (other.entity_type or "") == (doc.entity_type or "")
			and (other.entity or "") == (doc.entity or "")
			and (other.condition or "").strip() == (doc.condition or "").strip()
			and bool(other.default_service_level_agreement) == bool(doc.default_service_level_agreement)
		)
		if same_scope:
			frappe.throw(
				_(
					"{0} would apply to the same tickets as {1} for priority {2}; make one of them more specific."
				).format(
					frappe.bold(doc.name or doc.service_level),
					frappe.bold(other.name),
					", ".join(sorted(mine & other["priorities"])),
				),
				title=_("Ambiguous Service Level Agreements"),
			)
