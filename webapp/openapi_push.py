"""The OpenAPI description of the notification routes the page scripts call: push subscriptions and snooze.

They take the browser session (and its CSRF token), not an API token: a
subscription belongs to one browser, and a snooze to the notification it shows.
"""

from __future__ import annotations

from collections.abc import Callable

from webapp.services.notifications.devices import ENDPOINT_MAX

SESSION_ONLY = [{"session": []}]
_KEY = {"type": "string", "description": "Base64url, as PushSubscription.toJSON() gives it."}

PUSH_SUBSCRIPTION = {
    "type": "object",
    "description": "The browser's PushSubscription.toJSON().",
    "required": ["endpoint", "keys"],
    "properties": {
        "endpoint": {"type": "string", "format": "uri", "maxLength": ENDPOINT_MAX},
        "expirationTime": {"type": ["integer", "null"]},
        "keys": {
            "type": "object",
            "required": ["p256dh", "auth"],
            "properties": {
                "p256dh": _KEY | {"description": "The 65-byte public key, base64url."},
                "auth": _KEY | {"description": "The 16-byte secret, base64url."},
            },
        },
    },
}

PUSH_ENDPOINT = {
    "type": "object",
    "required": ["endpoint"],
    "properties": {"endpoint": {"type": "string", "maxLength": ENDPOINT_MAX}},
}

SUBSCRIBED = {"type": "object", "required": ["id"], "properties": {"id": {"type": "integer"}}}

SNOOZED = {
    "type": "object",
    "required": ["id", "snoozed_until"],
    "properties": {
        "id": {"type": "integer"},
        "snoozed_until": {"type": "string", "format": "date-time", "description": "In UTC, an hour from now."},
    },
}


def schemas() -> dict:
    """The component schemas these paths use."""
    return {
        "PushSubscription": PUSH_SUBSCRIPTION,
        "PushEndpoint": PUSH_ENDPOINT,
        "Subscribed": SUBSCRIBED,
        "Snoozed": SNOOZED,
    }


def _json_body(model: str) -> dict:
    return {
        "required": True,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{model}"}}},
    }


def paths(error: Callable[[str], dict], json: Callable[[str, str], dict]) -> dict:
    """The push and snooze paths; ``error`` and ``json`` make the document's response objects."""
    unauthorized = error("Not logged in.")
    no_csrf = error("A missing or expired CSRF token.")
    return {
        "/api/v1/push/subscriptions": {
            "post": {
                "operationId": "pushSubscribe",
                "summary": "Store this browser's push subscription for the logged-in rep.",
                "description": "Sent when the rep turns notifications on. A known endpoint moves to the rep "
                "logged in now, with its new keys. Needs the header X-CSRFToken.",
                "security": SESSION_ONLY,
                "requestBody": _json_body("PushSubscription"),
                "responses": {
                    "201": json("The subscription is stored.", "Subscribed"),
                    "400": no_csrf,
                    "401": unauthorized,
                    "409": error("Push is off on this server (no VAPID keys); the in-app list still works."),
                    "422": error("Not a subscription: no endpoint, not a web address, or a key of the wrong size."),
                },
            }
        },
        "/api/v1/push/subscriptions/remove": {
            "post": {
                "operationId": "pushUnsubscribe",
                "summary": "Forget this browser's subscription (the rep turned notifications off).",
                "description": "Answers 204 whether or not the endpoint was stored for the rep; another "
                "rep's subscription is never touched. Needs the header X-CSRFToken.",
                "security": SESSION_ONLY,
                "requestBody": _json_body("PushEndpoint"),
                "responses": {
                    "204": {"description": "Forgotten (or never stored for this rep)."},
                    "400": no_csrf,
                    "401": unauthorized,
                    "422": error("No endpoint in the body."),
                },
            }
        },
        "/api/v1/notifications/{item_id}/snooze": {
            "post": {
                "operationId": "snoozeNotification",
                "summary": "Snooze one of the rep's reminders for an hour.",
                "description": "The reminder comes back in an hour if it still matters then. Needs the header "
                "X-CSRFToken.",
                "security": SESSION_ONLY,
                "parameters": [
                    {
                        "name": "item_id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "integer", "minimum": 1, "maximum": 2**31 - 1},
                    }
                ],
                "responses": {
                    "200": json("Snoozed.", "Snoozed"),
                    "400": no_csrf,
                    "401": unauthorized,
                    "404": error("Not one of the rep's notifications."),
                    "409": error("Not a reminder: only reminders can be snoozed."),
                },
            }
        },
    }
