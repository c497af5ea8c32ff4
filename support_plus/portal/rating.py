"""Customer satisfaction: the 1-5 rating and comment of a resolved ticket, from the portal or from the
signed links of the resolution email (no login needed: each link carries an HMAC signature of the ticket
and rating, Frappe's verified_command; the comment box that follows carries a token for the ticket)."""

import hashlib
import hmac

import frappe
from frappe import _
from frappe.utils import cint, get_url
from frappe.utils.verified_command import get_secret, get_signed_params

from support_plus.tickets.lifecycle import CLOSED, RESOLVED


def record_rating(doc, rating, feedback: str | None = None) -> None:
	rating = cint(rating)
	if doc.status not in (RESOLVED, CLOSED):
		frappe.throw(_("You can rate a ticket once it is resolved."))
	if not 1 <= rating <= 5:
		frappe.throw(_("Choose 1 to 5 stars."))
	values = {"customer_rating": rating}
	if feedback is not None:
		values["customer_feedback"] = feedback.strip() or None
	frappe.db.set_value("Issue", doc.name, values)
	doc.add_comment("Info", _("The customer rated the support {0}/5.").format(rating))


def rating_links(ticket: str) -> dict[int, str]:
	"""One signed link a star: opening it records that rating."""
	return {
		n: get_url("/support/rate?" + get_signed_params({"ticket": ticket, "rating": n})) for n in range(1, 6)
	}


def feedback_token(ticket: str) -> str:
	return hmac.new(
		get_secret().encode(), f"support_plus-feedback:{ticket}".encode(), hashlib.sha256
	).hexdigest()


def check_feedback_token(ticket: str, token: str) -> None:
	if not hmac.compare_digest(feedback_token(ticket), token or ""):
		raise frappe.PermissionError(_("This link is invalid or expired."))


def portal_link(ticket: str) -> str:
	return get_url(f"/support/tickets/{ticket}")
