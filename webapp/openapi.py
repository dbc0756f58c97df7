"""The OpenAPI 3.1 document of ``/api/v1``.

The sync request schema is generated from the pydantic models that validate it,
so the document cannot drift from what the server accepts.
"""

from __future__ import annotations

from functools import cache

from webapp import openapi_calls, openapi_push
from webapp.domain.outcomes import OUTCOME_CODES
from webapp.services.sync import MAX_BATCH_ITEMS, SyncBatch

REF = "#/components/schemas/{model}"

ERROR = {
    "type": "object",
    "required": ["error", "message"],
    "properties": {
        "error": {"type": "string", "description": "A short machine-readable code."},
        "message": {"type": "string", "description": "What went wrong, in words for a person."},
    },
}

TODAY = {
    "type": "object",
    "required": ["date", "dials", "points", "by_outcome"],
    "properties": {
        "date": {"type": "string", "format": "date", "description": "The rep's local date."},
        "dials": {"type": "integer"},
        "points": {"type": "integer"},
        "by_outcome": {
            "type": "object",
            "required": list(OUTCOME_CODES),
            "properties": {code: {"type": "integer"} for code in OUTCOME_CODES},
        },
    },
}

ITEM_RESULT = {
    "type": "object",
    "required": ["client_id", "kind", "status"],
    "properties": {
        "client_id": {"type": "string", "format": "uuid"},
        "kind": {"type": "string", "enum": ["tap", "undo"]},
        "status": {"type": "string", "enum": ["accepted", "duplicate", "rejected"]},
        "reason": {"type": "string", "description": "Why a rejected item was refused."},
    },
}

SYNC_RESULT = {
    "type": "object",
    "required": ["results", "today"],
    "properties": {
        "results": {"type": "array", "items": {"$ref": REF.format(model="ItemResult")}},
        "today": {"$ref": REF.format(model="Today")},
    },
}

CSRF = {
    "type": "object",
    "required": ["csrf_token", "authenticated"],
    "properties": {
        "csrf_token": {"type": "string"},
        "authenticated": {"type": "boolean"},
        "user_id": {"type": "integer", "description": "The logged-in rep, when there is one."},
    },
}

LEADERBOARD = {
    "type": "object",
    "required": ["team_id", "period", "metric", "from", "to", "rows", "personal_bests"],
    "properties": {
        "team_id": {"type": "integer"},
        "mode": {
            "type": "string",
            "enum": ["near_me", "full", "private"],
            "description": "How the coach chose to show the team's boards; the rows follow it.",
        },
        "period": {"type": "string", "enum": ["today", "week", "month"]},
        "metric": {"type": "string", "enum": ["points", "dials", "conversations", "meetings", "goal", "improved"]},
        "from": {"type": "string", "format": "date", "description": "First day of the period, in the team's timezone."},
        "to": {"type": "string", "format": "date", "description": "Last day of the period."},
        "rows": {
            "type": "array",
            "description": "Best first; equal values share a rank. Members in private mode are left out.",
            "items": {
                "type": "object",
                "required": ["rank", "display_name", "value", "dialer_calls"],
                "properties": {
                    "rank": {
                        "type": ["integer", "null"],
                        "minimum": 1,
                        "description": "null on the viewer's own row when the team's boards are private.",
                    },
                    "display_name": {"type": "string"},
                    "value": {"type": "integer"},
                    "dialer_calls": {
                        "type": "integer",
                        "minimum": 0,
                        "description": "Of the period's dials, those a dialer or the API logged.",
                    },
                },
            },
        },
        "personal_bests": {
            "type": "array",
            "description": "Every member's best day of dials, whatever the board mode (members in private mode "
            "are left out, except the viewer); new bests this week first.",
            "items": {
                "type": "object",
                "required": ["display_name", "best_day_dials", "new_this_week"],
                "properties": {
                    "display_name": {"type": "string"},
                    "best_day_dials": {"type": "integer", "minimum": 0},
                    "new_this_week": {"type": "boolean"},
                },
            },
        },
    },
}


def _error_response(description: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": REF.format(model="Error")}}},
    }


def _json_response(description: str, model: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": REF.format(model=model)}}},
    }


_COUNT = {"type": "integer", "minimum": 0}
SUMMARY = {
    "type": "object",
    "required": ["level", "xp", "xp_to_next_level", "streak", "goals", "badges"],
    "properties": {
        "level": {"type": "integer", "minimum": 1},
        "xp": {"type": "integer"},
        "xp_to_next_level": _COUNT,
        "streak": {
            "type": "object",
            "required": [
                "current",
                "longest",
                "freezes_banked",
                "today_met",
                "dials_to_keep",
                "minimum",
                "working_today",
                "time_off_today",
                "hidden",
                "repair",
            ],
            "properties": {
                "current": _COUNT,
                "longest": _COUNT,
                "freezes_banked": _COUNT,
                "today_met": {"type": "boolean", "description": "Today counts: the minimum reached (or the goal)."},
                "dials_to_keep": _COUNT,
                "minimum": {"type": "integer", "minimum": 1, "description": "Dials a day that keep the streak."},
                "working_today": {"type": "boolean"},
                "time_off_today": {"type": "boolean"},
                "hidden": {"type": "boolean", "description": "The rep hides the streak on their screens."},
                "repair": {
                    "description": "A streak broken yesterday that twice the minimum today wins back; null if none.",
                    "oneOf": [
                        {"type": "null"},
                        {
                            "type": "object",
                            "required": ["missed_on", "streak", "dials", "dials_needed", "repaired_today"],
                            "properties": {
                                "missed_on": {"type": "string", "format": "date"},
                                "streak": {"type": "integer", "minimum": 1},
                                "dials": {"type": "integer", "minimum": 2},
                                "dials_needed": _COUNT,
                                "repaired_today": {"type": "boolean"},
                            },
                        },
                    ],
                },
            },
        },
        "goals": {
            "type": "object",
            "additionalProperties": {
                "type": "object",
                "required": ["done", "target", "met"],
                "properties": {"done": _COUNT, "target": {"type": "integer", "minimum": 1}, "met": {"type": "boolean"}},
            },
        },
        "badges": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["code", "name", "earned_on"],
                "properties": {
                    "code": {"type": "string"},
                    "name": {"type": "string"},
                    "earned_on": {"type": "string", "format": "date"},
                },
            },
        },
    },
}


