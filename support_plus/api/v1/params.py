"""What API v1 takes from a caller: paging, choices and times, each refused with a 400 and a message."""

import json
from datetime import date, datetime

import frappe
from frappe import _

from support_plus.api.v1 import shapes

MAX_PAGE_SIZE = 100


class BadRequest(frappe.ValidationError):
	"""A request API v1 cannot act on: 400, with a message saying what to send instead."""

	http_status_code = 400


def bad_request(message: str):
	frappe.throw(message, BadRequest, title=_("Bad Request"))


def paging(page, page_size) -> tuple[int, int]:
	"""(offset, page size) from a 1-based page and a page size of 1 to MAX_PAGE_SIZE."""
	page, page_size = whole_number(page, "page"), whole_number(page_size, "page_size")
	if page < 1:
		bad_request(_("{0} starts at 1.").format("page"))
	if not 1 <= page_size <= MAX_PAGE_SIZE:
		bad_request(_("{0} must be between 1 and {1}.").format("page_size", MAX_PAGE_SIZE))
	return (page - 1) * page_size, page_size


def whole_number(value, name: str) -> int:
	if isinstance(value, bool):
		bad_request(_("{0} must be a whole number.").format(name))
	try:
		return int(value)
	except (TypeError, ValueError):
		bad_request(_("{0} must be a whole number.").format(name))


def one_of(value, allowed, name: str):
	if value not in allowed:
		bad_request(_("{0} must be one of: {1}.").format(name, ", ".join(allowed)))
	return value


def text(value, name: str, required: bool = False) -> str | None:
	"""A string argument (None when left out, unless required)."""
	if value is None or value == "":
		if required:
			bad_request(_("{0} is required.").format(name))
		return None
	if not isinstance(value, str):
		bad_request(_("{0} must be a string.").format(name))
	if "\x00" in value:
		bad_request(_("{0} must not contain NUL characters.").format(name))
	return value


def moment(value, name: str) -> datetime | None:
	"""An ISO 8601 date or date-time (an offset is honoured) as a naive site datetime."""
	if value in (None, ""):
		return None
	if isinstance(value, datetime | date):
		return shapes.site_time(
			value if isinstance(value, datetime) else datetime.combine(value, datetime.min.time())
		)
	try:
		return shapes.site_time(datetime.fromisoformat(text(value, name).strip().replace("Z", "+00:00")))
	except ValueError:
		bad_request(
			_("{0} must be an ISO 8601 date or date-time, e.g. 2026-11-30T09:00:00+01:00.").format(name)
		)


def rows(value, name: str) -> list[dict]:
	"""A list of objects, given as a list or as its JSON text (form posts)."""
	if isinstance(value, str):
		try:
			value = json.loads(value)
		except ValueError:
			bad_request(_("{0} must be a JSON list of objects.").format(name))
	if not isinstance(value, list) or not value or not all(isinstance(row, dict) for row in value):
		bad_request(_("{0} must be a non-empty list of objects.").format(name))
	return value


def strings(value, name: str) -> list[str]:
	if value in (None, ""):
		return []
	if isinstance(value, str):
		try:
			value = json.loads(value)
		except ValueError:
			value = [value]
	if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
		bad_request(_("{0} must be a list of strings.").format(name))
	return value


def flag(value, name: str) -> bool:
	if value in (None, ""):
		return False
	if isinstance(value, bool):
		return value
	if str(value).lower() in ("1", "true", "yes"):
		return True
	if str(value).lower() in ("0", "false", "no"):
		return False
	bad_request(_("{0} must be true or false.").format(name))


def visible_ticket(ticket_id, ptype: str = "read"):
	"""The ticket as a document, when the caller may `ptype` it. A ticket that is missing and one the
	caller may not read answer alike (404), so the API does not tell which tickets exist."""
	ticket_id = text(ticket_id, "id", required=True)
	if not frappe.db.exists("Issue", ticket_id) or not frappe.has_permission("Issue", "read", ticket_id):
		frappe.throw(_("Ticket {0} not found.").format(ticket_id), frappe.DoesNotExistError)
	doc = frappe.get_doc("Issue", ticket_id)
	if ptype != "read":
		doc.check_permission(ptype)
	return doc
