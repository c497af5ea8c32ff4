"""Service billing and contract quotas in the public API. Every function checks the caller's permissions."""

import frappe

from support_plus.api.arguments import required
from support_plus.parts import billing, quota


@frappe.whitelist(methods=["POST"])
def make_service_invoice(issue: str | None = None) -> str | None:
	"""Make (or bring up to date) the ticket's DRAFT Sales Invoice for its chargeable parts and labour and
	return its name; None when nothing is chargeable (warranty, or a contract whose quota counts the parts).
	Refuses a cancelled ticket, and a ticket whose chargeable work is all on a submitted invoice already.
	Support Agents/Managers (who can read the ticket) and Accounts Users (support_plus.parts.billing)."""
	return billing.make_service_invoice(required(issue, "issue"))


@frappe.whitelist(methods=["POST"])
def contract_quota(contract: str | None = None) -> dict:
	"""A service contract's parts quota and what its covered parts used of it: {"contract", "quota_amount",
	"quota_count", "used_amount", "used_count", "level"} (level 0, 80 or 100). Needs read access to it."""
	required(contract, "contract")
	if not isinstance(contract, str) or not frappe.db.exists("Service Contract", contract):
		frappe.throw(frappe._("Service Contract {0} does not exist.").format(frappe.bold(contract)))
	frappe.has_permission("Service Contract", "read", contract, throw=True)
	return quota.quota_status(contract)
