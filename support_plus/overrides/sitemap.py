"""/sitemap.xml: Frappe 15.44's (`frappe/www/sitemap.py`), less the knowledge-base articles for logged-in
customers only. Frappe lists every published Help Article, so their titles and routes were public."""

from urllib.parse import quote

import frappe
from frappe.utils import get_url
from frappe.www import sitemap as frappe_sitemap

from support_plus.kb.articles import CUSTOMERS


def get_context(context):
	out = frappe_sitemap.get_context(context)
	hidden = {
		get_url(quote((route or "").encode("utf-8")))
		for route in frappe.get_all("Help Article", filters={"portal_audience": CUSTOMERS}, pluck="route")
	}
	out["links"] = [link for link in out["links"] if link["loc"] not in hidden]
	return out
