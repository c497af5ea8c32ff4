"""Customer attachments on tickets: what a customer may upload, and files that could run script are
served as downloads.

The portal API takes attachments as JSON, `[{"filename": ..., "data": <base64>}]`. They get the file-type
allowlist Frappe's own `upload_file` applies to website users (`frappe.handler.ALLOWED_MIMETYPES`, by the
file name's extension): an `.html`, `.xhtml` or `.svg` file would run script in an agent's session when
opened from the desk. Malformed input is a ValidationError (417), never a 500.

Files reach tickets by other ways too (email attachments, older uploads), and Frappe serves a private file
inline unless its extension is one of `.svg .html .htm .xml` (not `.xhtml`, `.xht`, `.shtml`, ...):
`serve_as_download` (an `after_request` hook) makes every private file whose type is not known safe to show
a download (`Content-Disposition: attachment`, and `nosniff` on all), the same as the portal's
`download_attachment`.
"""

import base64
import binascii
import json
from mimetypes import guess_type

import frappe
from frappe import _
from frappe.handler import ALLOWED_MIMETYPES
from frappe.utils import escape_html

MAX_BYTES = 10 * 1024 * 1024
# Shown inline by the browser without running anything: Frappe's upload allowlist and two image types.
INLINE_SAFE = frozenset(ALLOWED_MIMETYPES) | {"image/gif", "image/webp"}


def parse(attachments: str | list | None) -> list[tuple[str, bytes]]:
	"""The portal's attachments as [(file name, content)], each checked; anything else a clear error."""
	if isinstance(attachments, str):
		try:
			attachments = json.loads(attachments or "[]")
		except ValueError:
			frappe.throw(_("The attachments could not be read."), title=_("Invalid Attachments"))
	if attachments is None:
		return []
	if not isinstance(attachments, list) or not all(isinstance(item, dict) for item in attachments):
		frappe.throw(
			_("Attachments are a list of files, each with a file name and its content."),
			title=_("Invalid Attachments"),
		)
	return [_parse_one(item) for item in attachments]


def _parse_one(item: dict) -> tuple[str, bytes]:
	filename, data = item.get("filename"), item.get("data")
	if not isinstance(filename, str) or not filename.strip() or not isinstance(data, str):
		frappe.throw(_("Each attachment needs a file name and its content."), title=_("Invalid Attachments"))
	filename = filename.strip()
	check_type(filename)
	try:
		content = base64.b64decode(data, validate=True)
	except (binascii.Error, ValueError):
		frappe.throw(
			_("{0} could not be read.").format(escape_html(filename)), title=_("Invalid Attachments")
		)
	if not content:
		frappe.throw(_("{0} is empty.").format(escape_html(filename)), title=_("Invalid Attachments"))
	if len(content) > MAX_BYTES:
		frappe.throw(_("{0} is larger than 10 MB.").format(escape_html(filename)))
	return filename, content


def check_type(filename: str) -> None:
	"""Frappe's `upload_file` rule for website users: the name's type must be on its allowlist."""
	if guess_type(filename)[0] not in ALLOWED_MIMETYPES:
		frappe.throw(
			_(
				"{0}: you can only attach JPG, PNG, PDF, TXT, Microsoft or OpenDocument files and videos."
			).format(escape_html(filename)),
			title=_("File Type Not Allowed"),
		)


def attach(ticket: str, files: list[tuple[str, bytes]], doctype: str = "Issue") -> None:
	"""Parsed attachments, private to the ticket (or to another record of `doctype`)."""
	for filename, content in files:
		frappe.get_doc(
			{
				"doctype": "File",
				"file_name": filename,
				"content": content,
				"attached_to_doctype": doctype,
				"attached_to_name": ticket,
				"is_private": 1,
			}
		).insert(ignore_permissions=True)


def send_as_download(file_doc) -> None:
	"""Answer the request with the file as a download (never shown inline, so never run)."""
	try:
		content = file_doc.get_content()
	except OSError:
		raise frappe.DoesNotExistError(_("File not found."))
	frappe.local.response.update(
		{
			"type": "download",
			"filename": file_doc.file_name,
			"filecontent": content,
			"content_type": "application/octet-stream",
			"display_content_as": "attachment",
		}
	)


def serve_as_download(response=None, request=None) -> None:
	"""`after_request`: a private file that is not known safe to show is a download; none is sniffed."""
	if not (request and response and request.path.startswith("/private/files/")):
		return
	response.headers["X-Content-Type-Options"] = "nosniff"
	if response.mimetype not in INLINE_SAFE and "Content-Disposition" not in response.headers:
		response.headers.add("Content-Disposition", "attachment", filename=request.path.rsplit("/", 1)[-1])
