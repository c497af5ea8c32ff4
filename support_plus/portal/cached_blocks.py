"""The navbar and footer of the portal pages, rendered once per site look and kind of visitor.

Frappe renders the navbar and footer web templates on every page with the whole page context, a sixth
of a portal page's CPU, and the result is the same for every logged-in customer: it is made of Website
Settings (top bar, footer links, brand, login menu), the language, whether the visitor is logged in and
the navbar's search text. `portal_web_block` (a Jinja method, used by templates/support_page.html, the
base of the /support pages) keeps the HTML per worker under exactly that key: a change to Website
Settings or to the web template (each has a new `modified`) shows on the next page, and an entry is
rendered again after MAX_AGE seconds whatever else changed (for example a translation).
"""

import time

from jinja2 import pass_context
from markupsafe import Markup

import frappe
from frappe.utils.jinja_globals import web_block

from support_plus.utils.memo import remember

DEFAULTS = {"navbar": "Standard Navbar", "footer": "Standard Footer"}
MAX_AGE = 300  # seconds
_BLOCKS: dict[tuple, tuple[float, str, dict, dict]] = {}


@pass_context
def portal_web_block(context, which: str) -> Markup:
	"""`{{ portal_web_block("navbar") }}`: what base.html's navbar (or footer) block renders."""
	template = context.get(f"{which}_template") or DEFAULTS[which]
	key = (
		frappe.local.site,
		which,
		template,
		str(frappe.get_cached_doc("Web Template", template).modified),
		str(frappe.get_cached_doc("Website Settings").modified),
		frappe.local.lang,
		frappe.session.user == "Guest",
		frappe.form_dict.get("q") if which == "navbar" else None,
		bool((frappe.flags.web_block_scripts or {}).get(template)),  # its scripts already on the page
	)
	entry = _BLOCKS.get(key)
	if entry is None or time.monotonic() - entry[0] > MAX_AGE:
		_BLOCKS.pop(key, None)
		entry = remember(_BLOCKS, key, lambda: _rendered(context, template), 64)
	else:  # what rendering would have noted: this template's scripts and styles are on the page
		frappe.flags.web_block_scripts = {**(frappe.flags.web_block_scripts or {}), **entry[2]}
		frappe.flags.web_block_styles = {**(frappe.flags.web_block_styles or {}), **entry[3]}
	return Markup(entry[1])


def _rendered(context, template: str) -> tuple[float, str, dict, dict]:
	"""(when, html, the scripts and styles it put on the page) for base.html's web_block call."""
	scripts, styles = dict(frappe.flags.web_block_scripts or {}), dict(frappe.flags.web_block_styles or {})
	html = web_block(
		template,
		values=context.get("_context_dict") or context.get_all(),
		add_container=0,
		add_top_padding=0,
		add_bottom_padding=0,
	)
	added_scripts = {k: v for k, v in (frappe.flags.web_block_scripts or {}).items() if k not in scripts}
	added_styles = {k: v for k, v in (frappe.flags.web_block_styles or {}).items() if k not in styles}
	return time.monotonic(), html, added_scripts, added_styles
