"""The OpenAPI description of calls from a dialer or a CRM: ``/api/v1/calls``, with examples.

Its request schemas come from the pydantic models that validate the bodies.
"""

from __future__ import annotations

from webapp.services.integrations.api_calls import MAX_CALLS, MAX_PAGE, CallBatch, CallIn

REF = "#/components/schemas/{model}"
SECURITY = [{"bearer": []}, {"session": []}]

CURL_ONE = (
    "curl -X POST https://closer.example.com/api/v1/calls \\\n"
    '  -H "Authorization: Bearer closer_pat_..." -H "Content-Type: application/json" \\\n'
    '  -d \'{"outcome": "meeting", "client_id": "1700000000.12345"}\''
)
CURL_LIST = (
    'curl -H "Authorization: Bearer closer_pat_..." \\\n'
    '  "https://closer.example.com/api/v1/calls?from=2026-12-01&to=2026-12-07&limit=100"'
)

CALL_OUT = {
    "type": "object",
    "required": ["client_id", "outcome", "occurred_at", "local_date", "points", "source"],
    "properties": {
        "client_id": {"type": "string", "format": "uuid"},
        "outcome": {"type": "string"},
        "occurred_at": {"type": "string", "format": "date-time", "description": "In UTC."},
        "local_date": {"type": "string", "format": "date", "description": "The rep's day it counts on."},
        "points": {"type": "integer"},
        "source": {"type": "string", "description": "app, api, dialer or import."},
    },
}

CALL_PAGE = {
    "type": "object",
    "required": ["calls", "next_cursor"],
    "properties": {
        "calls": {"type": "array", "items": {"$ref": REF.format(model="CallOut")}},
        "next_cursor": {
            "type": ["string", "null"],
            "description": "Pass as cursor for the next page; null at the end.",
        },
    },
}


def schemas() -> dict:
    """The component schemas these paths use."""
    return {
        "CallIn": CallIn.model_json_schema(ref_template=REF),
        "CallBatch": CallBatch.model_json_schema(ref_template=REF),
        "CallOut": CALL_OUT,
        "CallPage": CALL_PAGE,
        "DialerAnswer": DIALER_ANSWER,
    }


DIALER_ANSWER = {
    "type": "object",
    "required": ["status", "code", "outcome"],
    "properties": {
        "status": {"type": "string", "enum": ["accepted", "duplicate", "pending", "rejected"]},
        "code": {"type": "string", "description": "The disposition code, upper case."},
        "outcome": {"type": ["string", "null"], "description": "What it was logged as; null while unmapped."},
        "reason": {"type": "string"},
    },
}
CURL_DIALER = (
    'curl "https://closer.example.com/api/v1/dialer/closer_pat_.../disposition?dispo=NI&call_id=1700000000.12345"'
)


def _dialer_path(error_response, json_response) -> dict:
    query = [
        {"name": "dispo", "in": "query", "required": True, "schema": {"type": "string"}, "example": "NI"},
        {"name": "call_id", "in": "query", "required": True, "schema": {"type": "string"}, "example": "1700000000.1"},
        {
            "name": "occurred_at",
            "in": "query",
            "schema": {"type": "string"},
            "description": "Unix seconds or ISO 8601.",
        },
    ]
    return {
        "get": {
            "operationId": "dialerDisposition",
            "summary": "A dialer's disposition URL (VICIdial's Dispo Call URL): log a call by the dialer's own code.",
            "description": "The token (read and write) is in the path, for dialers that can only call a URL. "
            "The rep's mapping (Settings) turns the code into an outcome; an unmapped code is kept, answered "
            "pending, and logged once the rep maps it. VICIdial: "
            "dispo=--A--dispo--B--&call_id=--A--uniqueid--B--.\n\n```\n" + CURL_DIALER + "\n```",
            "security": [],
            "parameters": [
                {"name": "dialer_token", "in": "path", "required": True, "schema": {"type": "string"}},
                *query,
            ],
            "responses": {
                "200": json_response("What happened to the call.", "DialerAnswer"),
                "401": error_response("An unknown or revoked token."),
                "403": error_response("A read-only token."),
                "422": error_response("No call id, or a code or time that is not one."),
                "429": error_response("Too many requests with this token."),
            },
        }
    }


def paths(error_response, json_response) -> dict:
    """The ``/api/v1/calls`` and dialer path items."""
    unauthorized = error_response("No session, or an unknown or revoked token.")
    return {
        "/api/v1/dialer/{dialer_token}/disposition": _dialer_path(error_response, json_response),
        "/api/v1/calls": {
            "post": {
                "operationId": "logCalls",
                "summary": "Log one call or a batch from a dialer or a CRM, each exactly once.",
                "description": f'Send one call, or up to {MAX_CALLS} as {{"calls": [...]}}. Each call needs a '
                "client_id (the dialer's own call id, any text) unless the request has an Idempotency-Key "
                "header: then the n-th call's id is derived from the key and n, so a retried request "
                "counts nothing twice. Answers per item like /api/v1/sync.\n\n```\n" + CURL_ONE + "\n```",
                "security": SECURITY,
                "parameters": [
                    {
                        "name": "Idempotency-Key",
                        "in": "header",
                        "required": False,
                        "schema": {"type": "string", "minLength": 1, "maxLength": 200},
                        "description": "Makes the whole request safe to retry.",
                    }
                ],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "oneOf": [{"$ref": REF.format(model="CallIn")}, {"$ref": REF.format(model="CallBatch")}]
                            },
                            "examples": {
                                "one": {"value": {"outcome": "meeting", "client_id": "1700000000.12345"}},
                                "batch": {
                                    "value": {
                                        "calls": [
                                            {"outcome": "no_answer", "client_id": "c-1001"},
                                            {
                                                "outcome": "sale",
                                                "client_id": "c-1002",
                                                "occurred_at": "2026-12-01T10:15:00+01:00",
                                            },
                                        ]
                                    }
                                },
                            },
                        }
                    },
                },
                "responses": {
                    "200": json_response("What happened to each call, and today's totals.", "SyncResult"),
                    "400": error_response("Not JSON, a bad Idempotency-Key, or (with a session) no CSRF token."),
                    "401": unauthorized,
                    "403": error_response("A read-only token."),
                    "413": error_response("The body is too large."),
                    "422": error_response("The JSON does not match the schema; nothing was written."),
                    "429": error_response("Too many requests with this token."),
                },
            },
            "get": {
                "operationId": "listCalls",
                "summary": "The rep's calls between two dates or times, oldest first, page by page.",
                "description": "Undone calls are left out. Dates are the rep's own days (inclusive); "
                "times need a UTC offset (from inclusive, to exclusive).\n\n```\n" + CURL_LIST + "\n```",
                "security": SECURITY,
                "parameters": [
                    {"name": "from", "in": "query", "schema": {"type": "string"}, "example": "2026-12-01"},
                    {"name": "to", "in": "query", "schema": {"type": "string"}, "example": "2026-12-07"},
                    {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE}},
                    {"name": "cursor", "in": "query", "schema": {"type": "string"}},
                ],
                "responses": {
                    "200": json_response("A page of calls.", "CallPage"),
                    "400": error_response("A bad date, limit or cursor."),
                    "401": unauthorized,
                    "429": error_response("Too many requests with this token."),
                },
            },
        },
    }
