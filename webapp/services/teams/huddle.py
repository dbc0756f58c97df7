"""The daily huddle: the coach's plan, one line a member a team day, high-fives, and the coach's material.

A huddle day is the team's calendar date (``ranking.team_today``), so a rep
in another timezone answers the same huddle as the rest of the team, and an
answer at 23:59 and one at 00:01 (team time) belong to two days. The unique
key (team, member, day) makes "once a day" true however many taps race.
Every answer, skip and high-five bumps the team's version, so the open team
page's huddle card (a live fragment) shows it on its next poll.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite

from webapp.domain import ranking
from webapp.domain.days import day_bounds_utc
from webapp.domain.huddles import DAYS_SHOWN, DEFAULT_AT, HuddlePlan, HuddleRefused, clean_answer, default_prompt
from webapp.domain.huddles import parse_plan as parse_plan_form
from webapp.domain.reviews import OBJECTION_LABELS
from webapp.domain.wording import N_
from webapp.extensions import db
from webapp.models import Call, CallReview, HuddleAnswer, HuddleHighFive, HuddleSetting, Team, User, utcnow
from webapp.services.notifications import news
from webapp.services.notifications.news import HUDDLE_REF
from webapp.services.teams.seats import Seat, members_of
from webapp.services.teams.version import bump
from webapp.services.transaction import writes


@dataclass(frozen=True)
class AnswerView:
    """One member's line on the huddle card, with its high-fives."""

    key: str
    user_id: int
    author: str
    body: str
    at: datetime
    high_fives: int = 0
    givers: tuple[str, ...] = ()
    given: bool = False
    own: bool = False


@dataclass(frozen=True)
class HuddleDay:
    """One team day of the huddle: its prompt and its answers, newest first."""

    day: date
    prompt: str
    answers: list[AnswerView]


@dataclass(frozen=True)
class CoachMaterial:
    """What a coach runs the stand-up from: who answered, who skipped, who not yet; today's objections."""

    answered: list[str]
    skipped: list[str]
    waiting: list[str]
    objections: list[tuple[str, int]]


@dataclass(frozen=True)
class HuddleCard:
    """The huddle as the team page shows it to one member (and, for the coach, with the material)."""

    plan: HuddlePlan | None
    today: date
    days: list[HuddleDay]
    mine: HuddleAnswer | None
    coach: CoachMaterial | None = None


def team_day(team: Team, now: datetime | None = None) -> date:
    """The huddle's day: the team's calendar date now."""
    return ranking.team_today(now or utcnow(), team.timezone)


def plan_of(team_id: int) -> HuddlePlan | None:
    """The team's huddle as the coach set it, or ``None`` when they never did."""
    row = db.session.get(HuddleSetting, team_id)
    return HuddlePlan(row.enabled, row.at, row.prompt) if row else None


def form_defaults(plan: HuddlePlan | None) -> HuddlePlan:
    """What the coach's form shows: the plan, or a morning huddle with its default prompt."""
    return plan or HuddlePlan(False, DEFAULT_AT, default_prompt(DEFAULT_AT))


@writes
def set_plan(seat: Seat, enabled: bool, raw_time: str, raw_prompt: str, now: datetime | None = None) -> HuddlePlan:
    """The coach turns the huddle on or off, with a time and a prompt; ``HuddleRefused`` changes nothing."""
    plan = parse_plan_form(enabled, raw_time, raw_prompt)
    row = db.session.get(HuddleSetting, seat.team.id) or HuddleSetting(team_id=seat.team.id)
    row.enabled, row.at, row.prompt, row.updated_at = plan.enabled, plan.at, plan.prompt, now or utcnow()
    db.session.add(row)
    bump(seat.team.id)
    return plan


def own_answer(seat: Seat, day: date) -> HuddleAnswer | None:
    """The member's answer (or skip) for ``day``."""
    return db.session.scalar(
        select(HuddleAnswer).where(
            HuddleAnswer.team_id == seat.team.id, HuddleAnswer.user_id == seat.user_id, HuddleAnswer.day == day
        )
    )


