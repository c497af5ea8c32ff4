"""What a chat message asks for, by rules (word patterns), checked in a fixed order."""

import re

CANCEL, HUMAN, STATUS, MY_TICKETS, NEW_TICKET, BOOKING, HOURS = (
	"cancel",
	"human",
	"status",
	"my_tickets",
	"new_ticket",
	"booking",
	"hours",
)
TICKET_NUMBER = re.compile(r"\b([A-Z]{1,6}-?\d{4,})\b", re.IGNORECASE)
EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(\.[\w-]+)+")
PATTERNS = (
	(CANCEL, r"^\s*(cancel|stop|start over|restart|never ?mind)\s*[.!]?\s*$"),
	(HUMAN, r"\b(human|real person|a person|agent|operator|someone|talk to|speak to|representative)\b"),
	(MY_TICKETS, r"\b(my tickets|my requests|my cases|my open tickets)\b"),
	(STATUS, r"\b(status|progress|update on|where is my|what happened to)\b"),
	(
		NEW_TICKET,
		r"\b(new ticket|open a ticket|create a ticket|raise a ticket|submit a ticket|report a problem|open a case|log a ticket)\b",
	),
	(
		BOOKING,
		r"\b(appointment|book a visit|schedule a visit|technician visit|book a technician|visit slot)\b",
	),
	(HOURS, r"\b(opening hours|business hours|support hours|when are you open|are you open|open today)\b"),
)
YES = re.compile(r"^\s*(yes|y|yeah|yep|sure|ok|okay|please|it did|helped)\b", re.IGNORECASE)
NO = re.compile(r"^\s*(no|n|nope|not really|didn'?t|did not|it did not)\b", re.IGNORECASE)


def ticket_number(text: str) -> str | None:
	match = TICKET_NUMBER.search(text or "")
	return match.group(1).upper().replace("-", "") if match else None


def email(text: str) -> str | None:
	match = EMAIL.search(text or "")
	return match.group(0).lower() if match else None


def classify(text: str) -> str | None:
	for intent, pattern in PATTERNS:
		if re.search(pattern, text or "", re.IGNORECASE):
			return intent
	return STATUS if ticket_number(text) else None
