"""The OpenAPI 3 document of API v1, built from the same names the endpoints use.

Served by `support_plus.api.v1.openapi` (GET, no login needed: it holds no data). Each endpoint is a
Frappe whitelisted method under /api/method/; Frappe wraps what it returns as {"message": ...} and
answers errors as {"exc_type", "exception", "_server_messages"} with a 4xx status.
"""

from support_plus.api.v1 import params, sla_policies, tickets
from support_plus.tickets.lifecycle import STATUSES

BASE = "/api/method/support_plus.api.v1."
HEALTH = ["On Track", "At Risk", "Breached", None]


def _string(nullable: bool = False, **extra) -> dict:
	return {"type": "string", **({"nullable": True} if nullable else {}), **extra}


def _time(nullable: bool = True) -> dict:
	return _string(nullable, format="date-time")


def _object(properties: dict, required: list | None = None, **extra) -> dict:
	return {
		"type": "object",
		"properties": properties,
		"required": list(properties) if required is None else required,
		"additionalProperties": False,
		**extra,
	}


def _page_of(schema_ref: str) -> dict:
	return _object(
		{
			"data": {"type": "array", "items": {"$ref": schema_ref}},
			"page": {"type": "integer", "minimum": 1},
			"page_size": {"type": "integer", "minimum": 1, "maximum": params.MAX_PAGE_SIZE},
			"has_more": {"type": "boolean"},
		}
	)


SCHEMAS = {
	"Ticket": _object(
		{
			"id": _string(),
			"subject": _string(),
			"description": _string(),
			"status": {"type": "string", "enum": list(STATUSES)},
			"priority": _string(True),
			"type": _string(True),
			"channel": _string(True),
			"customer": _string(True),
			"contact": _string(True),
			"raised_by": _string(True),
			"team": _string(True),
			"serial_no": _string(True),
			"assignees": {"type": "array", "items": _string()},
			"resolution": _string(),
			"created_at": _time(False),
			"updated_at": _time(False),
			"first_responded_at": _time(),
			"resolved_at": _time(),
			"sla": _object(
				{
					"policy": _string(True),
					"health": _string(True, enum=HEALTH),
					"response_due_at": _time(),
					"resolution_due_at": _time(),
				}
			),
		}
	),
	"TicketPage": _page_of("#/components/schemas/Ticket"),
	"SlaPolicy": _object(
		{
			"id": _string(),
			"name": _string(),
			"enabled": {"type": "boolean"},
			"is_default": {"type": "boolean"},
			"default_priority": _string(True),
			"holiday_list": _string(True),
			"timezone": _string(True),
			"applies_to": _object(
				{"type": _string(enum=list(sla_policies.ENTITY_TYPES)), "name": _string()}, nullable=True
			),
			"valid_from": _string(True, format="date"),
			"valid_to": _string(True, format="date"),
			"priorities": {
				"type": "array",
				"items": _object(
					{
						"priority": _string(),
						"response_minutes": {"type": "integer", "minimum": 0},
						"resolution_minutes": {"type": "integer", "minimum": 0},
						"is_default": {"type": "boolean"},
					}
				),
			},
			"working_hours": {
				"type": "array",
				"items": _object(
					{
						"weekday": _string(enum=list(sla_policies.WEEKDAYS)),
						"start": _string(pattern="^[0-2][0-9]:[0-5][0-9]$"),
						"end": _string(pattern="^[0-2][0-9]:[0-5][0-9]$"),
					}
				),
			},
			"pause_on": {"type": "array", "items": _string()},
			"fulfilled_on": {"type": "array", "items": _string()},
		}
	),
	"SlaPolicyPage": _page_of("#/components/schemas/SlaPolicy"),
	"ChatMessage": _object(
		{
			"direction": _string(enum=["Inbound", "Outbound"]),
			"from": _string(enum=["Customer", "Assistant", "Agent"]),
			"text": _string(),
			"options": {"type": "array", "items": _string()},
			"link": _object({"label": _string(True), "url": _string()}, nullable=True),
			"sent_at": _time(),
		}
	),
	"Conversation": _object(
		{
			"id": _string(),
			"secret": _string(True),
			"status": _string(enum=["Open", "Handed Over", "Closed"]),
			"ticket": _string(True),
			"messages": {"type": "array", "items": {"$ref": "#/components/schemas/ChatMessage"}},
		},
		required=["id", "status", "messages"],
	),
	"SlaClock": _object(
		{
			"due_at": _time(),
			"done_at": _time(),
			"met": {"type": "boolean"},
			"breached": {"type": "boolean"},
		}
	),
	"SlaStatus": _object(
		{
			"ticket": _string(),
			"policy": _string(True),
			"status": {"type": "string", "enum": list(STATUSES)},
			"health": _string(True, enum=HEALTH),
			"paused": {"type": "boolean"},
			"paused_since": _time(),
			"response": {"$ref": "#/components/schemas/SlaClock"},
			"resolution": {"$ref": "#/components/schemas/SlaClock"},
		}
	),
	"Error": {
		"type": "object",
		"description": "Frappe's error answer; `_server_messages` is a JSON list of JSON messages.",
		"properties": {
			"exc_type": _string(),
			"exception": _string(),
			"exc": _string(),
			"_server_messages": _string(),
			"_error_message": _string(),
		},
	},
}


