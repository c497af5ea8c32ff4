"""Frappe's /sitemap.xml without customers-only articles (support_plus/overrides/sitemap.py)."""

from support_plus.overrides.sitemap import get_context

no_cache = 1
base_template_path = "www/sitemap.xml"
