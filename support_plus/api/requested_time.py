"""The `now` a caller may give the scripting API's jobs (SLA sweep, auto-close).

From Python (bench console, scripts, tests) `now` is a `date`, a `datetime` or a string, and the job runs at
that time. Over the web (REST, desk calls) a job only runs at the current time: a manager must not fire
escalations or close tickets early by naming a future time, so a `now` sent in a request is refused.
"""

from datetime import date, datetime

import frappe
from frappe import _

from support_plus.utils import clock


def requested_time(now: datetime | date | str | None) -> datetime | None:
	"""`now` as a site datetime (None: the job's own clock); refused when it came over the web."""
	if now in (None, ""):
		return None
	if getattr(frappe.local, "request", None):
		frappe.throw(
			_("Over the API this job runs at the current time: leave out {0}.").format(frappe.bold("now")),
			frappe.PermissionError,
			title=_("Not Permitted"),
		)
	return clock.parse(now)