def _open_plan(seat: Seat) -> HuddlePlan:
    plan = plan_of(seat.team.id)
    if plan is None or not plan.enabled:
        raise HuddleRefused(N_("There is no huddle in this team today."))
    return plan


def _save(seat: Seat, plan: HuddlePlan, day: date, body: str, skipped: bool, now: datetime) -> HuddleAnswer:
    """Insert the day's row; the unique key turns a second one (even a racing one) into a refusal."""
    existing = own_answer(seat, day)
    if existing is not None and not (existing.skipped and not skipped):
        raise HuddleRefused(N_("You answered today's huddle already. Tomorrow brings a new one."))
    if existing is not None:  # a skip, answered after all
        existing.body, existing.skipped, existing.created_at = body, False, now
        bump(seat.team.id)
        return existing
    values = {
        "team_id": seat.team.id,
        "user_id": seat.user_id,
        "day": day,
        "prompt": plan.prompt,
        "body": body,
        "skipped": skipped,
        "created_at": now,
    }
    answer_id = db.session.execute(_insert_once(HuddleAnswer, ["team_id", "user_id", "day"]), values).scalar()
    if answer_id is None:  # a second tap raced the first and lost
        raise HuddleRefused(N_("You answered today's huddle already. Tomorrow brings a new one."))
    bump(seat.team.id)
    return db.session.get(HuddleAnswer, answer_id)


def _insert_once(model, key: list[str], returning: str = "id"):
    """An INSERT that does nothing when a row with the same ``key`` exists: it returns ``returning``, or nothing."""
    table = model.__table__
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    statement = dialect.insert(table).on_conflict_do_nothing(index_elements=[table.c[name] for name in key])
    return statement.returning(table.c[returning])


@writes
def answer(seat: Seat, raw: str, now: datetime | None = None) -> HuddleAnswer:
    """Answer today's huddle in one line, once a team day; ``HuddleRefused`` writes nothing."""
    now = now or utcnow()
    plan = _open_plan(seat)
    return _save(seat, plan, team_day(seat.team, now), clean_answer(raw), False, now)


@writes
def skip(seat: Seat, now: datetime | None = None) -> HuddleAnswer:
    """Skip today's huddle: the card folds away for the day (an answer may still follow)."""
    now = now or utcnow()
    plan = _open_plan(seat)
    return _save(seat, plan, team_day(seat.team, now), "", True, now)


def parse_key(key: str) -> int | None:
    """An answer's id from its key (``h12``), or ``None``."""
    return int(key[1:]) if (key or "").startswith("h") and key[1:].isdigit() else None


@writes
def high_five(seat: Seat, key: str, now: datetime | None = None) -> AnswerView:
    """Cheer a teammate's answer, once; ``LookupError`` outside this team, ``HuddleRefused`` for one's own."""
    answer_id = parse_key(key)
    row = db.session.get(HuddleAnswer, answer_id) if answer_id else None
    if row is None or row.team_id != seat.team.id or row.skipped:
        raise LookupError(key)
    if row.user_id == seat.user_id:
        raise HuddleRefused(N_("That one is yours: let your team cheer it."))
    given = db.session.execute(
        _insert_once(HuddleHighFive, ["answer_id", "giver_id"], returning="answer_id"),
        {"answer_id": row.id, "giver_id": seat.user_id, "created_at": now or utcnow()},
    ).scalar()
    if given is not None:  # a second one (or a double tap that raced) changes nothing
        subject = f"your huddle answer “{row.body}”"
        news.high_five_given(seat.team.id, seat.user_id, row.user_id, subject, now, ref=f"{HUDDLE_REF}{row.id}")
        bump(seat.team.id)
    return _views(seat.user_id, [row])[0]


