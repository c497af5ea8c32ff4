"""`frappe.app.make_form_dict` (Frappe 15.44) answering a request body that is not valid JSON with 400.

Frappe parses a JSON body with `json.loads` before any app code runs; a malformed body raises
JSONDecodeError, which Frappe answers as a server error (500) and records in the Error Log, so any
caller could fill the Error Log with one bad request after another. Here the same parsing runs, and a
body that is not JSON (or not UTF-8) is refused as bad input: 400 with a message, nothing logged.
Everything else (forms, query strings, valid JSON, a JSON list) is Frappe's own code path.

Installed by assignment from `install` (a `before_request` hook): Frappe reads the body before the
hooks run, so a worker's very first request still meets Frappe's function; every later one meets this.
tests/test_api_v1.py compares it with Frappe's on valid bodies and checks the 400 over real HTTP.
"""

import json

import frappe
import frappe.app
from frappe import _

FRAPPES = frappe.app.make_form_dict


class MalformedRequestBody(frappe.ValidationError):
	http_status_code = 400


def make_form_dict(request) -> None:
	try:
		FRAPPES(request)
	except (json.JSONDecodeError, UnicodeDecodeError):
		frappe.local.form_dict = frappe._dict()
		frappe.throw(
			_("The request body is not valid JSON (sent with Content-Type {0}).").format(
				request.content_type or "-"
			),
			MalformedRequestBody,
			title=_("Bad Request"),
		)


def install() -> None:
	"""`before_request`: put the replacement in place for this worker's later requests."""
	if frappe.app.make_form_dict is not make_form_dict:
		frappe.app.make_form_dict = make_form_dict
