"""ERPNext 15's SLA hooks on Communication, replaced for Issues under support_plus's SLA engine.

Follows ERPNext 15.45 (support_plus.overrides.check_versions refuses another major version, and checks
that the two functions below still exist). ERPNext's hooks.py runs two functions on every Communication
`on_update`, after Frappe has, with `db_set` and no save, set a ticket "Open" on a received message or
stamped a sent one's row time as the ticket's first response:

- `service_level_agreement.on_communication_update` puts the stored status back, recomputes the SLA on
  the wall clock (`handle_status_change`, `update_response_and_resolution_metrics`,
  `update_agreement_status`) and saves the ticket;
- `issue.set_first_response_time` then writes `first_response_time` counted its own way (the SLA's hours
  read in the site's timezone, no holidays).

For an Issue, support_plus's engine recomputes every SLA field in `before_save` and sla/metrics fills
`first_response_time` in the SLA's business time, so ERPNext's arithmetic was done and then overwritten.
The replacements keep the part the engine needs and drop the rest: on a received message, put the stored
status back and save the ticket with Frappe's new one, so the engine sees the change (a pause ends, a
reopening counts); on the first reply, clear Frappe's row-time stamp and save with ERPNext's own
`on_first_reply` flag, so the engine records the reply once, at its own date. Any other doctype with an
ERPNext SLA, and Issues while SLA tracking is off, get ERPNext's own functions.

Frappe's hooks name these functions by their dotted path, so they are replaced in their modules (`attach`,
a Communication `validate` hook: Frappe 15 validates a Communication before every `on_update`). Each is
checked against ERPNext's behaviour in tests/test_erpnext_sla_hooks.py.
"""

import frappe
from frappe.core.doctype.communication.communication import get_parent_doc

from erpnext.support.doctype.issue import issue as erpnext_issue
from erpnext.support.doctype.service_level_agreement import service_level_agreement as erpnext_sla

from support_plus.sla.config import tracking_enabled

# (module, function name): what the replacement takes over.
REPLACED = ((erpnext_sla, "on_communication_update"), (erpnext_issue, "set_first_response_time"))
ORIGINAL = {name: getattr(module, name) for module, name in REPLACED}


def attach(doc=None, method=None) -> None:
	"""Communication `validate`: put the replacements in place in this process (once)."""
	for module, name in REPLACED:
		if getattr(module, name) is ORIGINAL[name]:
			setattr(module, name, REPLACEMENT[name])


def under_engine(doctype: str | None) -> bool:
	return doctype == "Issue" and tracking_enabled()


def on_communication_update(doc, status):
	"""ERPNext's `on_communication_update`, without its SLA arithmetic for Issues."""
	if not under_engine(doc.reference_doctype):
		return ORIGINAL["on_communication_update"](doc, status)
	if doc.communication_type == "Comment":
		return
	parent = get_parent_doc(doc)
	if not parent or not parent.get("service_level_agreement"):
		return
	before = parent.get_doc_before_save()
	if not before:
		return
	if doc.sent_or_received == "Received" and parent.status == "Open" and before.status != "Open":
		# Frappe's db_set: back to the stored status, so the save below is the change the engine sees.
		frappe.db.set_value(parent.doctype, parent.name, "status", before.status, update_modified=False)
	elif (
		doc.sent_or_received == "Sent"
		and parent.get("first_responded_on")
		and not before.get("first_responded_on")
	):
		parent.first_responded_on = None  # Frappe's stamp: the row's write time
		parent.flags.on_first_reply = True  # the engine takes the reply's own time
	else:
		return
	parent.save(ignore_permissions=True)


def set_first_response_time(communication, method):
	"""ERPNext's `set_first_response_time`; for Issues under the engine, sla/metrics fills it."""
	if not under_engine(communication.get("reference_doctype")):
		return ORIGINAL["set_first_response_time"](communication, method)


REPLACEMENT = {
	"on_communication_update": on_communication_update,
	"set_first_response_time": set_first_response_time,
}
