"""The weekly summary email: when it is due, the rep's best day, and who on a team may need a hand.

Pure rules: dates and counts in, plain values out. Weeks run Monday to
Sunday in the rep's own timezone; the summary of last week is due from
Monday 08:00 local time, for the rest of that Monday.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta

from webapp.domain.wording import N_

SEND_HOUR = 8
# A member whose dials fell under this share of the week before, from at least this many, may need a hand.
DROP_SHARE = 0.5
DROP_FROM = 20


def week_start(day: date) -> date:
    """The Monday of ``day``'s week."""
    return day - timedelta(days=day.weekday())


def summary_due(local_now: datetime, sent_for: date | None) -> date | None:
    """The Monday of the week to sum up, when its summary is due at ``local_now`` and not yet sent; else ``None``.

    Due on Monday from ``SEND_HOUR`` local time; ``sent_for`` is the Monday of
    the last week already summed up.
    """
    today = local_now.date()
    if today.weekday() != 0 or local_now.hour < SEND_HOUR:
        return None
    last_week = today - timedelta(days=7)
    if sent_for is not None and sent_for >= last_week:
        return None
    return last_week


def best_day(dials_by_day: Mapping[date, int]) -> tuple[date, int] | None:
    """The day with the most dials (the earlier on a tie), or ``None`` for a week without any."""
    days = [(count, day) for day, count in dials_by_day.items() if count > 0]
    if not days:
        return None
    count, day = max(days, key=lambda item: (item[0], -item[1].toordinal()))
    return day, count


NO_DIALS = N_("no dials logged last week")
DIALS_FELL = N_("dials fell from %(before)s to %(now)s")


def hand_reason(dials: int, dials_week_before: int, working: bool = True) -> tuple[str, dict[str, int]] | None:
    """Why a coach may want to check in with a member, as a marked pattern and its numbers, or ``None``."""
    if not working:
        return None
    if dials == 0:
        return NO_DIALS, {}
    if dials_week_before >= DROP_FROM and dials < dials_week_before * DROP_SHARE:
        return DIALS_FELL, {"before": dials_week_before, "now": dials}
    return None


def needs_a_hand(dials: int, dials_week_before: int, working: bool = True) -> str | None:
    """Why a coach may want to check in with a member, in English, or ``None``.

    Kind words: the coach reads them, and the point is support, not blame.
    """
    reason = hand_reason(dials, dials_week_before, working)
    return None if reason is None else reason[0] % reason[1]
