"""The knowledge base: Frappe's Help Article, with an audience, full-text search and helpful-counters.

An article is for Everyone or for Logged-in Customers (`portal_audience`). The portal's KB pages check the
audience on every request (they are never cached), and Frappe's own /kb/... article pages redirect to them,
so an article changed to customers-only is not served to guests from an old cached page.

Frappe's own website search (`frappe.utils.global_search.web_search`, the /search page) answers guests
from `__global_search` rows marked published. Frappe marks an article's row from the doctype's
"published" field, which support_plus points (a property setter, support_plus.setup.customizations) at
`website_public`: set on every save from `is_public` (published, for Everyone), so a change of audience
reindexes the article at once, and on migrate for rows written around a save (`sync_website_public`).
Frappe's web list and sitemap read the same field.

Search uses a MariaDB FULLTEXT index on title and content, ranked by relevance (MATCH ... AGAINST), with
the title weighted twice. InnoDB adds rows to a FULLTEXT index when they are committed, and forgets deleted
ones when the table is optimized (weekly, optimize_search_index).
"""

import frappe
from frappe import _
from frappe.utils import strip_html

INDEX = "support_plus_kb_fulltext"
EVERYONE, CUSTOMERS = "Everyone", "Logged-in Customers"
PUBLIC_FIELD = "website_public"  # Help Article's "published" for Frappe's website


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


def is_public(published: int | bool, audience: str | None) -> bool:
	"""A guest may find and read the article: it is published and its audience includes guests."""
	return bool(published) and (audience or EVERYONE) in audiences("Guest")


def set_website_public(doc, method=None) -> None:
	"""Help Article `validate`: Frappe indexes the saved article for its website search from this field."""
	doc.set(PUBLIC_FIELD, int(is_public(doc.published, doc.get("portal_audience"))))


def sync_website_public() -> None:
	"""Install/migrate, idempotent: the field of articles written without a save (before this field
	existed, Help Category unpublishing its articles, a direct update), then the website search rows of
	every article from it. The search queue is synced first (what Frappe's scheduler does every few
	minutes), so no row queued before is written over the corrected one afterwards."""
	from frappe.utils.global_search import sync_global_search

	for row in frappe.get_all("Help Article", fields=["name", "published", "portal_audience", PUBLIC_FIELD]):
		public = int(is_public(row.published, row.portal_audience))
		if row.get(PUBLIC_FIELD) != public:
			frappe.db.set_value("Help Article", row.name, PUBLIC_FIELD, public, update_modified=False)
	sync_global_search()
	frappe.db.sql(
		f"""
		UPDATE `__global_search` indexed JOIN `tabHelp Article` article ON article.name = indexed.name
		SET indexed.published = article.`{PUBLIC_FIELD}`
		WHERE indexed.doctype = 'Help Article' AND indexed.published != article.`{PUBLIC_FIELD}`
		"""
	)


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
