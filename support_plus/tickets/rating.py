"""Customer satisfaction: the 1-5 rating and comment of a resolved ticket, from the portal or from the
signed links of the resolution email.

A star link (no login needed: an HMAC signature of the ticket and rating, Frappe's verified_command) only
shows the choice: opening it writes nothing, since mail scanners open links. The page's form POSTs the
rating with a token for the ticket (`feedback_token`), which a forged cross-site POST cannot know, so it
is CSRF-safe for a guest; a logged-in customer's form carries their session's CSRF token too."""

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
	doc.db_set(values)  # a document write: Issue's on_change hooks see the rating
	doc.add_comment("Info", _("The customer rated the support {0}/5.").format(rating))


def choice_by_link(ticket: str | None, rating) -> dict:
	"""GET of a star link (its signature checked by the page): the choice and the form that records it."""
	doc = _linked_ticket(ticket)
	rating = cint(rating)
	if not 1 <= rating <= 5:
		return {"invalid": True}
	return {
		"ticket": doc.name,
		"rating": rating,
		"rateable": doc.status in (RESOLVED, CLOSED),
		"token": feedback_token(doc.name),
		"feedback": doc.customer_feedback or "",
	}


def record_by_link(form: dict) -> dict:
	"""POST of the rating page's form: recorded when its token is the ticket's."""
	doc = _linked_ticket(form.get("ticket"))
	if not hmac.compare_digest(feedback_token(doc.name), str(form.get("token") or "")):
		return {"invalid": True}
	rating = cint(form.get("rating"))
	if doc.status not in (RESOLVED, CLOSED) or not 1 <= rating <= 5:
		return {"ticket": doc.name, "rating": rating, "rateable": False}
	record_rating(doc, rating, str(form.get("feedback") or "") or None)  # no comment: keep the last one
	return {"ticket": doc.name, "rating": rating, "recorded": True}


def _linked_ticket(ticket):
	if not isinstance(ticket, str) or not frappe.db.exists("Issue", ticket):
		raise frappe.PageDoesNotExistError
	return frappe.get_doc("Issue", ticket)


def rating_links(ticket: str) -> dict[int, str]:
	"""One signed link a star: opening it shows that choice, to be confirmed."""
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
