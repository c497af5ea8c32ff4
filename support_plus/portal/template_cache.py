"""Compile Frappe's website templates and route maps once per worker process instead of once per request.

Frappe 15 builds a fresh Jinja environment for every request (its globals carry the request's session),
so every logged-in page recompiled web.html, base.html and their includes: about 80 ms of CPU a page,
most of the time of a portal page. Jinja's own bytecode cache fixes that without sharing anything but
compiled code: the environment, its globals and the session stay per request, and a template whose source
changed is compiled again (the cache checks the source's checksum). Templates rendered from strings (the
navbar and footer web blocks) get the same treatment: their compiled code is kept per source text.

Frappe also compiles a werkzeug Map of the dynamic website routes (website_route_rules, web forms) three
times per page, a third of a portal page's time; `evaluate_dynamic_routes` below does what Frappe's does
with a Map compiled once per set of rules.
"""

import json

from jinja2.bccache import BytecodeCache
from werkzeug.exceptions import NotFound
from werkzeug.routing import Map, Rule

import frappe
from frappe.website import path_resolver, router

SKIP = ("/api/", "/assets/", "/files/", "/private/", "/socket.io/")


class ProcessBytecodeCache(BytecodeCache):
	"""Compiled templates kept in this worker's memory."""

	def __init__(self):
		self.store: dict[str, bytes] = {}

	def load_bytecode(self, bucket) -> None:
		if data := self.store.get(bucket.key):
			bucket.bytecode_from_string(data)

	def dump_bytecode(self, bucket) -> None:
		self.store[bucket.key] = bucket.bytecode_to_string()


CACHE = ProcessBytecodeCache()


def attach() -> None:
	"""`before_request`: give the request's Jinja environment the process's caches (web pages)."""
	request = getattr(frappe.local, "request", None)
	if request is None or request.path.startswith(SKIP):
		return
	jenv = frappe.get_jenv()
	jenv.bytecode_cache = CACHE
	if "compile" not in vars(jenv):
		original = jenv.compile

		def compile(source, name=None, filename=None, raw=False, defer_init=False):
			if name is None and filename is None and not raw and not defer_init and isinstance(source, str):
				return _compiled_source(original, source)
			return original(source, name, filename, raw, defer_init)

		jenv.compile = compile
	router.evaluate_dynamic_routes = path_resolver.evaluate_dynamic_routes = evaluate_dynamic_routes


def _compiled_source(compile, source: str):
	key = hash(source)
	entry = _SOURCES.get(key)
	if entry is None or entry[0] != source:
		if len(_SOURCES) >= 256:
			_SOURCES.clear()
		entry = _SOURCES[key] = (source, compile(source))
	return entry[1]


_SOURCES: dict[int, tuple[str, object]] = {}


_ROUTE_MAPS: dict[tuple, Map] = {}


def _route_map(rules: list[Rule]) -> Map:
	key = tuple(
		(rule.rule, rule.endpoint, json.dumps(rule.defaults, sort_keys=True, default=str)) for rule in rules
	)
	if (route_map := _ROUTE_MAPS.get(key)) is None:
		if len(_ROUTE_MAPS) >= 32:
			_ROUTE_MAPS.clear()
		route_map = _ROUTE_MAPS[key] = Map(rules)
	return route_map


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
