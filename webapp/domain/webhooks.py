"""Team webhooks' rules: the events, the signature, the retry schedule, the words for a chat, the address check.

Signatures follow Stripe's scheme: ``t=<unix time>,v1=<hex HMAC-SHA256 of
"<t>.<body>">``, so a receiver checks both that the body is ours and that it
is fresh.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
from datetime import datetime, timedelta

from webapp.domain.wording import N_

EVENTS: dict[str, str] = {
    "meeting": N_("Meeting booked"),
    "sale": N_("Sale"),
    "badge": N_("Badge earned"),
    "challenge": N_("Team challenge reached"),
    "call": N_("Every call"),
}
TEST_EVENT = "test"
TEST_EVENT_LABEL = N_("Test event")
# A delivery's state as the coach's page names it.
DELIVERY_STATES: dict[str, str] = {
    "queued": N_("queued"),
    "sending": N_("sending"),
    "sent": N_("sent"),
    "failed": N_("failed"),
}
SIGNATURE_HEADER = "Closer-Signature"
TOLERANCE_SECONDS = 300


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """The signature header's value for ``body`` sent at ``timestamp``."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


def verify(secret: str, header: str, body: bytes, now: int, tolerance: int = TOLERANCE_SECONDS) -> bool:
    """What a receiver does: the header's timestamp is recent and one of its v1 signatures matches."""
    parts = [part.split("=", 1) for part in header.split(",") if "=" in part]
    stamps = [value for key, value in parts if key == "t"]
    if len(stamps) != 1 or not stamps[0].isdigit() or abs(now - int(stamps[0])) > tolerance:
        return False
    expected = signature(secret, int(stamps[0]), body).split("v1=", 1)[1]
    return any(key == "v1" and hmac.compare_digest(value, expected) for key, value in parts)


def next_attempt(
    first_tried: datetime, attempts: int, now: datetime, *, base: timedelta, give_up_after: timedelta
) -> datetime | None:
    """When to try again after ``attempts`` failures: doubling from ``base``; None once past ``give_up_after``."""
    delay = base * (2 ** max(0, attempts - 1))
    when = now + delay
    return None if when > first_tried + give_up_after else when


def chat_text(event: str, actor: str | None, subject: str) -> str:
    """The line a Slack or Mattermost incoming webhook shows as is."""
    who = actor or "Someone"
    return {
        "meeting": f"{who} booked a meeting",
        "sale": f"{who} made a sale",
        "badge": f"{who} earned the badge {subject}",
        "challenge": f"The team reached its challenge: {subject}",
        "call": f"{who} logged a call: {subject}",
        TEST_EVENT: "A test event from Closer: this webhook works.",
    }.get(event, subject)


def refused_address(address: str) -> bool:
    """Whether an address is one a webhook may not reach unless allowed: loopback, private, link-local…"""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return True
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return not ip.is_global or ip.is_multicast
