app_name = "support_plus"
app_title = "Support Plus"
app_publisher = "support_plus developers"
app_description = "Helpdesk and field service on ERPNext's Support and Maintenance modules"
app_email = "support-plus@example.com"
app_license = "mit"

# "org/app": Frappe resolves a bare "erpnext" by asking api.github.com, which fails offline.
required_apps = ["frappe/erpnext"]

export_python_type_annotations = True

# Installation
# ------------

after_install = "support_plus.install.after_install"
after_migrate = "support_plus.install.after_migrate"
before_uninstall = "support_plus.install.before_uninstall"

# Desk scripts on ERPNext doctypes
# --------------------------------

doctype_js = {
	"Issue": [
		"public/js/issue.js",
		"public/js/issue_warranty.js",
		"public/js/issue_parts.js",
		"public/js/issue_billing.js",
	],
	"Project": "public/js/project.js",
	# The service history of a serial number or a customer (support_plus.api.service_history).
	"Serial No": "public/js/service_history.js",
	"Customer": "public/js/service_history.js",
}
doctype_list_js = {"Issue": "public/js/issue_list.js"}
# The Issue form's one SLA line is support_plus's: ERPNext's wall-clock banner is not drawn for Issues.
extend_bootinfo = ["support_plus.sla.desk.leave_issue_to_support_plus"]

# Permissions
# -----------

permission_query_conditions = {
	"Issue": "support_plus.permissions.issue.query_conditions",
	# A ticket's follow-ups, escalations and parts are read where the ticket is (support_plus.permissions).
	"Issue Follow Up": "support_plus.permissions.ticket_records.query_conditions",
	"Issue Escalation": "support_plus.permissions.ticket_records.query_conditions",
	"Service Part Usage": "support_plus.permissions.ticket_records.query_conditions",
	"Service Technician": "support_plus.dispatch.technicians.query_conditions",
	"Service Appointment": "support_plus.dispatch.appointments.query_conditions",
	"Stock Reconciliation": "support_plus.parts.audit.query_conditions",
	# Every doctype: portal users list no child-table rows (Contact Email, Dynamic Link, Has Role, ...).
	"*": "support_plus.portal.access.portal_query_conditions",
}

has_permission = {
	"Issue": "support_plus.permissions.issue.has_permission",
	"Issue Follow Up": "support_plus.permissions.ticket_records.has_permission",
	"Issue Escalation": "support_plus.permissions.ticket_records.has_permission",
	"Service Part Usage": "support_plus.permissions.ticket_records.has_permission",
	# A Service Technician reads their own profile only.
	"Service Technician": "support_plus.dispatch.technicians.has_permission",
	# A Service Technician reads and moves on their own appointments only.
	"Service Appointment": "support_plus.dispatch.appointments.has_permission",
	# A Service Technician audits their own van only (support_plus.parts.audit).
	"Stock Reconciliation": "support_plus.parts.audit.has_permission",
	# A ticket's private file is read by no portal user who cannot see the ticket, through any record.
	"File": "support_plus.portal.access.file_permission",
}

has_website_permission = {
	"Issue": "support_plus.portal.access.has_website_permission",
}

# Files
# -----

# Frappe shows a private file inline unless it is .svg/.html/.htm/.xml: any other type that could run
# script (.xhtml, ...) in a desk user's session is sent as a download (support_plus/tickets/attachments.py).
after_request = ["support_plus.tickets.attachments.serve_as_download"]

# Customer portal
# ---------------

# Website pages without Frappe 15 per-request recompiling and reparsing (support_plus/overrides/page_speed.py).
# A body that is not JSON answered with 400, not 500 (support_plus/overrides/request_body.py).
before_request = ["support_plus.overrides.page_speed.attach", "support_plus.overrides.request_body.install"]
# The chat assistant's widget on the website and the /support portal (support_plus/channels/chat.py).
# The filters the analytics reports share (their scripts call support_plus.report_filters).
app_include_js = ["/assets/support_plus/js/report_filters.js"]
web_include_js = ["/assets/support_plus/js/chat_widget.js"]
web_include_css = ["/assets/support_plus/css/chat_widget.css"]
# The /support pages' navbar and footer, kept per site look (support_plus/portal/cached_blocks.py).
jinja = {"methods": ["support_plus.portal.cached_blocks.portal_web_block"]}
# The /support pages are Frappe template pages, asked for first; ERPNext's ticket list (/issue, /issues)
# and Frappe's article pages (/kb/...) redirect to them in any case of the path (support_plus/portal/renderer.py).
page_renderer = [
	"support_plus.portal.renderer.SupportPortalPage",
	"support_plus.portal.renderer.MovedPortalPage",
]

