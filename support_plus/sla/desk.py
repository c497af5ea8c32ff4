"""The Issue form shows one SLA line, support_plus's (public/js/issue.js), in business time.

ERPNext's form banner counts wall-clock time, keeps running on cancelled tickets and reads "Failed" in
the last 45 seconds of a clock. ERPNext draws it for the doctypes of `frappe.boot.service_level_agreement_
doctypes`; this `extend_bootinfo` hook runs after ERPNext's and leaves Issue out of that list (the form
script restricts the priority picker to the SLA's priorities itself, as ERPNext's did).
"""


def leave_issue_to_support_plus(bootinfo) -> None:
	doctypes = bootinfo.get("service_level_agreement_doctypes") or []
	bootinfo.service_level_agreement_doctypes = [d for d in doctypes if d != "Issue"]
