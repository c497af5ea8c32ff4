"""Compile Frappe's website templates once per worker process instead of once per request.

Frappe 15 builds a fresh Jinja environment for every request (its globals carry the request's session),
so every logged-in page recompiled web.html, base.html and their includes: about 80 ms of CPU a page,
most of the time of a portal page. Jinja's own bytecode cache fixes that without sharing anything but
compiled code: the environment, its globals and the session stay per request, and a template whose source
changed is compiled again (the cache checks the source's checksum).
"""

from jinja2.bccache import BytecodeCache

import frappe

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
	"""`before_request`: give the request's Jinja environment the process's bytecode cache (web pages)."""
	request = getattr(frappe.local, "request", None)
	if request is None or request.path.startswith(SKIP):
		return
	frappe.get_jenv().bytecode_cache = CACHE