website_route_rules = [
	{"from_route": "/support/tickets/<ticket>", "to_route": "support/tickets/ticket"},
	{"from_route": "/support/kb/<path:article>", "to_route": "support/kb/article"},
	# The technician's phone page (support_plus.dispatch.field).
	{"from_route": "/field/<appointment>", "to_route": "field/appointment"},
	# A customer's equipment: one serial number (support_plus.portal.equipment).
	{"from_route": "/support/equipment/<path:serial>", "to_route": "support/equipment/serial"},
]
standard_portal_menu_items = [
	{"title": "Support", "route": "/support", "reference_doctype": "Issue"},
]

# ERPNext and Frappe whitelist these without the permission check their siblings make: the
# replacements, each checked against the original, are in support_plus/overrides/.
override_whitelisted_methods = {
	"frappe.client.get_count": "support_plus.overrides.client.get_count",
	"frappe.desk.listview.get_group_by_count": "support_plus.overrides.desk.get_group_by_count",
	"frappe.desk.like.toggle_like": "support_plus.overrides.desk.toggle_like",
	# Frappe's checks read on the doctype only: the search bar showed rows outside a user's row rules.
	"frappe.utils.global_search.search": "support_plus.overrides.global_search.search",
	"frappe.email.relink": "support_plus.overrides.email.relink",
	"erpnext.support.doctype.issue.issue.make_issue_from_communication": (
		"support_plus.overrides.email.make_issue_from_communication"
	),
	"frappe.www.list.get": "support_plus.overrides.web_list.get",
	"frappe.www.list.get_list_data": "support_plus.overrides.web_list.get_list_data",
	"erpnext.support.doctype.issue.issue.set_status": "support_plus.api.tickets.set_status",
	"erpnext.support.doctype.issue.issue.set_multiple_status": "support_plus.api.tickets.set_multiple_status",
	"frappe.website.doctype.help_article.help_article.add_feedback": "support_plus.api.kb.add_feedback",
	# ERPNext's takes the user from the request and checks no permission.
	"erpnext.support.doctype.service_level_agreement.service_level_agreement.reset_service_level_agreement": (
		"support_plus.api.sla.reset_service_level_agreement"
	),
}

# Support Email Accounts (append to Issue): bounces and auto-replies never become tickets, unreadable
# messages are kept (support_plus/overrides/email_account.py says why this needs the class).
# Assignment Rule: one more rule kind, "Skill Based", picked by the routing engine; Frappe's kinds unchanged
# (support_plus/dispatch/skill_based_rule.py: Frappe's choice of user has no hook).
override_doctype_class = {
	"Email Account": "support_plus.overrides.email_account.SupportEmailAccount",
	"Assignment Rule": "support_plus.dispatch.skill_based_rule.SupportAssignmentRule",
}

# Document events on ERPNext doctypes
# -----------------------------------

