"""The portal's pages are rendered by Frappe's TemplatePage, claimed first for paths under /support.

Frappe asks its renderers in turn whether they can render a path: static files, web forms, documents
with a web view, then templates. For /support/tickets that costs a file search, two cached lookups of
web forms and web-view doctypes and a Redis round trip each, on every request, before the template
renderer says yes. `page_renderer` (Frappe's hook for this) puts this class first; it answers for
the /support pages of the www folders only and renders them exactly as TemplatePage does.
"""

import frappe
from frappe.website.page_renderers.redirect_page import RedirectPage
from frappe.website.page_renderers.template_page import TemplatePage

PREFIX = "support"


class SupportPortalPage(TemplatePage):
	def __init__(self, path, http_status_code=None):
		path = path.strip("/ ")
		if path == PREFIX or path.startswith(PREFIX + "/"):
			super().__init__(path, http_status_code)
		else:  # not ours: no file search
			self.path, self.template_path = path, None

	def can_render(self):
		return bool(self.template_path) and super().can_render()


# Paths Frappe and ERPNext would answer with pages of their own (ERPNext's ticket list, Frappe's
# knowledge-base article pages), in any case of the path: the portal serves them under its own rule.
MOVED = {"issue": "support/tickets", "issues": "support/tickets", "kb": "support/kb"}


def moved_to(path: str) -> str | None:
	first, _, rest = path.strip("/ ").partition("/")
	target = MOVED.get(first.lower())
	if not target or (first.lower() == "kb" and not rest):
		return None
	return f"/{target}/{rest}" if rest else f"/{target}"


class MovedPortalPage(RedirectPage):
	"""A permanent redirect for `moved_to` paths. Frappe's `website_redirects` match the path's case
	exactly, while its page lookup does not (/KB/... found the article that /kb/... redirected)."""

	def __init__(self, path, http_status_code=None):
		super().__init__(path, 301)
		self.target = moved_to(path)

	def can_render(self):
		return bool(self.target)

	def render(self):
		frappe.flags.redirect_location = self.target
		return super().render()
