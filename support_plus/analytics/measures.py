"""The per-ticket measures of support analytics as SQL, defined once: read by the live queries
(support_plus.analytics.kpis, the reports, the charts) and by the per-day totals that support_kpis reads
instead of a million tickets (support_plus.analytics.rollup). kpis' module docstring says what each means.

An SLA clock is *met* when answered in time, *late* when answered after its deadline, *overdue* when
unanswered past its deadline (which depends on the moment asked: `%(now)s`); missed = late or overdue.
"""

# Per-ticket measures as generated (VIRTUAL) columns of Issue, computed by MariaDB from these expressions
# on every read and kept in the analytics indexes on every write (kpis.GENERATED_COLUMNS): a report reads
# a ticket's first response from the index instead of computing it from four columns of each of a
# million rows. The expressions are the definitions; the columns are their only form.
FIRST_RESPONSE_SQL = (
	"coalesce(nullif(`first_response_time`, 0), timestampdiff(second, `creation`, `first_responded_on`))"
)
RESOLUTION_SQL = "timestampdiff(second, `creation`, `resolved_on`)"
FIRST_RESPONSE_S = "`tabIssue`.sp_first_response_s"
RESOLUTION_S = "`tabIssue`.sp_resolution_s"
RATING = "nullif(`tabIssue`.customer_rating, 0)"

RESPONSE_MET = (
	"(`tabIssue`.response_by is not null and `tabIssue`.first_responded_on is not null"
	" and `tabIssue`.first_responded_on <= `tabIssue`.response_by)"
)
RESPONSE_LATE = "(`tabIssue`.first_responded_on > `tabIssue`.response_by)"
RESPONSE_OVERDUE = (
	"(`tabIssue`.first_responded_on is null and `tabIssue`.response_by is not null"
	" and `tabIssue`.response_by < %(now)s)"
)
RESPONSE_MISSED = f"({RESPONSE_LATE} or {RESPONSE_OVERDUE})"

RESOLUTION_MET = (
	"(`tabIssue`.resolution_by is not null and `tabIssue`.resolution_date is not null"
	" and `tabIssue`.resolution_date <= `tabIssue`.resolution_by)"
)
RESOLUTION_LATE = "(`tabIssue`.resolution_date > `tabIssue`.resolution_by)"
RESOLUTION_OVERDUE = (
	"(`tabIssue`.resolution_date is null and `tabIssue`.resolution_by is not null"
	" and `tabIssue`.resolution_by < %(now)s)"
)
RESOLUTION_MISSED = f"({RESOLUTION_LATE} or {RESOLUTION_OVERDUE})"

# Percentiles without a window sort (`distribution`): each value's bucket of about 4.4 % (the bucket rises
# with the value, so buckets in order hold the values in order). Negative values (bad data) get buckets
# below zero.
BUCKET = "if({x} < 0, -1 - floor(log2(1 - ({x})) * 16), floor(log2(1 + ({x})) * 16))"
