"""The chat assistant's turns: a customer's message in, the assistant's answers out.

Each conversation keeps where it stands (`assistant_state`, JSON: what the assistant waits for and what
it collected). A message is either the answer it waits for, or a new request: ticket status (a logged-in
customer sees their own tickets only, by the portal's rule in support_plus/portal/access.py; a guest
names the ticket's email, and a wrong pair answers exactly like a missing ticket), a new ticket, support
hours, an appointment, a person, a Troubleshooting Flow, or else the best knowledge-base article.
A conversation handed over to a person gets no more assistant answers: its messages go to the ticket.

Answers are dicts {"text", "options": [quick replies], "link": {"label", "url"}}; what the customer
typed and what the assistant said are both stored as the conversation's messages.
"""

import json

import frappe
from frappe import _
from frappe.utils import escape_html, strip_html, validate_email_address

from support_plus.channels import conversations
from support_plus.channels.assistant import flows, hours, intents
from support_plus.kb import articles
from support_plus.portal import access
from support_plus.tickets.lifecycle import STATUSES
from support_plus.tickets.notifications import portal_link

SUMMARY_CHARS = 240


def answer(text: str, options: list[str] | None = None, link: dict | None = None) -> dict:
	return {"text": text, "options": options or [], "link": link}


def greeting(conv) -> list[dict]:
	described = hours.describe()
	opening = _(
		'Hello! I am the support assistant. Ask me about a ticket, describe a problem, or type "new ticket".'
	)
	replies = [answer(opening, [_("My tickets"), _("New ticket"), _("Talk to a person")])]
	if described:
		replies.append(answer(_("Our team is available {0}.").format(described)))
	return replies


def respond(conv, text: str) -> list[dict]:
	"""The assistant's answers to the customer's message `text` (already stored)."""
	if conv.status == conversations.HANDED_OVER:
		return []
	state = json.loads(conv.assistant_state or "{}")
	intent = intents.classify(text)
	waiting = state.get("awaiting")
	if intent == intents.CANCEL:
		_save(conv, {})
		return [answer(_("All right. What else can I do for you?"))]
	if (waiting and intent not in (intents.HUMAN, intents.NEW_TICKET)) or waiting in (
		"description",
		"subject",
	):
		handler = WAITING.get(waiting)
		if handler:
			return handler(conv, state, text)
	return dispatch(conv, text, intent)


def dispatch(conv, text: str, intent: str | None) -> list[dict]:
	if intent == intents.HUMAN:
		return hand_over(conv, {}, text)
	if intent == intents.NEW_TICKET:
		return ask_ticket_details(conv, {})
	if intent == intents.MY_TICKETS:
		return my_tickets(conv)
	if intent == intents.STATUS:
		return ticket_status(conv, {"ticket": intents.ticket_number(text)}, text)
	if intent == intents.HOURS:
		described = hours.describe()
		if not described:
			return [answer(_("Write to us any time; the team answers during working hours."))]
		state = _("We are open now.") if hours.open_now() else _("We are closed right now.")
		return [answer(_("Our support hours are {0}. {1}").format(described, state))]
	if intent == intents.BOOKING:
		return offer_slots(conv)
	flow = flows.matching_flow(text)
	if flow:
		return ask_step(conv, flow, flows.first_step(flow))
	return knowledge_base(conv, text)


# -- tickets -----------------------------------------------------------------------------------------


def my_tickets(conv) -> list[dict]:
	if not _known(conv):
		return [answer(_("Please log in to see your tickets, or give me a ticket number."))]
	issue = frappe.qb.DocType("Issue")
	rows = (
		frappe.qb.from_(issue)
		.select(issue.name, issue.subject, issue.status)
		.where(access.ticket_condition(conv.user) if _logged_in(conv) else issue.contact == conv.contact)
		.orderby(issue.creation, order=frappe.qb.desc)
		.limit(5)
	).run(as_dict=True)
	if not rows:
		return [answer(_('You have no tickets yet. Type "new ticket" to open one.'))]
	lines = "\n".join(f"{r.name}: {r.subject} ({_(r.status)})" for r in rows)
	return [
		answer(
			_("Your latest tickets:") + "\n" + lines,
			link={"label": _("All your tickets"), "url": "/support/tickets"},
		)
	]


