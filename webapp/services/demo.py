"""Demo reps with about two weeks of plausible call history, for a first look."""

from __future__ import annotations

import random
import uuid
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from webapp.domain.reviews import Objection, ReviewToggle, validate_review
from webapp.extensions import db
from webapp.models import User
from webapp.services.accounts import hash_password
from webapp.services.calls import Tap, record_calls
from webapp.services.coaching.reviews import save_review
from webapp.services.teams.challenges import set_challenge
from webapp.services.teams.feed import post_message
from webapp.services.teams.links import create_invite, join_with_invite
from webapp.services.teams.membership import create_team
from webapp.services.teams.seats import seat_of
from webapp.services.transaction import transaction

DEMO_REPS = (
    # email, name, timezone, dials per day, how often a conversation comes
    ("demo@closer.test", "Dana Demo", "Europe/London", 42, 0.16),
    ("sam@closer.test", "Sam Rivera", "America/New_York", 55, 0.12),
    ("priya@closer.test", "Priya Natarajan", "Europe/Berlin", 35, 0.2),
    ("lee@closer.test", "Lee Okafor", "America/Chicago", 28, 0.14),
)

# Weights of the unanswered and "no" outcomes; conversations are drawn apart.
_MISSES = (("no_answer", 50), ("voicemail", 25), ("gatekeeper", 12), ("not_interested", 13))
_TALKS = (("conversation", 60), ("follow_up", 25), ("meeting", 11), ("sale", 4))


def seed_if_empty(password: str, *, days: int = 14, now: datetime | None = None, seed: int = 7) -> int:
    """Create the demo reps and their history when there are no users; return reps made."""
    if db.session.scalar(select(func.count()).select_from(User)):
        return 0
    rng = random.Random(seed)
    now = now or datetime.now(UTC)
    password_hash = hash_password(password)
    made = 0
    for email, name, tz, per_day, talk_rate in DEMO_REPS:
        # The first demo rep runs the server too, so the admin pages have someone to show them.
        user = User(email=email, display_name=name, password_hash=password_hash, timezone=tz, is_admin=not made)
        made += 1
        with transaction():
            db.session.add(user)
        _join_demo_team(user, now)
        for day in _history(rng, tz, per_day, talk_rate, days, now):
            # A day's calls go through the write path as one batch, as if synced at day's end.
            taps = [Tap(outcome, uuid.UUID(int=rng.getrandbits(128)), when) for when, outcome in day]
            for tap, result in zip(taps, record_calls(user, taps, now=taps[-1].occurred_at), strict=True):
                if tap.outcome == "not_interested" and rng.random() < 0.45:
                    _review(user, result.call, rng, tap.occurred_at + timedelta(seconds=40))
    _liven_demo_team(now)
    return len(DEMO_REPS)


def _review(user: User, call, rng: random.Random, when: datetime) -> None:
    """A plausible ten-second review of a no, so the insights page has patterns to show."""
    answers = validate_review(
        {toggle.value: rng.random() < chance for toggle, chance in zip(ReviewToggle, (0.7, 0.6, 0.45), strict=True)},
        rng.choices([o.value for o in Objection], [5, 4, 4, 3, 3, 1])[0],
        None,
    )
    save_review(user, str(call.client_id), answers, now=when)


DEMO_TEAM = "Demo Team"
DEMO_POSTS = (
    ("sam@closer.test", "Opening with their latest news got me two conversations before lunch."),
    ("priya@closer.test", "Tough call, still dialling."),
)


def _join_demo_team(user: User, now: datetime) -> None:
    """Dana, the first demo rep, starts the demo team and coaches it; the others join by invite."""
    coach = db.session.scalar(select(User).where(User.email == DEMO_REPS[0][0]))
    if user.id == coach.id:
        create_team(user, DEMO_TEAM, user.timezone, now)
    else:
        join_with_invite(user, create_invite(seat_of(coach), now), now)


def _liven_demo_team(now: datetime) -> None:
    """A running challenge and a couple of posts, so the team page has something to show."""
    coach = db.session.scalar(select(User).where(User.email == DEMO_REPS[0][0]))
    set_challenge(seat_of(coach), "dials", "1000", "week", now)
    for email, text in DEMO_POSTS:
        user = db.session.scalar(select(User).where(User.email == email))
        post_message(seat_of(user), user, text, now)


def _history(rng, tz_name, per_day, talk_rate, days, now):
    """Weekday calls between 9:00 and 17:00 local, busier some days than others, a list per day."""
    zone = ZoneInfo(tz_name)
    today = now.astimezone(zone).date()
    for back in range(days, -1, -1):
        day = today - timedelta(days=back)
        if day.weekday() >= 5:
            continue
        count = max(5, int(rng.gauss(per_day, per_day * 0.25)))
        start = datetime.combine(day, time(9), tzinfo=zone)
        moments = sorted(rng.uniform(0, 8 * 3600) for _ in range(count))
        calls = []
        for offset in moments:
            when = (start + timedelta(seconds=offset)).astimezone(UTC)
            if when >= now:
                break
            pool = _TALKS if rng.random() < talk_rate else _MISSES
            calls.append((when, rng.choices([o for o, _ in pool], [w for _, w in pool])[0]))
        if calls:
            yield calls