def _wrapped(ref: str) -> dict:
	"""Frappe's answer: the result under "message", beside which Frappe may put its own keys (e.g.
	`session_expired` when a stale session cookie came with the request)."""
	return {
		"content": {
			"application/json": {
				"schema": {
					"type": "object",
					"properties": {"message": {"$ref": f"#/components/schemas/{ref}"}},
					"required": ["message"],
				}
			}
		}
	}


def _responses(ref: str) -> dict:
	return {
		"200": {"description": "OK", **_wrapped(ref)},
		"4XX": {
			"description": "Refused: bad input (400, 417), not logged in or not permitted (401, 403), "
			"not found (404), conflict (409), too many requests (429).",
			"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
		},
	}


def _query(name: str, schema: dict, required: bool = False, description: str = "") -> dict:
	return {"name": name, "in": "query", "required": required, "schema": schema, "description": description}


PAGING = [
	_query("page", {"type": "integer", "minimum": 1, "default": 1}),
	_query("page_size", {"type": "integer", "minimum": 1, "maximum": params.MAX_PAGE_SIZE, "default": 20}),
]
TICKET_FIELDS_IN = {
	"description": _string(description="Text or HTML"),
	"priority": _string(description="An Issue Priority"),
	"type": _string(description="An Issue Type"),
	"customer": _string(),
	"contact": _string(),
	"team": _string(description="A Support Team"),
	"serial_no": _string(),
}


def _body(properties: dict, required: list[str]) -> dict:
	return {
		"required": True,
		"content": {
			"application/json": {"schema": {"type": "object", "properties": properties, "required": required}}
		},
	}


def _operation(method: str, operation_id: str, summary: str, ref: str, **rest) -> dict:
	return {
		method: {
			"operationId": operation_id,
			"summary": summary,
			"tags": [operation_id.split(".")[0]],
			**rest,
			"responses": _responses(ref),
		}
	}


