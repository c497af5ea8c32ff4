"""The editable emails support_plus sends (Frappe Email Templates): their names, by which the code sends
them, and the texts a new site starts with (support_plus.setup.email_templates creates them once and never
overwrites them: a site's edits are kept across migrations)."""

AUTO_CLOSED = "Support Plus: Ticket Closed Automatically"
RESOLVED = "Support Plus: Ticket Resolved"
ESCALATION = "Support Plus: SLA Escalation"
ACKNOWLEDGEMENT = "Support Plus: Ticket Received"
STATUS_CHANGED = "Support Plus: Ticket Status Changed"
ASSIGNED = "Support Plus: Ticket Assigned"
PUBLIC_REPLY = "Support Plus: Reply to Customer"
COVERAGE_ENDING = "Support Plus: Coverage Ending"
TECHNICIAN_EN_ROUTE = "Support Plus: Technician On The Way"
MAINTENANCE_REMINDER = "Support Plus: Maintenance Visit Reminder"
MAINTENANCE_REMINDER_TECHNICIAN = "Support Plus: Maintenance Visit Reminder (Technician)"

TRACKING = (
	'<p>Follow your ticket on <a href="{{ portal_link }}">{{ portal_link }}</a> or reply to this email.</p>'
)

TEMPLATES = {
	AUTO_CLOSED: (
		"Your ticket {{ doc.name }} has been closed (#{{ doc.name }})",
		"<p>Hello,</p><p>Your ticket <b>{{ doc.name }}</b> ({{ doc.subject }}) has been closed because we did not "
		"hear back from you. If the problem is still there, just reply to this email and we will open a new "
		"ticket for you.</p>",
	),
	RESOLVED: (
		"Resolved: {{ doc.subject }} (#{{ doc.name }})",
		"<p>Hello,</p><p>We have resolved your ticket <b>{{ doc.name }}</b> ({{ doc.subject }}).</p>"
		"{% if doc.resolution_details %}<p>{{ doc.resolution_details }}</p>{% endif %}"
		'<p>Not solved? Tell us on <a href="{{ portal_link }}">your ticket page</a> or reply to this email.</p>'
		"<p>How did we do? "
		'{% for n, link in rating_links.items() %}<a href="{{ link }}">{{ "★" * n }}</a> {% endfor %}</p>',
	),
	ACKNOWLEDGEMENT: (
		"Ticket {{ doc.name }} received: {{ doc.subject }} (#{{ doc.name }})",
		"<p>Hello,</p><p>Thank you for contacting us. Your request has been received as ticket "
		"<b>{{ doc.name }}</b> ({{ doc.subject }}); we will get back to you soon.</p>" + TRACKING,
	),
	STATUS_CHANGED: (
		"{{ _(doc.status) }}: {{ doc.subject }} (#{{ doc.name }})",
		"<p>Hello,</p><p>Your ticket <b>{{ doc.name }}</b> ({{ doc.subject }}) is now "
		"<b>{{ _(doc.status) }}</b>.</p>"
		"{% if doc.status == 'Cancelled' and doc.cancel_reason %}<p>{{ doc.cancel_reason }}</p>{% endif %}"
		+ TRACKING,
	),
	ASSIGNED: (
		"{{ assignee_first_name }} is handling your ticket {{ doc.name }} (#{{ doc.name }})",
		"<p>Hello,</p><p>{{ assignee_first_name }} from our support team is now handling your ticket "
		"<b>{{ doc.name }}</b> ({{ doc.subject }}).</p>" + TRACKING,
	),
	PUBLIC_REPLY: (
		"Re: {{ doc.subject }} (#{{ doc.name }})",
		"{{ reply }}<hr><p>{{ agent_name }}, ticket <b>{{ doc.name }}</b>.</p>" + TRACKING,
	),
	COVERAGE_ENDING: (
		"Your equipment's coverage ends soon",
		"<p>Hello,</p><p>The coverage of this equipment of {{ doc.customer_name }} ends within {{ days }} days:</p>"
		"<ul>{% for row in rows %}<li>{{ row.item_code }}, serial number <b>{{ row.name }}</b>: "
		"{{ _('warranty') if row.kind == 'Warranty' else _('service contract') }} until "
		"{{ frappe.format(row.expiry, 'Date') }}</li>{% endfor %}</ul>"
		"<p>Reply to this email to extend it with a service contract.</p>",
	),
	TECHNICIAN_EN_ROUTE: (
		"Your technician {{ technician_name }} is on the way",
		"<p>Hello,</p><p>Your technician <b>{{ technician_name }}</b> is on the way for your appointment"
		" {{ doc.name }} ({{ frappe.utils.format_datetime(doc.scheduled_start) }}"
		"{% if doc.issue %}, ticket <b>{{ doc.issue }}</b>{% endif %}).</p>"
		"{% if doc.address_display %}<p>{{ doc.address_display }}</p>{% endif %}",
	),
	ESCALATION: (
		"Escalated: {{ doc.name }} {{ doc.subject }}",
		"<p>Ticket <b>{{ doc.name }}</b> ({{ doc.subject }}) for {{ doc.customer or doc.raised_by }} needs "
		"attention.</p>"
		"{% if rule %}<p>Rule {{ rule.name }}: {{ rule.threshold_percent }}% of the {{ rule.clock|lower }} time "
		"has passed.</p>{% endif %}"
		"{% if reason %}<p>Reason: {{ reason }}</p>{% endif %}"
		"<p>Status {{ doc.status }}, priority {{ doc.priority }}, SLA health {{ doc.sla_health or '-' }}; respond "
		"by {{ doc.response_by or '-' }}, resolve by {{ doc.resolution_by or '-' }}.</p>",
	),
	# support_plus.maintenance.reminders: `doc` the Maintenance Schedule, `rows` its visits that day.
	MAINTENANCE_REMINDER: (
		"Maintenance visit on {{ frappe.format(visit_date, 'Date') }}",
		"<p>Hello,</p><p>Our technician{% if technician_name %} <b>{{ technician_name }}</b>{% endif %} will"
		" come for the preventive maintenance of {{ doc.customer_name or doc.customer }} on "
		"<b>{{ frappe.format(visit_date, 'Date') }}</b>{% if start %} at {{ start }}"
		"{% endif %}:</p><ul>{% for row in rows %}<li>{{ row.item_name or row.item_code }}"
		"{% if row.serial_no %}, serial number <b>{{ row.serial_no }}</b>{% endif %}</li>{% endfor %}</ul>"
		"<p>Reply to this email if the date does not suit you.</p>",
	),
	MAINTENANCE_REMINDER_TECHNICIAN: (
		"Maintenance visit: {{ doc.customer_name or doc.customer }} on {{ frappe.format(visit_date, 'Date') }}",
		"<p>Hello,</p><p>You visit <b>{{ doc.customer_name or doc.customer }}</b> on "
		"<b>{{ frappe.format(visit_date, 'Date') }}</b>{% if start %} at {{ start }}"
		"{% endif %} for Maintenance Schedule {{ doc.name }}:</p><ul>{% for row in rows %}<li>"
		"{{ row.item_name or row.item_code }}{% if row.serial_no %}, serial number <b>{{ row.serial_no }}</b>"
		"{% endif %}</li>{% endfor %}</ul>{% if doc.address_display %}<p>{{ doc.address_display }}</p>{% endif %}",
	),
}
