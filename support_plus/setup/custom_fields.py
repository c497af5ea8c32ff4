"""Custom fields support_plus adds to ERPNext doctypes, created by install code (create_custom_fields)."""

from frappe import _

from support_plus.setup.billing_fields import add_billing_fields
from support_plus.setup.maintenance_fields import add_maintenance_fields
from support_plus.setup.parts_fields import add_parts_fields
from support_plus.setup.van_fields import add_van_fields
from support_plus.setup.warranty_fields import add_warranty_fields


def get_custom_fields() -> dict[str, list[dict]]:
	from zoneinfo import available_timezones

	channels = "\n".join(("Email", "Web Portal", "Phone", "Chat", "WhatsApp", "Walk-in", "Manual"))
	fields = {
		"Issue": [
			{
				"fieldname": "channel",
				"fieldtype": "Select",
				"label": _("Channel"),
				"options": channels,
				"default": "Manual",
				"insert_after": "issue_type",
				"in_standard_filter": 1,
			},
			{
				"fieldname": "contact_phone",
				"fieldtype": "Data",
				"label": _("Contact Phone"),
				"options": "Phone",
				"insert_after": "raised_by",
			},
			{
				"fieldname": "sp_product_section",
				"fieldtype": "Section Break",
				"label": _("Product and Site"),
				"insert_after": "description",
				"collapsible": 1,
			},
			{
				"fieldname": "item_code",
				"fieldtype": "Link",
				"label": _("Item"),
				"options": "Item",
				"insert_after": "sp_product_section",
			},
			{
				"fieldname": "serial_no",
				"fieldtype": "Link",
				"label": _("Serial No"),
				"options": "Serial No",
				"insert_after": "item_code",
			},
			{"fieldname": "sp_product_column", "fieldtype": "Column Break", "insert_after": "serial_no"},
			{
				"fieldname": "site_address",
				"fieldtype": "Link",
				"label": _("Site Address"),
				"options": "Address",
				"insert_after": "sp_product_column",
			},
			{
				"fieldname": "sp_lifecycle_section",
				"fieldtype": "Section Break",
				"label": _("Lifecycle"),
				"insert_after": "site_address",
				"collapsible": 1,
			},
			{
				"fieldname": "cancel_reason",
				"fieldtype": "Small Text",
				"label": _("Cancel Reason"),
				"insert_after": "sp_lifecycle_section",
				"depends_on": "eval:doc.status=='Cancelled'",
				"mandatory_depends_on": "eval:doc.status=='Cancelled'",
			},
			{
				"fieldname": "status_changed_on",
				"fieldtype": "Datetime",
				"label": _("Status Changed On"),
				"insert_after": "cancel_reason",
				"read_only": 1,
			},
			{
				"fieldname": "resolved_on",
				"fieldtype": "Datetime",
				"label": _("Resolved On"),
				"insert_after": "status_changed_on",
				"read_only": 1,
			},
			{
				"fieldname": "closed_on",
				"fieldtype": "Datetime",
				"label": _("Closed On"),
				"insert_after": "resolved_on",
				"read_only": 1,
			},
			{
				"fieldname": "closed_by",
				"fieldtype": "Link",
				"label": _("Closed By"),
				"options": "User",
				"insert_after": "closed_on",
				"read_only": 1,
			},
			{"fieldname": "sp_lifecycle_column", "fieldtype": "Column Break", "insert_after": "closed_by"},
			{
				"fieldname": "reopen_count",
				"fieldtype": "Int",
				"label": _("Times Reopened"),
				"insert_after": "sp_lifecycle_column",
				"read_only": 1,
				"default": "0",
			},
			{
				"fieldname": "previous_issue",
				"fieldtype": "Link",
				"label": _("Follows Closed Ticket"),
				"options": "Issue",
				"insert_after": "reopen_count",
				"read_only": 1,
				"description": _("A message on a closed ticket opens this new ticket."),
			},
			{
				"fieldname": "sp_follow_up_section",
				"fieldtype": "Section Break",
				"label": _("Follow-ups"),
				"insert_after": "previous_issue",
			},
			{
				"fieldname": "last_follow_up_on",
				"fieldtype": "Datetime",
				"label": _("Last Follow-up On"),
				"insert_after": "sp_follow_up_section",
				"read_only": 1,
			},
			{
				"fieldname": "next_follow_up_date",
				"fieldtype": "Date",
				"label": _("Next Follow-up Date"),
				"insert_after": "last_follow_up_on",
				"read_only": 1,
				"search_index": 1,
			},
			{
				"fieldname": "sp_follow_up_column",
				"fieldtype": "Column Break",
				"insert_after": "next_follow_up_date",
			},
			{
				"fieldname": "is_overdue",
				"fieldtype": "Check",
				"label": _("Follow-up Overdue"),
				"insert_after": "sp_follow_up_column",
				"read_only": 1,
				"search_index": 1,
				"in_standard_filter": 1,
				"in_list_view": 1,
				"default": "0",
			},
			{
				"fieldname": "sp_feedback_section",
				"fieldtype": "Section Break",
				"label": _("Customer Feedback"),
				"insert_after": "is_overdue",
				"collapsible": 1,
			},
			{
				"fieldname": "customer_rating",
				"fieldtype": "Int",
				"label": _("Customer Rating (1-5)"),
				"insert_after": "sp_feedback_section",
				"read_only": 1,
			},
			{
				"fieldname": "customer_feedback",
				"fieldtype": "Small Text",
				"label": _("Customer Feedback"),
				"insert_after": "customer_rating",
				"read_only": 1,
			},
			# SLA engine (support_plus.sla.engine); sla_health is what people look at.
			{
				"fieldname": "sla_health",
				"fieldtype": "Select",
				"label": _("SLA Health"),
				"options": "\nOn Track\nAt Risk\nBreached",
				"insert_after": "agreement_status",
				"read_only": 1,
				"in_list_view": 1,
				"in_standard_filter": 1,
				"search_index": 1,
			},
			# The list's escalated marker and the "Escalated" view (support_plus.sla.escalation).
			{
				"fieldname": "escalation_count",
				"fieldtype": "Int",
				"label": _("Escalations"),
				"insert_after": "sla_health",
				"read_only": 1,
				"in_list_view": 1,
				"no_copy": 1,
				"default": "0",
				"description": _("How many times the ticket was escalated, by a rule or by hand."),
			},
			{
				"fieldname": "sla_clock_origin",
				"fieldtype": "Float",
				"label": _("SLA Clock Origin"),
				"insert_after": "service_level_agreement_creation",
				"read_only": 1,
				"hidden": 1,
				"precision": "3",
				"description": _(
					"Business seconds of the SLA calendar at which the clock started, plus pauses."
				),
			},
			{
				"fieldname": "sla_response_seconds",
				"fieldtype": "Int",
				"label": _("SLA Response Seconds"),
				"insert_after": "sla_clock_origin",
				"read_only": 1,
				"hidden": 1,
			},
			{
				"fieldname": "sla_resolution_seconds",
				"fieldtype": "Int",
				"label": _("SLA Resolution Seconds"),
				"insert_after": "sla_response_seconds",
				"read_only": 1,
				"hidden": 1,
			},
			{
				"fieldname": "sla_pauses",
				"fieldtype": "Small Text",
				"label": _("SLA Pauses"),
				"insert_after": "sla_resolution_seconds",
				"read_only": 1,
				"hidden": 1,
			},
			{
				"fieldname": "sla_round",
				"fieldtype": "Int",
				"label": _("SLA Resets"),
				"insert_after": "sla_pauses",
				"read_only": 1,
				"hidden": 1,
				"default": "0",
			},
			# The sweep's due-time index (support_plus.sla.due).
			{
				"fieldname": "sla_next_event",
				"fieldtype": "Datetime",
				"label": _("SLA Next Event"),
				"insert_after": "sla_round",
				"read_only": 1,
				"hidden": 1,
				"no_copy": 1,
				"search_index": 1,  # Frappe's own: an index add_index made is dropped by its schema sync
				"description": _("When the SLA sweep next has something to check on this ticket."),
			},
		],
		"Help Article": [
			{
				"fieldname": "portal_audience",
				"fieldtype": "Select",
				"label": _("Audience"),
				"options": "Everyone\nLogged-in Customers",
				"default": "Everyone",
				"insert_after": "published",
				"in_list_view": 1,
				"description": _(
					"Logged-in Customers: only customers signed in to the portal can find and read it."
				),
			},
			{
				# Frappe's website (its search, web list and sitemap) takes this for "published"
				# (support_plus.kb.articles.PUBLIC_FIELD): published, and for Everyone.
				"fieldname": "website_public",
				"fieldtype": "Check",
				"label": _("Public on the Website"),
				"insert_after": "portal_audience",
				"read_only": 1,
				"hidden": 1,
				"no_copy": 1,
				"description": _("Published for Everyone: guests find it in the website's search."),
			},
		],
		"Communication": [
			{
				"fieldname": "is_automated",
				"fieldtype": "Check",
				"label": _("Automated Message"),
				"insert_after": "sent_or_received",
				"read_only": 1,
				"description": _("A bounce or auto-reply: it neither opens nor reopens a ticket."),
			},
		],
		"Service Level Agreement": [
			{
				"fieldname": "timezone",
				"fieldtype": "Autocomplete",
				"label": _("Timezone"),
				"options": "\n".join(sorted(available_timezones())),
				"insert_after": "holiday_list",
				"description": _(
					"Working hours and holidays are read in this timezone; empty: the system timezone."
				),
			},
		],
	}
	add_dispatch_fields(fields)
	add_warranty_fields(fields)
	add_parts_fields(fields)
	add_appointment_fields(fields)
	add_maintenance_fields(fields)
	add_channel_fields(fields)
	add_van_fields(fields)
	add_billing_fields(fields)
	return fields


