"""Install, migrate and uninstall hooks: everything support_plus adds to a site is (re)applied here."""

from support_plus.dispatch.load import recount as recount_technician_load
from support_plus.kb.articles import ensure_fulltext_index, sync_website_public
from support_plus.overrides import check_versions
from support_plus.overrides.reorder_item import restart_erpnext_reorder, stop_erpnext_reorder
from support_plus.portal.access import ensure_indexes as ensure_portal_indexes
from support_plus.setup.analytics import apply_analytics, remove_analytics
from support_plus.setup.billing_fields import ensure_billing_indexes
from support_plus.setup.customizations import apply_customizations, remove_customizations
from support_plus.setup.desk_views import apply_desk_views, remove_desk_views
from support_plus.setup.email_templates import ensure_email_templates
from support_plus.setup.maintenance_fields import ensure_maintenance_indexes
from support_plus.setup.masters import ensure_issue_priorities
from support_plus.setup.my_work import ensure_my_work, remove_my_work
from support_plus.setup.permissions import (
	apply_desk_permissions,
	apply_issue_permissions,
	apply_report_roles,
	remove_desk_permissions,
	remove_issue_permissions,
	remove_report_roles,
)
from support_plus.setup.roles import ensure_roles
from support_plus.setup.settings import ensure_settings
from support_plus.setup.van_permissions import apply_van_permissions, remove_van_permissions
from support_plus.setup.warranty_fields import ensure_warranty_indexes
from support_plus.sla.engine import ensure_indexes as ensure_sla_indexes
from support_plus.sla.escalation import recount_escalations
from support_plus.tickets.auto_close import restart_erpnext_auto_close, stop_erpnext_auto_close
from support_plus.tickets.lifecycle import backfill_status_changed_on
from support_plus.tickets.numbering import remove_ticket_series


def after_install():
	apply_all()
	ensure_issue_priorities()


def after_migrate():
	# Idempotent: a changed definition reaches existing sites on their next migrate.
	apply_all()


def apply_all():
	check_versions()
	ensure_roles()
	apply_customizations()
	apply_issue_permissions()
	apply_desk_permissions()
	apply_report_roles()
	ensure_settings()
	stop_erpnext_auto_close()
	ensure_sla_indexes()
	ensure_fulltext_index()
	sync_website_public()  # after the custom fields and property setters
	ensure_portal_indexes()
	ensure_warranty_indexes()
	ensure_maintenance_indexes()
	ensure_email_templates()
	backfill_status_changed_on()
	recount_technician_load()
	recount_escalations()
	apply_desk_views()
	apply_analytics()  # after the desk views: its cards and charts go above the workspace's shortcuts
	ensure_my_work()
	stop_erpnext_reorder()  # vans are refilled by support_plus.parts.refill
	apply_van_permissions()
	ensure_billing_indexes()  # service billing and parts reports (after the custom fields)


def before_uninstall():
	remove_analytics()
	restart_erpnext_auto_close()
	remove_desk_views()
	remove_customizations()
	remove_issue_permissions()
	remove_desk_permissions()
	remove_report_roles()
	remove_ticket_series()
	remove_my_work()
	restart_erpnext_reorder()
	remove_van_permissions()
