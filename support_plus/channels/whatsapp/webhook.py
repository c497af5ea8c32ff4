"""The WhatsApp webhook: `/api/method/support_plus.channels.whatsapp.webhook.webhook`.

GET answers Meta's subscription check (hub.mode=subscribe with our verify token: the challenge back).
POST must carry `X-Hub-Signature-256: sha256=<HMAC-SHA256 of the raw body with the app secret>`; an
unsigned or wrongly signed post is refused (403) before its body is read as JSON. A signed post's
messages are stored at once (a message id seen before is ignored: Meta delivers at least once) and
turned into ticket messages by a background job (inbound.py), so Meta gets its 200 quickly.
"""

import hashlib
import hmac
import json

from werkzeug.wrappers import Response

import frappe
from frappe import _

from support_plus.channels.whatsapp import graph, inbound


class BadSignature(frappe.PermissionError):
	http_status_code = 403


class BadPayload(frappe.ValidationError):
	http_status_code = 400


@frappe.whitelist(allow_guest=True, methods=["GET", "POST"])
def webhook():
	if not graph.enabled():
		frappe.throw(_("WhatsApp is not enabled on this site."), frappe.DoesNotExistError)
	if frappe.request.method == "GET":
		return verify(frappe.form_dict)
	body = frappe.request.get_data()
	check_signature(body, frappe.get_request_header("X-Hub-Signature-256"))
	try:
		payload = json.loads(body)
	except ValueError:
		frappe.throw(_("The webhook body is not JSON."), BadPayload)
	if not isinstance(payload, dict) or payload.get("object") != "whatsapp_business_account":
		frappe.throw(_("Not a WhatsApp Business Account notification."), BadPayload)
	return inbound.receive(payload)


def verify(args) -> Response:
	token = graph.secret("verify_token")
	if (
		args.get("hub.mode") == "subscribe"
		and token
		and hmac.compare_digest(str(args.get("hub.verify_token") or ""), token)
	):
		return Response(str(args.get("hub.challenge") or ""), mimetype="text/plain")
	frappe.throw(_("The verify token does not match."), BadSignature)


def signature(body: bytes, secret: str) -> str:
	return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def check_signature(body: bytes, header: str | None) -> None:
	secret = graph.secret("app_secret")
	if not secret or not header or not hmac.compare_digest(signature(body, secret), header.strip()):
		frappe.throw(_("The request is not signed with this site's WhatsApp app secret."), BadSignature)