def _views(viewer_id: int, rows: list[HuddleAnswer]) -> list[AnswerView]:
    """Answers with their authors and high-fives, in two queries for the whole card."""
    if not rows:
        return []
    names = dict(
        db.session.execute(select(User.id, User.display_name).where(User.id.in_({r.user_id for r in rows}))).all()
    )
    fives: dict[int, list[tuple[int, str]]] = {}
    for answer_id, giver_id, name in db.session.execute(
        select(HuddleHighFive.answer_id, HuddleHighFive.giver_id, User.display_name)
        .join(User, User.id == HuddleHighFive.giver_id)
        .where(HuddleHighFive.answer_id.in_([r.id for r in rows]))
        .order_by(HuddleHighFive.created_at, HuddleHighFive.giver_id)
    ):
        fives.setdefault(answer_id, []).append((giver_id, name))
    return [
        AnswerView(
            key=f"h{r.id}",
            user_id=r.user_id,
            author=names.get(r.user_id, "A teammate"),
            body=r.body,
            at=r.created_at,
            high_fives=len(fives.get(r.id, [])),
            givers=tuple(name for _, name in fives.get(r.id, [])),
            given=any(gid == viewer_id for gid, _ in fives.get(r.id, [])),
            own=r.user_id == viewer_id,
        )
        for r in rows
    ]


def recent_days(seat: Seat, today: date, days: int = DAYS_SHOWN) -> list[HuddleDay]:
    """The answers of the team's last ``days`` huddle days that have any, newest day first."""
    rows = list(
        db.session.scalars(
            select(HuddleAnswer)
            .where(
                HuddleAnswer.team_id == seat.team.id,
                HuddleAnswer.day > today - timedelta(days=days),
                HuddleAnswer.skipped.is_(False),
            )
            .order_by(HuddleAnswer.day.desc(), HuddleAnswer.created_at.desc(), HuddleAnswer.id.desc())
        )
    )
    views = iter(_views(seat.user_id, rows))
    grouped: dict[date, HuddleDay] = {}
    for row in rows:
        grouped.setdefault(row.day, HuddleDay(row.day, row.prompt, [])).answers.append(next(views))
    return list(grouped.values())


def objections_today(team: Team, user_ids: list[int], today: date) -> list[tuple[str, int]]:
    """The objections the team's reviews met on the team's ``today``, most met first."""
    start, end = day_bounds_utc(today, team.timezone)
    counts = db.session.execute(
        select(CallReview.objection, func.count())
        .join(Call, Call.id == CallReview.call_id)
        .where(
            Call.user_id.in_(user_ids or [-1]),
            Call.undone_at.is_(None),
            Call.occurred_at >= start,
            Call.occurred_at < end,
            CallReview.objection.isnot(None),
        )
        .group_by(CallReview.objection)
    ).all()
    labels = {objection.value: label for objection, label in OBJECTION_LABELS.items()}
    labelled = [(labels.get(code, code), n) for code, n in counts]
    return sorted(labelled, key=lambda pair: (-pair[1], pair[0]))


def coach_material(seat: Seat, today: date) -> CoachMaterial:
    """Who answered today's huddle, who skipped, who has not yet; and today's objections."""
    members = members_of(seat.team.id)
    status = dict(
        db.session.execute(
            select(HuddleAnswer.user_id, HuddleAnswer.skipped).where(
                HuddleAnswer.team_id == seat.team.id, HuddleAnswer.day == today
            )
        ).all()
    )
    answered = [u.display_name for _, u in members if status.get(u.id) is False]
    skipped = [u.display_name for _, u in members if status.get(u.id) is True]
    waiting = [u.display_name for _, u in members if u.id not in status]
    return CoachMaterial(answered, skipped, waiting, objections_today(seat.team, [u.id for _, u in members], today))


def card(seat: Seat, now: datetime | None = None) -> HuddleCard:
    """The huddle card of the team page for this member; the coach's copy carries the material."""
    today = team_day(seat.team, now)
    plan = plan_of(seat.team.id)
    return HuddleCard(
        plan=plan,
        today=today,
        days=recent_days(seat, today),
        mine=own_answer(seat, today),
        coach=coach_material(seat, today) if seat.is_coach else None,
    )