PATHS = {
	BASE + "tickets.list": _operation(
		"get",
		"tickets.list",
		"List the tickets the caller may read",
		"TicketPage",
		parameters=[
			_query("status", {"type": "string", "enum": list(STATUSES)}),
			_query("priority", _string()),
			_query("customer", _string()),
			_query("team", _string()),
			_query("type", _string()),
			_query("assignee", _string(), description="A user (email) among the assignees"),
			_query("q", _string(), description="Words in the subject"),
			_query("created_from", _string(format="date-time")),
			_query("created_to", _string(format="date-time")),
			_query("updated_since", _string(format="date-time")),
			_query("order", {"type": "string", "enum": list(tickets.ORDERS), "default": "-created_at"}),
			*PAGING,
		],
	),
	BASE + "tickets.get": _operation(
		"get",
		"tickets.get",
		"One ticket (404 when missing or not readable by the caller)",
		"Ticket",
		parameters=[_query("id", _string(minLength=1), required=True, description="The ticket number")],
	),
	BASE + "tickets.create": _operation(
		"post",
		"tickets.create",
		"Open a ticket",
		"Ticket",
		requestBody=_body(
			{
				"subject": _string(minLength=1),
				**TICKET_FIELDS_IN,
				"raised_by": _string(format="email"),
				"channel": _string(description="One of the Issue's channels"),
			},
			["subject"],
		),
	),
	BASE + "tickets.update": _operation(
		"post",
		"tickets.update",
		"Change a ticket's fields or status (also accepted as PUT)",
		"Ticket",
		requestBody=_body(
			{
				"id": _string(minLength=1),
				"subject": _string(),
				**TICKET_FIELDS_IN,
				"status": {"type": "string", "enum": list(STATUSES)},
				"cancel_reason": _string(description="Required with status Cancelled"),
			},
			["id"],
		),
	),
	BASE + "tickets.assign": _operation(
		"post",
		"tickets.assign",
		"Assign a ticket to a user, or to the best technician when no user is given",
		"Ticket",
		requestBody=_body(
			{
				"id": _string(minLength=1),
				"user": _string(description="A desk user (email); left out: automatic routing"),
				"override_reason": _string(description="A Support Manager exceeding a technician's capacity"),
			},
			["id"],
		),
	),
	BASE + "tickets.resolve": _operation(
		"post",
		"tickets.resolve",
		"Resolve a ticket",
		"Ticket",
		requestBody=_body({"id": _string(minLength=1), "resolution": _string()}, ["id"]),
	),
	BASE + "sla_policies.list": _operation(
		"get",
		"sla_policies.list",
		"List the SLA policies for tickets",
		"SlaPolicyPage",
		parameters=[_query("enabled", {"type": "boolean"}), *PAGING],
	),
	BASE + "sla_policies.create": _operation(
		"post",
		"sla_policies.create",
		"Create an SLA policy (Support Manager)",
		"SlaPolicy",
		requestBody=_body(
			{
				"name": _string(minLength=1),
				"holiday_list": _string(minLength=1),
				"priorities": {
					"type": "array",
					"minItems": 1,
					"items": {
						"type": "object",
						"properties": {
							"priority": _string(),
							"response_minutes": {"type": "integer", "minimum": 1},
							"resolution_minutes": {"type": "integer", "minimum": 1},
						},
						"required": ["priority", "response_minutes", "resolution_minutes"],
					},
				},
				"working_hours": {
					"type": "array",
					"minItems": 1,
					"items": {
						"type": "object",
						"properties": {
							"weekday": _string(enum=list(sla_policies.WEEKDAYS)),
							"start": _string(pattern="^[0-2][0-9]:[0-5][0-9]$"),
							"end": _string(pattern="^[0-2][0-9]:[0-5][0-9]$"),
						},
						"required": ["weekday", "start", "end"],
					},
				},
				"default_priority": _string(),
				"timezone": _string(description="An IANA time zone, e.g. Europe/Berlin"),
				"is_default": {"type": "boolean"},
				"applies_to": {
					"type": "object",
					"properties": {
						"type": _string(enum=list(sla_policies.ENTITY_TYPES)),
						"name": _string(),
					},
					"required": ["type", "name"],
				},
				"pause_on": {"type": "array", "items": {"type": "string", "enum": list(STATUSES)}},
				"fulfilled_on": {"type": "array", "items": {"type": "string", "enum": list(STATUSES)}},
				"valid_from": _string(format="date"),
				"valid_to": _string(format="date"),
			},
			["name", "holiday_list", "priorities", "working_hours"],
		),
	),
	BASE + "chatbot.start": _operation(
		"post",
		"chatbot.start",
		"Start a conversation with the chat assistant (guests too; keep the secret it returns)",
		"Conversation",
		requestBody=_body({"name": _string(), "email": _string(format="email")}, []),
		security=[{}, {"token": []}, {"session": []}],
	),
	BASE + "chatbot.send": _operation(
		"post",
		"chatbot.send",
		"Send a message; the assistant's answers (none once a person has taken over)",
		"Conversation",
		requestBody=_body(
			{"id": _string(minLength=1), "text": _string(minLength=1, maxLength=2000), "secret": _string()},
			["id", "text"],
		),
		security=[{}, {"token": []}, {"session": []}],
	),
	BASE + "chatbot.get": _operation(
		"get",
		"chatbot.get",
		"A conversation's history",
		"Conversation",
		parameters=[_query("id", _string(minLength=1), required=True), _query("secret", _string())],
		security=[{}, {"token": []}, {"session": []}],
	),
	BASE + "sla_tracking.get": _operation(
		"get",
		"sla_tracking.get",
		"Where a ticket stands against its SLA now",
		"SlaStatus",
		parameters=[_query("ticket_id", _string(minLength=1), required=True)],
	),
}


def document(server_url: str | None = None) -> dict:
	return {
		"openapi": "3.0.3",
		"info": {
			"title": "support_plus service desk API",
			"version": "1.0.0",
			"description": "Tickets, SLA policies and SLA tracking of support_plus. Authenticate with a "
			"Frappe API key (`Authorization: token <api_key>:<api_secret>`) or a login session; the "
			"desk's permissions apply.",
		},
		**({"servers": [{"url": server_url}]} if server_url else {}),
		"paths": PATHS,
		"components": {
			"schemas": SCHEMAS,
			"securitySchemes": {
				"token": {"type": "apiKey", "in": "header", "name": "Authorization"},
				"session": {"type": "apiKey", "in": "cookie", "name": "sid"},
			},
		},
		"security": [{"token": []}, {"session": []}],
	}
