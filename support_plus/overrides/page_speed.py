"""Frappe 15's website pages without the work it redoes on every request; what a page shows stays per request.

Follows Frappe 15.44 (support_plus.overrides.check_versions refuses another major version). Only web page
requests get these: `attach` puts Frappe's own functions back for REST, method and file requests.

Measured on a portal page (`benchmarks/portal_list.py`): a logged-in page cost about 60 ms of CPU, of
which these took more than half. Each piece below keeps a result that depends only on its inputs, per
worker process, and answers exactly as Frappe does (tests/test_page_speed.py compares them):

- Templates: Frappe builds a new Jinja environment and loader per request (the environment's globals
  carry the request's session), so every page read, checksummed and compiled web.html, base.html and
  their includes again. `ProcessTemplateLoader` keeps each template's compiled code and hands it to the
  request's own environment; a template whose file changed is compiled again (Jinja's up-to-date check,
  one stat per template). Templates rendered from strings (the navbar and footer web templates) keep
  their compiled code per source text.
- Routes: Frappe compiles a werkzeug Map of the dynamic website routes three times per page;
  `evaluate_dynamic_routes` keeps the Map per set of rules.
- Web blocks: Frappe parses the rendered navbar and footer with BeautifulSoup on every page to move their
  scripts and styles; `extract_script_and_style_tags` keeps the answer per HTML text.
- Field names: frappe.qb runs each field name given as text through sqlparse to strip comments;
  `RememberingSqlparse` keeps the answer per text.
- The user's name and picture: Frappe queries them for every page; the request has the user's cached
  document already.
- Apps: the boot data of a page asks `frappe.apps.get_apps` (a query per app) three times; once per
  request is enough.

`attach` (a `before_request` hook) puts them in place for website requests. They replace Frappe
functions by assignment, so each is checked against Frappe's own in the tests and needs rechecking when
Frappe is upgraded.
"""

import json

import sqlparse
from jinja2 import BaseLoader
from werkzeug.exceptions import NotFound
from werkzeug.routing import Map, Rule

import frappe
from frappe import apps as frappe_apps
from frappe.database import query
from frappe.utils import user as frappe_user
from frappe.utils.caching import request_cache
from frappe.website import path_resolver, router
from frappe.website import utils as website_utils
from frappe.website.doctype.web_page import web_page

from support_plus.utils.memo import remember

SKIP = ("/api/", "/assets/", "/files/", "/private/", "/socket.io/")


class ProcessTemplateLoader(BaseLoader):
	"""Frappe's template loader, with each template's compiled code kept for the life of the process."""

	def __init__(self, loader: BaseLoader):
		self.loader = loader
		self.codes: dict[str, tuple] = {}  # name -> (code, uptodate)

	def get_source(self, environment, template):
		return self.loader.get_source(environment, template)

	def list_templates(self):
		return self.loader.list_templates()

	def load(self, environment, name, globals=None):
		entry = self.codes.get(name)
		if entry is None or not (entry[1] is None or entry[1]()):
			source, filename, uptodate = self.loader.get_source(environment, name)
			entry = self.codes[name] = (environment.compile(source, name, filename), uptodate)
		return environment.template_class.from_code(
			environment, entry[0], environment.make_globals(globals), entry[1]
		)


_LOADERS: dict[tuple, ProcessTemplateLoader] = {}


def process_loader() -> ProcessTemplateLoader:
	"""The process's loader for this site's apps (Frappe's loader depends on the installed apps)."""
	from frappe.utils.jinja import get_jloader

	key = tuple(
		frappe.get_hooks("template_apps")
		or frappe.local.flags.web_pages_apps
		or frappe.get_installed_apps(_ensure_on_bench=True)
	)
	if (loader := _LOADERS.get(key)) is None:
		frappe.local.jloader = None
		loader = _LOADERS[key] = ProcessTemplateLoader(get_jloader())
	return loader


def attach() -> None:
	"""`before_request`: give a web page request the process's caches; any other request (REST,
	methods, files) runs on Frappe's own functions, put back in case an earlier page of this worker
	replaced them."""
	request = getattr(frappe.local, "request", None)
	if request is None or request.path.startswith(SKIP):
		_put(FRAPPES)
		return
	loader = frappe.local.jloader = process_loader()
	jenv = frappe.get_jenv()
	jenv.loader = loader
	if "compile" not in vars(jenv):
		original = jenv.compile

		def compile(source, name=None, filename=None, raw=False, defer_init=False):
			if name is None and filename is None and not raw and not defer_init and isinstance(source, str):
				return _compiled_source(original, source)
			return original(source, name, filename, raw, defer_init)

		jenv.compile = compile
	_put(PATCHES)


