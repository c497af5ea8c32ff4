"""Ticket priorities: the ERPNext Issue Priorities support_plus relies on, lowest first."""

# ERPNext installs Low, Medium and High; support teams also need Critical ("system down").
ISSUE_PRIORITIES = ("Low", "Medium", "High", "Critical")


def rank(priority: str | None) -> int:
	"""A priority's place, lowest first; -1 for one the product does not know (a site's own)."""
	return ISSUE_PRIORITIES.index(priority) if priority in ISSUE_PRIORITIES else -1
