"""SLA actions of the public API. Every function checks the caller's permissions."""

from datetime import date, datetime

import frappe
from frappe import _

from support_plus.api.arguments import required
from support_plus.api.requested_time import requested_time
from support_plus.sla import escalation
from support_plus.sla.sweep import sla_sweep as run_sweep
from support_plus.utils import clock
from support_plus.utils.roles import is_manager


@frappe.whitelist(methods=["POST"])
def escalate(issue: str | None = None, reason: str | None = None, to_user: str | None = None) -> str:
	"""Escalate a ticket by hand (optionally to a user); returns the Issue Escalation. The SLA clock runs on."""
	return escalation.escalate(required(issue, "issue"), reason, to_user)


@frappe.whitelist(methods=["POST"])
def sla_sweep(now: str | datetime | date | None = None) -> dict:
	"""Run the SLA sweep now (Support/System Manager): {"at_risk", "breached", "escalations", "failed",
	"queued_chunks"}. `now` (from Python only, see requested_time) runs it at another time."""
	if not is_manager():
		frappe.throw(_("Only a Support Manager can run the SLA sweep."), frappe.PermissionError)
	return run_sweep(requested_time(now))


@frappe.whitelist(methods=["POST"])
def reset_service_level_agreement(
	doctype: str | None = None, docname: str | None = None, reason: str | None = None, user: str | None = None
) -> None:
	"""Restart a ticket's SLA clock. Replaces ERPNext's, which trusted `user` from the request and checked
	no permission: Support or System Manager with write access, when Support Settings allow resets."""
	if doctype != "Issue":
		frappe.throw(_("Only tickets have a support_plus SLA."))
	if not frappe.db.get_single_value("Support Settings", "allow_resetting_service_level_agreement"):
		frappe.throw(_("Allow Resetting Service Level Agreement from Support Settings."))
	if not is_manager():
		frappe.throw(_("Only a Support Manager can reset an SLA."), frappe.PermissionError)
	reason = (reason or "").strip()
	if not reason:
		frappe.throw(_("Give a reason to reset the SLA."), title=_("Reason Required"))
	doc = frappe.get_doc("Issue", required(docname, "docname"))
	doc.check_permission("write")
	doc.update(
		{
			"service_level_agreement_creation": clock.now(),
			"sla_pauses": None,
			"on_hold_since": None,
			"first_responded_on": None,
			"sla_health": None,
			"sla_round": (doc.sla_round or 0) + 1,
		}
	)
	doc.flags.support_plus_sla_reset = True
	doc.save()
	doc.add_comment(
		"Info", _("SLA reset by {0}: {1}").format(frappe.session.user, frappe.utils.escape_html(reason))
	)
