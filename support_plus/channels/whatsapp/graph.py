"""The Graph API calls of the WhatsApp Cloud API (https://developers.facebook.com/docs/whatsapp/cloud-api),
with the base URL, phone number id and token of Support WhatsApp Settings."""

import requests

import frappe
from frappe import _

TIMEOUT = 20
SETTINGS = "Support WhatsApp Settings"


class GraphError(Exception):
	"""The Graph API refused a call or could not be reached (the message says why)."""


def settings():
	return frappe.get_cached_doc(SETTINGS)


_secrets: dict[tuple, str | None] = {}  # (site, settings version, field) -> decrypted value, per process


def secret(field: str) -> str | None:
	"""A Password field of the settings, decrypted once per process and settings version (the webhook
	checks every post's signature with it)."""
	conf = settings()
	key = (frappe.local.site, str(conf.modified), field)
	if key not in _secrets:
		_secrets[key] = conf.get_password(field, raise_exception=False)
	return _secrets[key]


def enabled() -> bool:
	return bool(frappe.db.get_single_value(SETTINGS, "enabled", cache=True))


def _call(method: str, url: str, **kwargs) -> requests.Response:
	token = secret("access_token")
	if not token:
		raise GraphError(_("No access token in Support WhatsApp Settings."))
	try:
		response = requests.request(
			method, url, headers={"Authorization": f"Bearer {token}"}, timeout=TIMEOUT, **kwargs
		)
	except requests.RequestException as e:
		raise GraphError(_("The Graph API could not be reached: {0}").format(e)) from e
	if response.status_code >= 400:
		try:
			detail = response.json()["error"]["message"]
		except (ValueError, KeyError, TypeError):
			detail = response.text[:300]
		raise GraphError(_("The Graph API answered {0}: {1}").format(response.status_code, detail))
	return response


def send(payload: dict) -> str:
	"""POST /{phone-number-id}/messages; the message id WhatsApp gave the message (wamid)."""
	conf = settings()
	url = f"{conf.graph_api_url.rstrip('/')}/{conf.phone_number_id}/messages"
	answer = _call("POST", url, json={"messaging_product": "whatsapp", **payload}).json()
	try:
		return answer["messages"][0]["id"]
	except (KeyError, IndexError, TypeError) as e:
		raise GraphError(_("The Graph API gave no message id: {0}").format(answer)) from e


def media_info(media_id: str) -> dict:
	"""GET /{media-id}: {"url", "mime_type", "file_size", ...}."""
	conf = settings()
	return _call("GET", f"{conf.graph_api_url.rstrip('/')}/{media_id}").json()


def download(url: str, max_bytes: int) -> bytes:
	"""The media file itself (the URL from media_info, with the same token), refused above max_bytes."""
	response = _call("GET", url, stream=True)
	content = b""
	for chunk in response.iter_content(64 * 1024):
		content += chunk
		if len(content) > max_bytes:
			response.close()
			raise GraphError(_("The file is larger than {0} MB.").format(max_bytes // (1024 * 1024)))
	return content