def ticket_status(conv, state: dict, text: str) -> list[dict]:
	ticket = state.get("ticket") or intents.ticket_number(text)
	if not ticket:
		_save(conv, {"awaiting": "ticket_number"})
		return [answer(_("Which ticket? Please give its number, e.g. RE00000012."))]
	if _known(conv):
		doc = frappe.get_doc("Issue", ticket) if frappe.db.exists("Issue", ticket) else None
		_save(conv, {})
		if not doc or not _sees(conv, doc):
			return [not_found(ticket)]
		return [status_answer(doc)]
	email = state.get("email") or intents.email(text) or conv.guest_email
	if not email:
		_save(conv, {"awaiting": "status_email", "ticket": ticket})
		return [answer(_("What email address did you open ticket {0} with?").format(ticket))]
	_save(conv, {})
	raised_by = frappe.db.get_value("Issue", ticket, "raised_by")
	if not raised_by or raised_by.strip().lower() != email.lower():
		return [not_found(ticket)]  # the same words whether the ticket or the pair is wrong
	return [status_answer(frappe.get_doc("Issue", ticket))]


def not_found(ticket: str) -> dict:
	return answer(_("I could not find ticket {0} with those details.").format(ticket))


def status_answer(doc) -> dict:
	return answer(
		_("Ticket {0} ({1}) is {2}.").format(doc.name, doc.subject, _(doc.status)),
		link={"label": _("Open ticket {0}").format(doc.name), "url": f"/support/tickets/{doc.name}"},
	)


def ask_ticket_details(conv, state: dict) -> list[dict]:
	if not _logged_in(conv) and not conv.guest_email and not conv.phone:
		_save(conv, {"awaiting": "contact", "then": "subject"})
		return [answer(_("I will open a ticket. What is your email address?"))]
	_save(conv, {"awaiting": "subject"})
	return [answer(_("In a few words, what is the problem? (This becomes the ticket's subject.)"))]


def got_contact(conv, state: dict, text: str) -> list[dict]:
	email = intents.email(text)
	if not email or not validate_email_address(email):
		return [answer(_("That does not look like an email address. Please type it again."))]
	conv.db_set("guest_email", email, update_modified=False)
	if state.get("then") == "hand_over":
		return hand_over(conv, {}, "")
	return ask_ticket_details(conv, {})


def got_subject(conv, state: dict, text: str) -> list[dict]:
	subject = strip_html(text).strip()[:140]
	if not subject:
		return [answer(_("Please describe the problem in a few words."))]
	_save(conv, {"awaiting": "description", "subject": subject})
	return [answer(_("Thank you. Anything else we should know (what you tried, error messages)?"))]


def got_description(conv, state: dict, text: str) -> list[dict]:
	ticket = open_ticket(conv, state.get("subject") or text[:140], text)
	_save(conv, {})
	return [
		answer(
			_("Ticket {0} is open; we will answer by email. You can follow it on the portal.").format(ticket),
			link={"label": _("Ticket {0}").format(ticket), "url": f"/support/tickets/{ticket}"},
		)
	]


def open_ticket(conv, subject: str, description: str) -> str:
	"""A ticket (channel Chat) for the customer, with the conversation so far as its description."""
	raised_by, contact, customer = _identity(conv)
	lines = [
		"<p><b>{0}</b>: {1}</p>".format(
			escape_html(row["from"]), escape_html(row["text"]).replace("\n", "<br>")
		)
		for row in conversations.transcript(conv.name)
	]
	doc = frappe.get_doc(
		{
			"doctype": "Issue",
			"subject": strip_html(subject).strip()[:140]
			or _("Chat with {0}").format(conversations.identity_label(conv)),
			"description": "<p>{0}</p><hr><p>{1}</p>{2}".format(
				escape_html(description), escape_html(_("Chat transcript")), "".join(lines)
			),
			"channel": "Chat",
			"raised_by": raised_by,
			"contact": contact,
			"customer": customer,
		}
	)
	doc.insert(ignore_permissions=True)  # the customer's own ticket, as the portal's create does
	conversations.link_ticket(conv, doc.name)
	return doc.name