@cache
def document() -> dict:
    """The whole document, built once per process."""
    batch_schema = SyncBatch.model_json_schema(ref_template=REF)
    schemas = batch_schema.pop("$defs", {})
    schemas.update(
        SyncBatch=batch_schema,
        ItemResult=ITEM_RESULT,
        SyncResult=SYNC_RESULT,
        Today=TODAY,
        Summary=SUMMARY,
        Csrf=CSRF,
        Error=ERROR,
        Leaderboard=LEADERBOARD,
    )
    schemas.update(openapi_calls.schemas())
    schemas.update(openapi_push.schemas())
    unauthorized = _error_response("Not logged in.")
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Closer API",
            "version": "1",
            "description": "Today's totals, offline sync, and calls from a dialer or a CRM. Requests use "
            "a personal API token (Authorization: Bearer closer_pat_..., made in Settings; a read token "
            "cannot change anything) or the browser session, whose state-changing requests also need "
            "the header X-CSRFToken, fetched from /api/v1/csrf.",
        },
        "servers": [{"url": "/"}],
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                "session": {"type": "apiKey", "in": "cookie", "name": "session"},
                "bearer": {"type": "http", "scheme": "bearer", "description": "A personal API token."},
            },
        },
        "paths": {
            **openapi_calls.paths(_error_response, _json_response),
            **openapi_push.paths(_error_response, _json_response),
            "/api/v1/teams/{team_id}/leaderboard": {
                "get": {
                    "operationId": "teamLeaderboard",
                    "summary": "The ranked rows of a team board: rank, display name, value.",
                    "security": openapi_calls.SECURITY,
                    "parameters": [
                        {"name": "team_id", "in": "path", "required": True, "schema": {"type": "integer"}},
                        {
                            "name": "period",
                            "in": "query",
                            "schema": LEADERBOARD["properties"]["period"] | {"default": "week"},
                        },
                        {
                            "name": "metric",
                            "in": "query",
                            "schema": LEADERBOARD["properties"]["metric"] | {"default": "points"},
                        },
                    ],
                    "responses": {
                        "200": _json_response("The board, as the team page ranks it.", "Leaderboard"),
                        "400": _error_response("An unknown period or metric."),
                        "401": unauthorized,
                        "404": _error_response("Not a team of yours (another team's board is never shown)."),
                    },
                }
            },
            "/api/v1/me/today": {
                "get": {
                    "operationId": "meToday",
                    "summary": "Today's dials, points and count per outcome.",
                    "security": openapi_calls.SECURITY,
                    "responses": {
                        "200": _json_response("Today's totals.", "Today"),
                        "401": unauthorized,
                    },
                }
            },
            "/api/v1/me/summary": {
                "get": {
                    "operationId": "meSummary",
                    "summary": "Level, XP, streak, today's goal progress and badges earned.",
                    "security": openapi_calls.SECURITY,
                    "responses": {
                        "200": _json_response("The rep's game.", "Summary"),
                        "401": unauthorized,
                    },
                }
            },
            "/api/v1/csrf": {
                "get": {
                    "operationId": "csrfToken",
                    "summary": "A fresh CSRF token for this session.",
                    "responses": {"200": _json_response("A token to send as X-CSRFToken.", "Csrf")},
                }
            },
            "/api/v1/sync": {
                "post": {
                    "operationId": "sync",
                    "summary": "Apply queued taps and undos, each exactly once.",
                    "description": f"Items are applied in order; at most {MAX_BATCH_ITEMS} per request. "
                    "A repeated client_id is a duplicate success. An undo of an id the server has "
                    "never seen records it already undone, so the tap arriving later is a no-op. "
                    "Needs the header X-CSRFToken.",
                    "security": openapi_calls.SECURITY,
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": {"$ref": REF.format(model="SyncBatch")}}},
                    },
                    "responses": {
                        "200": _json_response("What happened to each item, and today's totals.", "SyncResult"),
                        "400": _error_response("Not JSON, or a missing or expired CSRF token."),
                        "401": unauthorized,
                        "413": _error_response("The body is too large."),
                        "422": _error_response("The JSON does not match the schema; nothing was written."),
                    },
                }
            },
        },
    }
