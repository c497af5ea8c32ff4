"""Version 1 of the service-desk REST API (seed 002's API reference), as Frappe whitelisted methods:
`/api/method/support_plus.api.v1.<module>.<function>`.

Stable JSON shapes (shapes.py) that do not follow internal field names, filters and paging, Frappe's
token or session authentication and the desk's permissions, 400 with a message for bad input
(params.py). The OpenAPI 3 document (spec.py) is served by `openapi` below.
"""

import json

from werkzeug.wrappers import Response

import frappe

from support_plus.api.v1 import spec


@frappe.whitelist(allow_guest=True, methods=["GET"])
def openapi() -> dict | Response:
	"""The OpenAPI 3 document of API v1: over HTTP as the JSON document itself (not wrapped in
	{"message": ...}, so OpenAPI tools read it from the URL), from Python as a dict."""
	document = spec.document(frappe.utils.get_url())
	if getattr(frappe.local, "request", None) is None:
		return document
	return Response(json.dumps(document), mimetype="application/json")