def hand_over(conv, state: dict, text: str) -> list[dict]:
	"""A person takes over: the conversation joins its ticket (or opens one) and is Handed Over."""
	if not conversations.active_ticket(conv.issue):
		if not _logged_in(conv) and not conv.guest_email:
			_save(conv, {"awaiting": "contact", "then": "hand_over"})
			return [
				answer(_("I will pass you to a person. What is your email address, in case we get cut off?"))
			]
		open_ticket(
			conv, _("Chat: customer asks for a person"), text or _("The customer asked for a person.")
		)
	conv.reload()
	conv.db_set({"status": conversations.HANDED_OVER, "assistant_state": None}, update_modified=False)
	frappe.get_doc("Issue", conv.issue).add_comment(
		"Info",
		_(
			"The customer asked for a person in the chat: answer on this ticket, the reply appears in their chat window."
		),
	)
	opening = hours.open_now()
	when = (
		_("A colleague will answer here shortly.")
		if opening in (True, None)
		else _("We are closed right now; a colleague will answer here when we open ({0}).").format(
			hours.describe()
		)
	)
	return [answer(_("Ticket {0} is with our team. {1}").format(conv.issue, when))]


# -- knowledge base and flows -------------------------------------------------------------------------


def knowledge_base(conv, text: str) -> list[dict]:
	found = articles.search(text, limit=1, user=conv.user or "Guest")
	if not found:
		_save(conv, {"awaiting": "offer_ticket", "problem": text[:500]})
		return [answer(_("I have no article on that. Shall I open a ticket for you?"), [_("Yes"), _("No")])]
	best = found[0]
	content = frappe.db.get_value("Help Article", best.name, "content") or ""
	summary = strip_html(content).strip()
	if len(summary) > SUMMARY_CHARS:
		summary = summary[:SUMMARY_CHARS].rsplit(" ", 1)[0] + " …"
	_save(conv, {"awaiting": "kb_feedback", "article": best.name, "problem": text[:500]})
	return [
		answer(f"{best.title}: {summary}", link={"label": best.title, "url": best.url}),
		answer(_("Did this help?"), [_("Yes"), _("No")]),
	]


def kb_feedback(conv, state: dict, text: str) -> list[dict]:
	if intents.YES.search(text):
		articles.add_feedback(state["article"], True) if _readable(state["article"], conv) else None
		_save(conv, {})
		return [answer(_("Glad it helped! Anything else?"))]
	if intents.NO.search(text):
		articles.add_feedback(state["article"], False) if _readable(state["article"], conv) else None
		_save(conv, {"awaiting": "offer_ticket", "problem": state.get("problem")})
		return [answer(_("Sorry about that. Shall I open a ticket for you?"), [_("Yes"), _("No")])]
	_save(conv, {})
	return dispatch(conv, text, intents.classify(text))


def offer_ticket(conv, state: dict, text: str) -> list[dict]:
	if intents.YES.search(text):
		return ask_ticket_details(conv, {})
	_save(conv, {})
	if intents.NO.search(text):
		return [answer(_('All right. Ask me anything else, or type "talk to a person".'))]
	return dispatch(conv, text, intents.classify(text))


def ask_step(conv, flow: str, step_id: str) -> list[dict]:
	step = flows.step(flow, step_id)
	_save(conv, {"awaiting": "flow", "flow": flow, "step": step_id})
	link = None
	if step["article"]:
		title, route = frappe.db.get_value("Help Article", step["article"], ["title", "route"]) or (
			None,
			None,
		)
		if route:
			link = {"label": title, "url": articles.article_url(route)}
	return [answer(step["question"], [a for a, _goes in step["answers"]], link)]


def flow_answer(conv, state: dict, text: str) -> list[dict]:
	goes_to = flows.next_step(state["flow"], state["step"], text)
	if goes_to is None:
		step = flows.step(state["flow"], state["step"])
		return [answer(_("Please choose one of the answers."), [a for a, _goes in step["answers"]])]
	if goes_to.lower() == flows.SOLVED:
		_save(conv, {})
		return [answer(_("Great, glad it is solved! Anything else?"))]
	if goes_to.lower() == flows.TICKET:
		return ask_ticket_details(conv, {})
	return ask_step(conv, state["flow"], goes_to)


# -- appointments ---------------------------------------------------------------------------------------


def offer_slots(conv) -> list[dict]:
	from support_plus.dispatch.appointments import free_slots

	if not _logged_in(conv) and not conv.guest_email:
		_save(conv, {"awaiting": "contact", "then": "subject"})
		return [answer(_("To book a visit I need your email address first."))]
	slots = free_slots(days=7, duration_minutes=60)[:3]
	if not slots:
		return [
			answer(
				_("No visit slots are free in the next week. Shall I open a ticket instead?"),
				[_("Yes"), _("No")],
			)
		]
	labels = [frappe.utils.format_datetime(s["start"], "EEE d MMM, HH:mm") for s in slots]
	_save(
		conv,
		{"awaiting": "slot", "slots": [[str(s["start"]), str(s["end"]), s["technician"]] for s in slots]},
	)
	return [answer(_("These visit times are free. Which one suits you?"), labels)]


