"""Knowledge base actions of the public API (guests included, for Everyone-articles)."""

import frappe
from frappe.rate_limiter import rate_limit
from frappe.utils import sbool

from support_plus.api.arguments import required
from support_plus.kb import articles


@frappe.whitelist(allow_guest=True)
def search(query: str | None = None, limit: int = 10) -> list[dict]:
	"""Published articles the caller may read, best match first: [{name, title, url, score}]."""
	return articles.search(query, limit)


@frappe.whitelist(allow_guest=True, methods=["POST"])
@rate_limit(limit=20, seconds=60 * 60)
def feedback(article: str | None = None, helpful: bool | str | None = None) -> None:
	"""Count a "was this helpful?" answer on an article."""
	articles.add_feedback(required(article, "article"), sbool(required(helpful, "helpful")))


@frappe.whitelist(allow_guest=True, methods=["POST"])
@rate_limit(limit=20, seconds=60 * 60)
def add_feedback(article: str | None = None, helpful: str | None = None) -> None:
	"""Replaces Frappe's help_article.add_feedback, which counted for any article (unpublished or for
	customers only) and lost counts under concurrent clicks (read, then write)."""
	articles.add_feedback(required(article, "article"), required(helpful, "helpful") != "No")
