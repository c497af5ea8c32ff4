"""The knowledge base: Frappe's Help Article, with an audience, full-text search and helpful-counters.

An article is for Everyone or for Logged-in Customers (`portal_audience`). The portal's KB pages check the
audience on every request (they are never cached), and Frappe's own /kb/... article pages redirect to them,
so an article changed to customers-only is not served to guests from an old cached page.

Search uses a MariaDB FULLTEXT index on title and content, ranked by relevance (MATCH ... AGAINST), with
the title weighted twice. InnoDB adds rows to a FULLTEXT index when they are committed, and forgets deleted
ones when the table is optimized (weekly, optimize_search_index).
"""

import frappe
from frappe import _
from frappe.utils import strip_html

INDEX = "support_plus_kb_fulltext"
EVERYONE, CUSTOMERS = "Everyone", "Logged-in Customers"


def ensure_fulltext_index() -> None:
	"""Install/migrate."""
	if not frappe.db.sql("SHOW INDEX FROM `tabHelp Article` WHERE Key_name = %s", INDEX):
		frappe.db.sql_ddl(f"ALTER TABLE `tabHelp Article` ADD FULLTEXT INDEX `{INDEX}` (`title`, `content`)")


def optimize_search_index() -> None:
	"""Scheduler (weekly) and tests: rebuild the table and its FULLTEXT index. InnoDB keeps deleted and
	edited articles in the index's word statistics until the table is optimized, so relevance drifts
	(a word of a long-deleted article still counts as common). A knowledge base is small: the rebuild is
	quick, and reads go on while it runs."""
	frappe.db.sql_ddl("OPTIMIZE TABLE `tabHelp Article`")


def audiences(user: str | None = None) -> list[str]:
	user = user or frappe.session.user
	return [EVERYONE] if user == "Guest" else [EVERYONE, CUSTOMERS]


def search(query: str, limit: int = 10, user: str | None = None) -> list[dict]:
	"""Published articles the user may read, best match first."""
	query = strip_html(query or "").strip()[:200]
	if len(query) < 3:
		return []
	limit = max(1, min(int(limit or 10), 50))
	allowed = audiences(user)
	# Raw SQL: the query builder has no MATCH ... AGAINST. Every value is a bound parameter.
	rows = frappe.db.sql(
		"""
		SELECT name, title, route, category,
			MATCH(title, content) AGAINST (%(q)s IN NATURAL LANGUAGE MODE)
			+ MATCH(title, content) AGAINST (%(q)s IN NATURAL LANGUAGE MODE) * (title LIKE %(like)s) AS score
		FROM `tabHelp Article`
		WHERE published = 1
			AND IFNULL(portal_audience, 'Everyone') IN %(audiences)s
			AND MATCH(title, content) AGAINST (%(q)s IN NATURAL LANGUAGE MODE)
		ORDER BY score DESC, name
		LIMIT %(limit)s
		""",
		{"q": query, "like": f"%{query}%", "audiences": tuple(allowed), "limit": limit},
		as_dict=True,
	)
	for row in rows:
		row.score = round(float(row.score), 4)
		row.url = article_url(row.route)
	return rows


def article_url(route: str) -> str:
	return "/support/" + (route or "").lstrip("/")


def get_article(route: str, user: str | None = None):
	"""The published article at `route` (kb/...), if the user may read it; otherwise "not found"."""
	name = frappe.db.get_value("Help Article", {"route": route.strip("/"), "published": 1}, "name")
	if not name:
		raise frappe.DoesNotExistError(_("Article not found."))
	doc = frappe.get_doc("Help Article", name)
	if (doc.get("portal_audience") or EVERYONE) not in audiences(user):
		raise frappe.PermissionError(_("Log in to read this article."))
	return doc


def add_feedback(article: str, helpful: bool) -> None:
	"""Count one "was this helpful?" answer, atomically, on an article the caller may read."""
	row = frappe.db.get_value("Help Article", article, ["published", "portal_audience"], as_dict=True)
	if not row or not row.published or (row.portal_audience or EVERYONE) not in audiences():
		raise frappe.DoesNotExistError(_("Article not found."))
	field = "helpful" if helpful else "not_helpful"
	table = frappe.qb.DocType("Help Article")
	frappe.qb.update(table).set(table[field], table[field] + 1).where(table.name == article).run()


def clear_article_cache(doc, method=None) -> None:
	"""Help Article `on_update`: no page of it stays cached."""
	from frappe.website.utils import clear_cache

	clear_cache(doc.route)
