"""Overdue maintenance: a scheduled visit whose date has passed with no visit submitted.

The rule, in one place (`OVERDUE`, SQL): the row belongs to a submitted Maintenance Schedule, its
`completion_status` is still Pending (ERPNext sets it from the Maintenance Visit that names the row, and
back to Pending when that visit is cancelled) and its `scheduled_date` is before today. A visit due today
is not overdue until tomorrow.

The answer is stored, so that lists, filters and the "Overdue Maintenance" report read an indexed column:
`is_overdue` on Maintenance Schedule Detail and the count `overdue_visits` on the schedule. `refresh`
recomputes it set-based, touching only the rows whose answer changed (running it twice changes nothing):
daily for every schedule, and at once for the schedule of a visit submitted or cancelled and of a
schedule cancelled.
"""

from datetime import date

import frappe

from support_plus.utils import clock

# The rule. `d` is the Maintenance Schedule Detail row, `s` its schedule.
OVERDUE = (
	"(s.docstatus = 1 and ifnull(d.completion_status, '') in ('', 'Pending')"
	" and d.scheduled_date < %(today)s)"
)


def daily_refresh_overdue() -> None:
	"""Scheduler (daily)."""
	try:
		refresh()
		frappe.db.commit()  # nosemgrep: the flags and counts are one unit of work
	except Exception:
		frappe.db.rollback()
		frappe.log_error(title="Support Plus: overdue maintenance refresh")


def refresh(today: date | None = None, schedules: list[str] | None = None) -> int:
	"""Set `is_overdue` and the schedules' `overdue_visits` by the rule for `today` (default: the clock's),
	for every schedule or only `schedules`. Returns how many rows changed."""
	if schedules is not None and not schedules:
		return 0
	values = {"today": clock.today(today), "schedules": tuple(schedules or ())}
	only = " and s.name in %(schedules)s" if schedules else ""
	changed = frappe.db.sql(  # nosemgrep: fixed SQL; the rule's one form
		f"""select d.name, d.parent from `tabMaintenance Schedule Detail` d
		join `tabMaintenance Schedule` s on s.name = d.parent
		where d.parenttype = 'Maintenance Schedule' and d.is_overdue != {OVERDUE}{only}""",
		values,
	)
	if changed:
		values["rows"] = tuple(row[0] for row in changed)
		frappe.db.sql(  # nosemgrep: fixed SQL
			f"""update `tabMaintenance Schedule Detail` d
			join `tabMaintenance Schedule` s on s.name = d.parent
			set d.is_overdue = {OVERDUE}
			where d.name in %(rows)s""",
			values,
		)
	parents = {row[1] for row in changed} | set(schedules or ())
	if parents:
		frappe.db.sql(  # nosemgrep: fixed SQL
			"""update `tabMaintenance Schedule` s
			set s.overdue_visits = (
				select count(*) from `tabMaintenance Schedule Detail` d
				where d.parent = s.name and d.parenttype = 'Maintenance Schedule' and d.is_overdue = 1)
			where s.name in %(parents)s""",
			{"parents": tuple(sorted(parents))},
		)
	return len(changed)


def on_schedule_cancel(doc, method=None) -> None:
	"""Maintenance Schedule `on_cancel`: a cancelled schedule has no overdue visits."""
	refresh(schedules=[doc.name])


def on_visit_change(doc, method=None) -> None:
	"""Maintenance Visit `on_submit` / `on_cancel` (after ERPNext's, which moved the row's
	completion_status): the schedule's flags follow at once."""
	schedules = {doc.maintenance_schedule} if doc.maintenance_schedule else set()
	details = {doc.maintenance_schedule_detail} | {p.maintenance_schedule_detail for p in doc.purposes}
	details.discard(None)
	details.discard("")
	if details:
		schedules |= set(
			frappe.get_all(
				"Maintenance Schedule Detail",
				filters={"name": ("in", list(details)), "parenttype": "Maintenance Schedule"},
				pluck="parent",
			)
		)
	refresh(schedules=sorted(schedules))