def _put(assignments) -> None:
	for module, name, value in assignments:
		setattr(module, name, value)


def _compiled_source(compile, source: str):
	return remember(_SOURCES, source, lambda: compile(source), 256)


_SOURCES: dict[str, object] = {}


_ROUTE_MAPS: dict[tuple, Map] = {}


def _route_map(rules: list[Rule]) -> Map:
	key = tuple(
		(rule.rule, rule.endpoint, json.dumps(rule.defaults, sort_keys=True, default=str)) for rule in rules
	)
	return remember(_ROUTE_MAPS, key, lambda: Map(rules), 32)


def evaluate_dynamic_routes(rules, path):
	"""frappe.website.router.evaluate_dynamic_routes, with the compiled Map kept per set of rules."""
	route_map = _route_map(rules)
	endpoint = None
	if hasattr(frappe.local, "request") and frappe.local.request.environ:
		urls = route_map.bind_to_environ(frappe.local.request.environ)
		try:
			endpoint, args = urls.match("/" + path)
			if args:
				frappe.local.no_cache = 1  # don't cache when there's a query string
				frappe.local.form_dict.update(args)
		except NotFound:
			pass
	return endpoint


evaluate_dynamic_routes.__wrapped_frappe__ = router.evaluate_dynamic_routes


_EXTRACTED: dict[str, tuple[str, list, list]] = {}


def extract_script_and_style_tags(html: str) -> tuple[str, list, list]:
	"""frappe.website.doctype.web_page.web_page.extract_script_and_style_tags, remembered per HTML text.

	Frappe parses the rendered navbar and footer with BeautifulSoup on every page to move their scripts
	and styles to the end (a quarter of a portal page's time); the answer depends on the text alone.
	"""
	result = remember(_EXTRACTED, html, lambda: _frappe_extract(html), 64)
	return result[0], list(result[1]), list(result[2])


_frappe_extract = web_page.extract_script_and_style_tags
extract_script_and_style_tags.__wrapped_frappe__ = _frappe_extract


class RememberingSqlparse:
	"""`sqlparse` as frappe.database.query uses it, with `format` remembered per field text.

	Frappe runs every field name given as text (`frappe.db.get_value("User", user, "user_type")`)
	through sqlparse to strip comments: a tenth of a portal page's time for a dozen short names.
	"""

	def __init__(self):
		self.formatted: dict[tuple, str] = {}

	def __getattr__(self, name):
		return getattr(sqlparse, name)

	def format(self, sql, encoding=None, **options):
		if not isinstance(sql, str) or encoding is not None:
			return sqlparse.format(sql, encoding, **options)
		key = (sql, *sorted(options.items()))
		return remember(self.formatted, key, lambda: sqlparse.format(sql, **options), 1024)


REMEMBERING_SQLPARSE = RememberingSqlparse()


def get_apps():
	"""frappe.apps.get_apps once per request: a website page's boot data asks three times."""
	return _request_get_apps()


_request_get_apps = request_cache(frappe_apps.get_apps)


def get_fullname_and_avatar(user: str) -> frappe._dict:
	"""frappe.utils.user.get_fullname_and_avatar, from the cached User document instead of a query."""
	doc = frappe.get_cached_doc("User", user)
	return frappe._dict(
		fullname=" ".join(filter(None, [doc.first_name, doc.last_name])), avatar=doc.user_image, name=doc.name
	)


_frappe_get_fullname_and_avatar = frappe_user.get_fullname_and_avatar
get_fullname_and_avatar.__wrapped_frappe__ = _frappe_get_fullname_and_avatar


# What attach() replaces for web pages, and Frappe's own functions, put back for every other request.
PATCHES = (
	(router, "evaluate_dynamic_routes", evaluate_dynamic_routes),
	(path_resolver, "evaluate_dynamic_routes", evaluate_dynamic_routes),
	(web_page, "extract_script_and_style_tags", extract_script_and_style_tags),
	(query, "sqlparse", REMEMBERING_SQLPARSE),
	(website_utils, "get_apps", get_apps),
	(frappe_user, "get_fullname_and_avatar", get_fullname_and_avatar),
)
FRAPPES = tuple((module, name, getattr(module, name)) for module, name, _ in PATCHES)
