"""Team news, batched: a minute's high-fives and wins become one notification per rep and kind.

The worker claims every unclaimed ``TeamNews`` row in one statement (so two
workers never tell the same news twice) and posts, in the same transaction,
one inbox item per recipient and kind. A win undone before the worker saw it
is dropped; a member who left the team hears nothing more from it. During
the rep's quiet hours or time off the item waits silently in the inbox, not
pushed.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from sqlalchemy import select, tuple_, update

from webapp.domain.notification_copy import TeamWin, high_fives_message, team_wins_message
from webapp.domain.reminders import is_quiet, is_time_off
from webapp.domain.streaks import local_day
from webapp.domain.wording import Speaker
from webapp.extensions import db
from webapp.i18n import speaking
from webapp.models import TeamMember, TeamNews, User, Win, utcnow
from webapp.services.game.time_off import ranges_around
from webapp.services.notifications import inbox
from webapp.services.notifications.news import CHALLENGE, HIGH_FIVE, HUDDLE_REF, WIN
from webapp.services.notifications.preferences import reminder_settings, users_with_settings
from webapp.services.transaction import writes

CLAIM_BATCH = 1000
HIGH_FIVES, TEAM_WINS = "high_fives", "team_wins"


@writes
def _claim(now: datetime) -> list[TeamNews]:
    ids = list(
        db.session.scalars(
            select(TeamNews.id).where(TeamNews.claimed_at.is_(None)).order_by(TeamNews.id).limit(CLAIM_BATCH)
        )
    )
    if not ids:
        return []
    claimed = db.session.scalars(
        update(TeamNews)
        .where(TeamNews.id.in_(ids), TeamNews.claimed_at.is_(None))
        .values(claimed_at=now)
        .returning(TeamNews.id)
    ).all()
    return list(db.session.scalars(select(TeamNews).where(TeamNews.id.in_(claimed)).order_by(TeamNews.id)))


def _members(team_ids: set[int]) -> dict[int, set[int]]:
    members: dict[int, set[int]] = defaultdict(set)
    for row in db.session.execute(
        select(TeamMember.team_id, TeamMember.user_id).where(TeamMember.team_id.in_(team_ids))
    ):
        members[row.team_id].add(row.user_id)
    return members


def _standing_wins(news: list[TeamNews]) -> set[tuple[int, str]]:
    keys = [(n.actor_id, n.ref) for n in news if n.kind == WIN and n.ref]
    if not keys:
        return set()
    return {
        (row.user_id, row.ref)
        for row in db.session.execute(select(Win.user_id, Win.ref).where(tuple_(Win.user_id, Win.ref).in_(keys)))
    }


@writes
def deliver_news(now: datetime | None = None) -> int:
    """Turn the news waiting now into notifications; returns how many were posted."""
    now = now or utcnow()
    news = _claim(now)
    if not news:
        return 0
    members = _members({n.team_id for n in news})
    standing = _standing_wins(news)
    names = dict(
        db.session.execute(
            select(User.id, User.display_name).where(User.id.in_({n.actor_id for n in news if n.actor_id}))
        ).all()
    )
    locales = dict(
        db.session.execute(
            select(User.id, User.locale).where(User.id.in_({m for team in members.values() for m in team}))
        ).all()
    )
    fives: dict[int, list[TeamNews]] = defaultdict(list)
    wins: dict[int, list[tuple[TeamNews, TeamWin]]] = defaultdict(list)
    for item in news:
        team = members.get(item.team_id, set())
        if item.kind == HIGH_FIVE and item.recipient_id in team and item.actor_id in team:
            fives[item.recipient_id].append(item)
        elif item.kind == WIN and (item.actor_id, item.ref) in standing and item.actor_id in team:
            for member in team - {item.actor_id}:
                wins[member].append((item, TeamWin(names.get(item.actor_id, ""), item.subject)))
        elif item.kind == CHALLENGE:
            for member in team:
                wins[member].append((item, TeamWin(None, item.subject)))
    loud = _who_may_hear_now(set(fives) | set(wins), now)
    posted = 0
    for user_id, batch in fives.items():
        with speaking(locales.get(user_id)) as say:
            givers = [names.get(n.actor_id) or say.gettext("A teammate") for n in batch]
            title, body = high_fives_message(givers, [n.subject for n in batch], say)
        on_huddle = all((n.ref or "").startswith(HUDDLE_REF) for n in batch)
        url = f"/teams/{batch[-1].team_id}" + ("/huddle" if on_huddle else "#feed")
        posted += inbox.post(user_id, HIGH_FIVES, title, body, url, push=user_id in loud, now=now) is not None
    for user_id, batch in wins.items():
        with speaking(locales.get(user_id)) as say:
            title, body = team_wins_message([_named(win, say) for _, win in batch], say)
        only_challenge = all(n.kind == CHALLENGE for n, _ in batch)
        url = f"/teams/{batch[-1][0].team_id}" + ("" if only_challenge else "#feed")
        posted += inbox.post(user_id, TEAM_WINS, title, body, url, push=user_id in loud, now=now) is not None
    return posted


def _named(win: TeamWin, say: Speaker) -> TeamWin:
    """A win whose teammate is gone from the names read is told as "A teammate" did it, in the rep's words."""
    return TeamWin(say.gettext("A teammate"), win.what) if win.who == "" else win


def _who_may_hear_now(user_ids: set[int], now: datetime) -> set[int]:
    """The reps not in quiet hours nor on time off right now: their items are pushed too."""
    if not user_ids:
        return set()
    users = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(user_ids)))}
    prefs = users_with_settings(list(users))
    away = ranges_around(list(users), now)
    loud = set()
    for user_id, user in users.items():
        settings = reminder_settings(user, prefs[user_id], away.get(user_id, ()))
        today = local_day(now, settings.timezone, settings.day_start_hour)
        if not is_quiet(now, settings) and not is_time_off(today, settings):
            loud.add(user_id)
    return loud
