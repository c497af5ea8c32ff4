"""Troubleshooting Flows: a small decision tree of questions whose answers lead to another question, to
"solved", or to "ticket" (a ticket opened with the conversation as its description)."""

import frappe

SOLVED, TICKET = "solved", "ticket"


def matching_flow(text: str) -> str | None:
	"""The enabled flow one of whose keywords the message contains (the longest keyword wins)."""
	text = (text or "").lower()
	best, best_length = None, 0
	for row in frappe.get_all("Troubleshooting Flow", filters={"enabled": 1}, fields=["name", "keywords"]):
		for keyword in (k.strip().lower() for k in (row.keywords or "").replace("\n", ",").split(",")):
			if keyword and keyword in text and len(keyword) > best_length:
				best, best_length = row.name, len(keyword)
	return best


def step(flow: str, step_id: str) -> dict:
	"""{"question", "article", "answers": [(answer, goes_to)]}"""
	doc = frappe.get_cached_doc("Troubleshooting Flow", flow)
	row = next(r for r in doc.steps if r.step == step_id)
	return {
		"question": row.question,
		"article": row.article,
		"answers": [(o.answer, o.goes_to) for o in doc.options if o.step == step_id],
	}


def first_step(flow: str) -> str:
	return frappe.get_cached_doc("Troubleshooting Flow", flow).first_step


def next_step(flow: str, step_id: str, reply: str) -> str | None:
	"""Where the customer's reply leads: the answer typed (or its number in the list); None if neither."""
	answers = step(flow, step_id)["answers"]
	reply = (reply or "").strip().lower().rstrip(".!")
	if reply.isdigit() and 1 <= int(reply) <= len(answers):
		return answers[int(reply) - 1][1]
	for answer, goes_to in answers:
		if reply == answer.strip().lower():
			return goes_to
	for answer, goes_to in answers:
		if answer.strip().lower() in reply:
			return goes_to
	return None