def choose_slot(conv, state: dict, text: str) -> list[dict]:
	slots = state.get("slots") or []
	labels = [frappe.utils.format_datetime(start, "EEE d MMM, HH:mm") for start, _end, _tech in slots]
	reply = (text or "").strip()
	index = (
		int(reply) - 1
		if reply.isdigit()
		else next((i for i, label in enumerate(labels) if label.lower() == reply.lower()), -1)
	)
	if not 0 <= index < len(slots):
		return [answer(_("Please choose one of the times."), labels)]
	start, end, technician = slots[index]
	if not conversations.active_ticket(conv.issue):
		open_ticket(
			conv,
			_("Visit booked in the chat"),
			_("The customer booked a visit for {0}.").format(labels[index]),
		)
		conv.reload()
	frappe.db.savepoint("support_plus_chat_booking")
	try:
		appointment = frappe.get_doc(
			{
				"doctype": "Service Appointment",
				"issue": conv.issue,
				"technician": technician,
				"scheduled_start": start,
				"scheduled_end": end,
			}
		).insert(ignore_permissions=True)  # the slot was offered to this customer; the booking rules apply
	except frappe.ValidationError:  # taken meanwhile: offer what is free now
		frappe.db.rollback(save_point="support_plus_chat_booking")
		frappe.clear_messages()
		return [answer(_("That time was just taken.")), *offer_slots(conv)]
	_save(conv, {})
	confirm_booking(conv, appointment, labels[index])
	return [answer(_("Booked: {0}. We sent you a confirmation by email.").format(labels[index]))]


def confirm_booking(conv, appointment, when: str) -> None:
	recipient = _identity(conv)[0]
	if recipient:
		frappe.sendmail(
			recipients=[recipient],
			subject=_("Your visit on {0} (ticket {1})").format(when, conv.issue),
			message=_("We booked a technician's visit for {0} on ticket {1}. Follow it here: {2}").format(
				when, conv.issue, portal_link(conv.issue)
			),
			reference_doctype="Service Appointment",
			reference_name=appointment.name,
		)


# -- helpers -----------------------------------------------------------------------------------------


def _logged_in(conv) -> bool:
	return bool(conv.user and conv.user != "Guest")


def _known(conv) -> bool:
	"""A logged-in customer, or a WhatsApp/SMS sender whose number is a Contact's (WhatsApp vouches for
	the number; the contact's own tickets are theirs)."""
	return _logged_in(conv) or bool(
		conv.channel in (conversations.WHATSAPP, conversations.SMS) and conv.contact
	)


def _sees(conv, doc) -> bool:
	if _logged_in(conv):
		return access.can_see(doc, conv.user)
	return bool(conv.contact and doc.contact == conv.contact)


def _identity(conv) -> tuple[str | None, str | None, str | None]:
	"""(raised_by, contact, customer): a logged-in customer's own; a guest's email only (not trusted to
	name a contact or a customer)."""
	if _logged_in(conv):
		contacts = access.contacts_of(conv.user)
		customers = access.customers_of(conv.user, contacts)
		return conv.user, (contacts[0] if contacts else None), (customers[0] if customers else None)
	return conv.guest_email, None, None


def _readable(article: str, conv) -> bool:
	audience = frappe.db.get_value("Help Article", article, "portal_audience") or articles.EVERYONE
	return audience in articles.audiences(conv.user or "Guest")


def _save(conv, state: dict) -> None:
	conv.db_set("assistant_state", json.dumps(state) if state else None, update_modified=False)


WAITING = {
	"ticket_number": lambda conv, state, text: ticket_status(conv, {}, text),
	"status_email": lambda conv, state, text: ticket_status(
		conv, {**state, "email": intents.email(text) or text.strip()}, text
	),
	"contact": got_contact,
	"subject": got_subject,
	"description": got_description,
	"kb_feedback": kb_feedback,
	"offer_ticket": offer_ticket,
	"flow": flow_answer,
	"slot": choose_slot,
}