doc_events = {
	"Issue": {
		"before_naming": "support_plus.tickets.numbering.set_ticket_series",
		# Issue hooks run before ERPNext's "*" ones: its SLA code comes after validate_status and
		# remember_requested_sla, and support_plus's SLA engine has the last word in before_save.
		"validate": [
			"support_plus.tickets.lifecycle.validate_status",
			"support_plus.sla.engine.remember_requested_sla",
			# The serial's coverage and contract, read by the SLA engine's before_save (contract SLA first).
			"support_plus.warranty.tickets.apply_coverage",
		],
		"before_save": "support_plus.sla.engine.apply_sla",
		# Support Plus Settings' "Route New Tickets Automatically", after the ticket's commit.
		"after_insert": "support_plus.dispatch.auto_route.on_new_ticket",
		"on_update": [
			"support_plus.tickets.follow_ups.on_issue_update",
			"support_plus.tickets.notifications.on_status_change",
			"support_plus.dispatch.load.on_issue_update",
			# A customer who wrote on WhatsApp hears about status changes there.
			"support_plus.channels.whatsapp.outbound.on_status_change",
			# A contact who opted in gets status changes by SMS (Frappe's SMS Settings).
			"support_plus.channels.sms.on_status_change",
		],
		"on_trash": [
			# Its follow-ups and escalations go with a deleted ticket (Frappe's link check would refuse).
			"support_plus.tickets.deletion.delete_ticket_records",
			# Frappe deletes the ticket's ToDos without their hooks: the technicians' load drops here.
			"support_plus.dispatch.load.on_issue_trash",
			# What the ticket counted leaves the per-day totals of support_kpis.
			"support_plus.analytics.rollup.on_trash",
		],
		# After insert, save and db_set: the per-day totals of support_kpis (support_plus/analytics/rollup.py).
		"on_change": "support_plus.analytics.rollup.on_change",
		"before_rename": "support_plus.tickets.numbering.prevent_rename",
	},
	# Portal users are kept in their customer (support_plus/portal/access.py).
	"Contact": {"validate": "support_plus.portal.access.guard_contact"},
	"File": {"validate": "support_plus.portal.access.guard_file"},
	"Communication": {
		"before_insert": "support_plus.tickets.reopen.route_incoming_message",
		# ERPNext's SLA hooks on Communication, replaced for Issues (support_plus/overrides/erpnext_sla.py).
		"validate": "support_plus.overrides.erpnext_sla.attach",
		# An agent's reply reaches a chatting customer in their chat window or on WhatsApp.
		"after_insert": "support_plus.channels.replies.on_reply",
		"on_update": [
			"support_plus.tickets.reopen.keep_status_after_message",
			# After Frappe's and ERPNext's: response metrics at the messages' dates, in the SLA's business time.
			"support_plus.sla.metrics.on_message",
			# An answer to the customer (Reply to Customer, the desk's email composer): Open -> Replied.
			"support_plus.tickets.replies.mark_replied",
		],
	},
	"Email Queue": {
		"before_insert": "support_plus.email_channel.thread_headers.add_thread_headers",
	},
	# Technicians' load counters follow their assignments (support_plus/dispatch/load.py).
	# A technician's new assignment is Pending until accepted (support_plus/dispatch/acceptance.py).
	"ToDo": {
		"before_insert": "support_plus.dispatch.acceptance.set_pending",
		"validate": "support_plus.dispatch.assignment.guard_todo",
		"after_insert": [
			"support_plus.tickets.notifications.on_assignment",
			"support_plus.dispatch.load.on_todo_insert",
		],
		"on_update": "support_plus.dispatch.load.on_todo_update",
		"on_trash": "support_plus.dispatch.load.on_todo_trash",
	},
	# A changed calendar moves the SLA's tickets' next events (support_plus.sla.due).
	"Service Level Agreement": {
		"validate": "support_plus.sla.selection.validate_no_tie",
		"on_update": ["support_plus.sla.config.clear_config_cache", "support_plus.sla.due.on_sla_change"],
		"on_trash": "support_plus.sla.config.clear_config_cache",
	},
	"Holiday List": {
		"on_update": [
			"support_plus.sla.config.clear_config_cache",
			"support_plus.sla.due.on_holiday_list_change",
		],
	},
	# Escalation rules filtered by customer group follow a customer who changes group.
	"Customer": {"on_update": "support_plus.sla.due.on_customer_change"},
	"Help Article": {
		# Frappe's website search indexes only articles published for Everyone (support_plus.kb.articles).
		"validate": "support_plus.kb.articles.set_website_public",
		"on_update": "support_plus.kb.articles.clear_article_cache",
	},
	# Preventive maintenance on time (support_plus/maintenance/): a technician on every row, appointments
	# instead of ERPNext's Events, and cancelling takes away only what is still to come.
	"Maintenance Schedule": {
		"before_validate": "support_plus.maintenance.schedule.fill_visit_count",
		"validate": "support_plus.maintenance.technicians.assign_technicians",
		"on_submit": "support_plus.maintenance.appointments.make_appointments",
		"before_cancel": "support_plus.maintenance.appointments.set_past_events_aside",
		"on_cancel": [
			"support_plus.maintenance.appointments.remove_future_visits",
			"support_plus.maintenance.overdue.on_schedule_cancel",
		],
	},
	# Who owns a serial, and when its warranty starts (support_plus/warranty/serials.py).
	"Delivery Note": {
		"on_submit": "support_plus.warranty.serials.on_delivery_submit",
		"on_cancel": "support_plus.warranty.serials.on_delivery_cancel",
	},
	"Sales Invoice": {
		"on_submit": "support_plus.warranty.serials.on_delivery_submit",
		"on_cancel": "support_plus.warranty.serials.on_delivery_cancel",
		# A cancelled or deleted service invoice frees its parts for the ticket's next invoice
		# (support_plus/parts/billing.py).
		"before_cancel": "support_plus.parts.billing.release_usages",
		"on_trash": "support_plus.parts.billing.release_usages",
	},
	"Installation Note": {"on_submit": "support_plus.warranty.serials.on_installation_submit"},
	"Serial No": {"validate": "support_plus.warranty.serials.on_serial_validate"},
	# A completed visit of a warranty claim resolves the claim's ticket (support_plus/warranty/claims.py).
	# A submitted (or cancelled) visit clears (or sets again) its row's overdue flag at once.
	"Maintenance Visit": {
		"on_submit": [
			"support_plus.warranty.claims.on_visit_submit",
			"support_plus.maintenance.overdue.on_visit_change",
		],
		"on_cancel": "support_plus.maintenance.overdue.on_visit_change",
	},
	# Vans, refills and audits (support_plus/parts/): a van losing stock is refilled after the commit; parts
	# arriving in a van resume the tickets waiting for them; a van's reconciliation is its audit.
	"Stock Ledger Entry": {"on_submit": "support_plus.parts.refill.on_stock_ledger_entry"},
	"Stock Entry": {"on_submit": "support_plus.parts.refill.on_stock_entry_submit"},
	"Stock Reconciliation": {
		"validate": "support_plus.parts.audit.validate_reconciliation",
		"on_submit": "support_plus.parts.audit.on_reconciliation_submit",
	},
	"Item": {
		"on_update": "support_plus.parts.vans.on_item_update",
		"on_trash": "support_plus.parts.vans.clear_van_cache",
	},
	"Service Technician": {
		"on_update": "support_plus.parts.vans.clear_van_cache",
		"on_trash": "support_plus.parts.vans.clear_van_cache",
	},
	# A contract's parts quota (support_plus/parts/quota.py), after the usage's own controller has
	# filled its coverage: a covered part beyond the quota becomes chargeable; the contract's count follows.
	"Service Part Usage": {
		"before_submit": "support_plus.parts.quota.before_usage_submit",
		"on_submit": "support_plus.parts.quota.after_usage_change",
		"on_cancel": "support_plus.parts.quota.after_usage_change",
	},
}