def add_dispatch_fields(fields: dict[str, list[dict]]) -> None:
	"""Technician routing (support_plus.dispatch): a ticket's team and required skill, a customer's technician."""
	fields["Issue"] += [
		{
			"fieldname": "sp_dispatch_section",
			"fieldtype": "Section Break",
			"label": _("Dispatch"),
			"insert_after": "customer_feedback",
			"collapsible": 1,
		},
		{
			"fieldname": "support_team",
			"fieldtype": "Link",
			"label": _("Support Team"),
			"options": "Support Team",
			"insert_after": "sp_dispatch_section",
			"in_standard_filter": 1,
		},
		{"fieldname": "sp_dispatch_column", "fieldtype": "Column Break", "insert_after": "support_team"},
		{
			"fieldname": "required_skill",
			"fieldtype": "Link",
			"label": _("Required Skill"),
			"options": "Service Skill",
			"insert_after": "sp_dispatch_column",
		},
		{
			"fieldname": "required_skill_level",
			"fieldtype": "Select",
			"label": _("Required Skill Level"),
			"options": "\nBeginner\nIntermediate\nExpert",
			"insert_after": "required_skill",
			"depends_on": "required_skill",
			"description": _("Empty: any level of the skill."),
		},
	]
	fields.setdefault("Customer", []).append(
		{
			"fieldname": "preferred_technician",
			"fieldtype": "Link",
			"label": _("Preferred Technician"),
			"options": "Service Technician",
			"insert_after": "account_manager",
			"description": _("Routing gives this customer's tickets to this technician first when eligible."),
		}
	)
	# Accept / decline (support_plus.dispatch.acceptance): a technician's new assignment waits for them.
	fields.setdefault("ToDo", []).extend(
		[
			{
				"fieldname": "acceptance",
				"fieldtype": "Select",
				"label": _("Acceptance"),
				"options": "\nPending\nAccepted\nDeclined",
				"insert_after": "assigned_by",
				"read_only": 1,
				"in_standard_filter": 1,
				"description": _("Pending: a new assignment the technician has not accepted yet."),
			},
			{
				"fieldname": "acceptance_due",
				"fieldtype": "Datetime",
				"label": _("Accept By"),
				"insert_after": "acceptance",
				"read_only": 1,
				"depends_on": "eval:doc.acceptance=='Pending'",
			},
		]
	)


def add_appointment_fields(fields: dict[str, list[dict]]) -> None:
	"""Service Appointments (support_plus.dispatch.appointments): the customer's signature, taken on the
	technician's phone at completion, kept on the Maintenance Visit it makes (or signed on a visit entered in
	the desk: support_plus.maintenance keeps the customer's feedback and signature on every visit)."""
	fields.setdefault("Maintenance Visit", []).append(
		{
			"fieldname": "customer_signature",
			"fieldtype": "Signature",
			"label": _("Customer Signature"),
			"insert_after": "customer_feedback",
			"no_copy": 1,
		}
	)


def add_channel_fields(fields: dict[str, list[dict]]) -> None:
	"""Chat-like channels (support_plus.channels): a contact's consent to status updates by SMS."""
	fields.setdefault("Contact", []).append(
		{
			"fieldname": "sms_status_updates",
			"fieldtype": "Check",
			"label": _("Ticket Updates by SMS"),
			"insert_after": "mobile_no",
			"description": _("Text this contact's mobile number when their ticket's status changes."),
		}
	)
