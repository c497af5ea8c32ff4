"""The portal's pages are rendered by Frappe's TemplatePage, claimed first for paths under /support.

Frappe asks its renderers in turn whether they can render a path: static files, web forms, documents
with a web view, then templates. For /support/tickets that costs a file search, two cached lookups of
web forms and web-view doctypes and a Redis round trip each, on every request, before the template
renderer says yes. `page_renderer` (Frappe's hook for this) puts this class first; it answers for
the /support pages of the www folders only and renders them exactly as TemplatePage does.
"""

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