# Scheduled jobs
# --------------

scheduler_events = {
	"cron": {
		"*/5 * * * *": [
			"support_plus.sla.sweep.scheduled_sweep",
			"support_plus.dispatch.acceptance.scheduled_reroute",
			"support_plus.channels.whatsapp.outbound.retry_failed",
		],
		# At ERPNext's reorder time: its reorder for all but the vans, then the vans' refills (ERPNext's own
		# job is stopped by install: support_plus/overrides/reorder_item.py).
		"45 0 * * *": ["support_plus.parts.refill.daily_reorder"],
	},
	"daily": [
		"support_plus.tickets.follow_ups.daily_refresh_overdue",
		"support_plus.tickets.auto_close.daily_auto_close",
		"support_plus.dispatch.load.daily_recount",
		"support_plus.warranty.alerts.daily_coverage_alerts",
		"support_plus.maintenance.overdue.daily_refresh_overdue",
		"support_plus.maintenance.reminders.daily_maintenance_reminders",
		# Loaners not back by their date are flagged and their technician told (support_plus/parts/loaners.py).
		"support_plus.parts.loaners.daily_flag_overdue_loaners",
		"support_plus.parts.audit.daily_audit_reminders",
	],
	"weekly": ["support_plus.kb.articles.optimize_search_index"],
	# Tickets written with SQL past the documents' hooks: the per-day totals catch up (two scans of all
	# tickets: about 28 s at a million, so daily).
	"daily_long": ["support_plus.analytics.rollup.reconcile"],
}

# Testing
# -------

before_tests = "support_plus.tests.utils.before_tests"
