"""What the public API's functions do with a missing argument or with JSON text that does not parse.

Frappe calls a whitelisted function with the request's arguments: a parameter without a default that the
request leaves out is Python's TypeError, and `json.loads` of text that is not JSON raises ValueError; Frappe
answers both as a server error (500) with an Error Log row. So every parameter of support_plus's whitelisted
functions has a default (tests/test_api_arguments.py checks them all), and each function says what it needs
with these helpers (or its own message): a 4xx that tells the caller what to send.
"""

import json

import frappe
from frappe import _


def required(value, name: str):
	"""`value`, or a MandatoryError (417) saying that `name` is required when it is missing or blank."""
	if value is None or (isinstance(value, str) and not value.strip()):
		frappe.throw(_("{0} is required.").format(frappe.bold(name)), frappe.MandatoryError)
	return value


def json_list(value, name: str) -> list:
	"""A list, given as a list (or tuple, from Python) or as its JSON text (form posts)."""
	if isinstance(value, tuple):
		return list(value)
	return _parsed(value, name, list, _("{0} must be a JSON list."))


def json_object(value, name: str) -> dict:
	"""An object, given as a dict or as its JSON text (form posts)."""
	return _parsed(value, name, dict, _("{0} must be a JSON object."))


def json_filters(value, name: str = "filters") -> dict | list | None:
	"""Frappe's filters (a dict or a list of conditions) or None, given as such or as their JSON text."""
	if value is None or value == "":
		return None
	return _parsed(value, name, (dict, list), _("{0} must be JSON filters (an object or a list)."))


def _parsed(value, name: str, kind, message: str):
	if isinstance(value, str):
		try:
			value = json.loads(value)
		except ValueError:
			value = None
	if not isinstance(value, kind):
		frappe.throw(message.format(frappe.bold(name)), frappe.ValidationError)
	return value
