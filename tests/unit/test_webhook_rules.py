"""Webhook rules: Stripe-style signatures, the retry schedule, chat lines and the address check."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from webapp.domain.webhooks import chat_text, next_attempt, refused_address, signature, verify

BODY = b'{"id":"evt_1"}'


def test_a_signature_verifies_and_a_changed_body_or_old_stamp_does_not():
    header = signature("whsec_x", 1_700_000_000, BODY)
    assert header.startswith("t=1700000000,v1=")
    assert verify("whsec_x", header, BODY, now=1_700_000_010)
    assert not verify("whsec_x", header, BODY + b" ", now=1_700_000_010)
    assert not verify("whsec_y", header, BODY, now=1_700_000_010)
    assert not verify("whsec_x", header, BODY, now=1_700_000_000 + 301)
    assert not verify("whsec_x", "v1=abc", BODY, now=1_700_000_000)


def test_retries_double_and_stop_after_a_day():
    start = datetime(2026, 12, 1, tzinfo=UTC)
    rule = {"base": timedelta(minutes=1), "give_up_after": timedelta(hours=24)}
    assert next_attempt(start, 1, start, **rule) == start + timedelta(minutes=1)
    assert next_attempt(start, 3, start, **rule) == start + timedelta(minutes=4)
    assert next_attempt(start, 12, start + timedelta(hours=20), **rule) is None


@pytest.mark.parametrize(
    "address, refused",
    [
        ("127.0.0.1", True),
        ("10.1.2.3", True),
        ("192.168.0.10", True),
        ("172.16.5.4", True),
        ("169.254.169.254", True),
        ("::1", True),
        ("fe80::1", True),
        ("::ffff:127.0.0.1", True),
        ("0.0.0.0", True),
        ("224.0.0.1", True),
        ("not an ip", True),
        ("93.184.216.34", False),
        ("2606:4700::1111", False),
    ],
)
def test_loopback_private_and_link_local_addresses_are_refused(address, refused):
    assert refused_address(address) is refused


def test_a_chat_line_reads_as_a_sentence():
    assert chat_text("meeting", "Sam", "Meeting booked") == "Sam booked a meeting"
    assert chat_text("challenge", None, "200 dials this week") == "The team reached its challenge: 200 dials this week"
