"""Resilience coaching: the ten-second review, "That was tough", resets, closer-to-yes, insights.

Writes here go through a few functions (``save_review``, ``mark_tough``,
``share_tough``, ``start_reset``, ``finish_reset``) that keep the insights
aggregates (``ReviewWeek``, ``HourlyActivity``) in the same transaction as
the row they summarise, so the insights and bigger-picture pages read a few
hundred aggregate rows whatever the rep's history. Points and badges go
through ``game.award_activity``.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import session
from sqlalchemy import bindparam, func, or_, select, update
from sqlalchemy.exc import IntegrityError

from webapp.charts import Chart, bar_chart, calendar_heatmap, weekly_trend_chart
from webapp.domain import insights as rules
from webapp.domain.celebrations import Celebration
from webapp.domain.encouragement import Moment, pick_line
from webapp.domain.outcomes import CONVERSATIONS, OUTCOME_CODES, POSITIVES, REJECTIONS
from webapp.domain.resilience import (
    ESTIMATE_WINDOW_DAYS,
    MIN_DIALS_FOR_ESTIMATE,
    OBJECTIONS,
    RESET_MAX_MINUTES,
    RESET_MIN_MINUTES,
    RESET_OFFER_THRESHOLD,
    RESETS,
    REVIEW_TOGGLES,
    CloserToYes,
    Objection,
    ResetInfo,
    ReviewInput,
    ReviewToggle,
    closer_to_yes,
    rejection_run,
    reset_info,
    reset_points,
    review_points,
    should_offer_reset,
    validate_review,
)
from webapp.extensions import db
from webapp.models import (
    Call,
    CallReview,
    DailyTotal,
    HourlyActivity,
    PlayerTotals,
    Reset,
    ReviewWeek,
    ToughCall,
    User,
    Win,
    utcnow,
)
from webapp.services import statements
from webapp.services.today import today_for

# A finished reset may arrive this much early: the page's clock and the server's differ a little.
FINISH_TOLERANCE_SECONDS = 2
# Lines recently shown, per moment, kept in the session so the same words don't repeat.
RECENT_LINES_KEPT = 3
# How far back a run of no's is looked for; nobody needs a bigger number to be offered a break.
RUN_LOOKBACK_CALLS = 60
RESET_THRESHOLD_CHOICES = tuple(range(1, 11))
POSITIVE_CODES = tuple(o.value for o in POSITIVES)


class NotFound(LookupError):
    """No such call, review or reset of this rep's (a 404: another rep's looks the same as none)."""


class CoachingError(ValueError):
    """Input the server will not accept; the message is meant for the rep."""


class TooSoon(CoachingError):
    """A reset finished before its time was up."""

    def __init__(self, seconds_left: int):
        self.seconds_left = seconds_left
        super().__init__(
            f"Nearly there: {_duration(seconds_left)} to go. The break is logged once the timer has run out."
        )


def _duration(seconds: int) -> str:
    minutes, secs = divmod(max(0, seconds), 60)
    if minutes and secs:
        return f"{minutes} min {secs} s"
    return f"{minutes} min" if minutes else f"{secs} second{'' if secs == 1 else 's'}"


# --------------------------------------------------------------------------
# The write path hook and the main screen
# --------------------------------------------------------------------------


def on_call_change(user: User, call: Call, sign: int) -> None:
    """Called inside the write path after every tap or undo, in its transaction.

    Moves the per-hour aggregate by one call; an undo also takes that call's
    review out of the weekly review aggregate (the review row itself stays).
    """
    from webapp.services.game import upsert

    local = call.occurred_at.astimezone(ZoneInfo(user.timezone))
    talked = sign if call.outcome in {o.value for o in CONVERSATIONS} else 0
    upsert(
        HourlyActivity,
        {"user_id": user.id, "weekday": local.weekday(), "hour": local.hour},
        {},
        {"dials": sign, "conversations": talked},
    )
    if sign < 0:
        review = db.session.scalar(select(CallReview).where(CallReview.call_id == call.id))
        if review is not None:
            _count_review(review, -1)


@dataclass(frozen=True)
class AfterCall:
    """What the main screen offers after a call."""

    call: Call
    offer_review: bool
    closer: CloserToYes | None
    run: int
    threshold: int
    offer_reset: bool
    line: str | None


def main_screen_context(user: User, last_call: Call | None) -> dict:
    """What the main screen shows after a call (review offer, closer-to-yes meter, reset offer)."""
    context = {
        "reset_kinds": RESETS,
        "reset_minutes": _minute_choices(),
        "objections": OBJECTIONS,
        "review_toggles": REVIEW_TOGGLES,
    }
    if last_call is None or last_call.is_undone:
        return {**context, "after_call": None}
    is_no = last_call.outcome in {o.value for o in REJECTIONS}
    threshold = user.reset_after_nos or RESET_OFFER_THRESHOLD
    run = rejection_run(_recent_outcomes(user)) if is_no else 0
    offer_reset = is_no and should_offer_reset(run, threshold)
    if offer_reset:
        moment = Moment.BAD_RUN
    elif last_call.bounce_back:
        moment = Moment.COMEBACK
    else:
        moment = Moment.AFTER_NO if is_no else None
    after = AfterCall(
        call=last_call,
        offer_review=is_no,
        closer=closer_to_yes_for(user) if is_no else None,
        run=run,
        threshold=threshold,
        offer_reset=offer_reset,
        line=encouragement(moment, last_call.id) if moment else None,
    )
    return {**context, "after_call": after}


def _minute_choices() -> tuple[int, ...]:
    return tuple(range(RESET_MIN_MINUTES, RESET_MAX_MINUTES + 1))


def _recent_outcomes(user: User) -> list[str]:
    """The rep's latest outcomes, newest first, undone calls left out."""
    return [row.outcome for row in statements.rows(_latest_outcomes, user_id=user.id)]


def _latest_outcomes(dialect: str):
    return (
        select(Call.outcome)
        .where(Call.user_id == bindparam("user_id"), Call.undone_at.is_(None))
        .order_by(Call.occurred_at.desc(), Call.id.desc())
        .limit(RUN_LOOKBACK_CALLS)
    )


def encouragement(moment: Moment | str, seed: int) -> str:
    """A kind line for this moment, avoiding the ones this rep saw lately (kept in the session)."""
    shown = dict(session.get("coach_lines") or {})
    recent = [i for i in shown.get(str(moment), []) if isinstance(i, int)]
    index, text = pick_line(moment, seed, recent)
    shown[str(moment)] = [index, *recent][:RECENT_LINES_KEPT]
    session["coach_lines"] = shown
    return text


def _window_dials_and_positives(dialect: str):
    positives_sum = sum((getattr(DailyTotal, code) for code in POSITIVE_CODES), start=0)
    return select(func.coalesce(func.sum(DailyTotal.dials), 0), func.coalesce(func.sum(positives_sum), 0)).where(
        DailyTotal.user_id == bindparam("user_id"),
        DailyTotal.local_date >= bindparam("since"),
        DailyTotal.local_date <= bindparam("today"),
    )


def _last_positive(dialect: str):
    positive = or_(*(Call.outcome == code for code in POSITIVE_CODES))  # no IN: prepared SQL cannot expand one
    return (
        select(Call.occurred_at)
        .where(
            Call.user_id == bindparam("user_id"),
            Call.undone_at.is_(None),
            positive,
            Call.local_date >= bindparam("since"),
        )
        .order_by(Call.occurred_at.desc())
        .limit(1)
    )


def _dials_since(dialect: str):
    return (
        select(func.count())
        .select_from(Call)
        .where(
            Call.user_id == bindparam("user_id"),
            Call.undone_at.is_(None),
            Call.occurred_at > bindparam("since", type_=Call.occurred_at.type),
        )
    )


def closer_to_yes_for(user: User, now: datetime | None = None) -> CloserToYes:
    """The closer-to-yes meter from the rep's last 30 days.

    Dials and positives come from the day aggregates. Dials since the last
    positive are counted from calls, but only when a positive happened in
    the window, so the count never reaches further back than 30 days.
    """
    today = today_for(user, now)
    since = today - timedelta(days=ESTIMATE_WINDOW_DAYS - 1)
    dials, positives = statements.first(_window_dials_and_positives, user_id=user.id, since=since, today=today)
    dials, positives = int(dials), min(int(positives), int(dials))
    dials_in = 0
    if dials >= MIN_DIALS_FOR_ESTIMATE and positives:
        last_yes = statements.scalar(_last_positive, user_id=user.id, since=since)
        if last_yes is not None:
            dials_in = statements.scalar(_dials_since, user_id=user.id, since=last_yes)
    return closer_to_yes(dials, positives, dials_in)


# --------------------------------------------------------------------------
# Calls of the rep's own
# --------------------------------------------------------------------------


def own_call(user: User, client_id: str | uuid.UUID) -> Call:
    """The rep's live (not undone) call with this client id, or ``NotFound``."""
    try:
        cid = client_id if isinstance(client_id, uuid.UUID) else uuid.UUID(str(client_id))
    except ValueError:
        raise NotFound("There is no such call.") from None
    call = db.session.scalar(select(Call).where(Call.user_id == user.id, Call.client_id == cid))
    if call is None or call.is_undone:
        raise NotFound("There is no such call.")
    return call


@dataclass(frozen=True)
class RecentCall:
    """A call on the "recent calls" page, with whether it was reviewed or marked tough."""

    call: Call
    reviewed: bool
    tough: bool


RECENT_CALLS_LIMIT = 200


def recent_calls(user: User, now: datetime | None = None) -> list[RecentCall]:
    """Today's and yesterday's calls, newest first, each with its review and tough marks."""
    today = today_for(user, now)
    rows = db.session.execute(
        select(Call, CallReview.id, ToughCall.id)
        .outerjoin(CallReview, CallReview.call_id == Call.id)
        .outerjoin(ToughCall, ToughCall.call_id == Call.id)
        .where(Call.user_id == user.id, Call.local_date >= today - timedelta(days=1), Call.undone_at.is_(None))
        .order_by(Call.occurred_at.desc(), Call.id.desc())
        .limit(RECENT_CALLS_LIMIT)
    ).all()
    return [RecentCall(call, review is not None, tough is not None) for call, review, tough in rows]


# --------------------------------------------------------------------------
# The ten-second review
# --------------------------------------------------------------------------


def review_of(user: User, call: Call) -> CallReview | None:
    """The rep's review of this call, if there is one."""
    return db.session.scalar(select(CallReview).where(CallReview.call_id == call.id, CallReview.user_id == user.id))


@dataclass(frozen=True)
class ReviewSaved:
    """A saved review, the points it earned (0 for an edit) and any celebration."""

    review: CallReview
    points: int
    created: bool
    celebrations: tuple[Celebration, ...] = ()


def parse_review(form) -> ReviewInput:
    """A review from form fields (missing toggles are skipped), or ``CoachingError``."""
    toggles = {t.value: form.get(t.value) for t in ReviewToggle if t.value in form}
    try:
        return validate_review(toggles, form.get("objection"), form.get("next_time"))
    except ValueError as error:
        raise CoachingError(str(error)) from None


def save_review(user: User, client_id: str, answers: ReviewInput, *, now: datetime | None = None) -> ReviewSaved:
    """Save (or edit) the review of one of the rep's calls.

    A first review with any answer earns ``review_points`` and counts toward
    the review badges; an edit earns nothing again. An empty first review is
    refused, so Save is never a points button. Raises ``NotFound`` or
    ``CoachingError`` and writes nothing then.
    """
    from webapp.services import game

    now = now or utcnow()
    call = own_call(user, client_id)
    review = review_of(user, call)
    if review is None and answers.is_empty:
        raise CoachingError("Nothing to save yet: tap an answer or an objection, or skip the review.")
    created = review is None
    if created:
        review = CallReview(
            user_id=user.id, call_id=call.id, week_start=rules.week_start(call.local_date), created_at=now
        )
        db.session.add(review)
    else:
        _count_review(review, -1)
    for toggle in ReviewToggle:
        setattr(review, toggle.value, answers.answer(toggle))
    review.objection = answers.objection.value if answers.objection else None
    review.next_time = answers.next_time
    review.updated_at = now
    try:
        db.session.flush()
    except IntegrityError:
        # The same review arrived twice at once; the first one counts.
        db.session.rollback()
        return ReviewSaved(review_of(user, call), 0, False)
    _count_review(review, +1)
    cheers: list[Celebration] = []
    if created:
        review.points = review_points(answers)
        _, cheers = game.award_activity(user, now, points=review.points, counters={"reviews": 1})
    db.session.commit()
    return ReviewSaved(review, review.points if created else 0, created, tuple(cheers))


def review_values(review: CallReview | None) -> dict[str, str]:
    """A saved review as the form's values ("yes", "no" or ""), to fill the edit form."""
    if review is None:
        return {}
    values = {t.value: {True: "yes", False: "no", None: ""}[getattr(review, t.value)] for t in ReviewToggle}
    return {**values, "objection": review.objection or "", "next_time": review.next_time or ""}


def _count_review(review: CallReview, sign: int) -> None:
    """Add a review to (or take it out of) its week's aggregate row."""
    from webapp.services.game import upsert

    increments = {"reviews": sign}
    if review.objection:
        increments[review.objection] = sign
    for toggle in ReviewToggle:
        answer = getattr(review, toggle.value)
        if answer is not None:
            increments[f"{toggle.value}_answered"] = sign
            increments[f"{toggle.value}_yes"] = sign if answer else 0
    upsert(ReviewWeek, {"user_id": review.user_id, "week_start": review.week_start}, {}, increments)


def distinct_objections(user_id: int) -> int:
    """Kinds of objection the rep has reviewed, from the weekly aggregate (a hundred rows, not every review)."""
    columns = [func.coalesce(func.sum(getattr(ReviewWeek, o.value)), 0) for o in Objection]
    sums = db.session.execute(select(*columns).where(ReviewWeek.user_id == user_id)).one()
    return sum(1 for total in sums if total > 0)


# --------------------------------------------------------------------------
# "That was tough"
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Tough:
    """A call marked tough, with a kind line to go with it."""

    call: Call
    mark: ToughCall
    line: str


def mark_tough(user: User, client_id: str, *, now: datetime | None = None) -> Tough:
    """Mark one of the rep's calls as tough (once; marking again changes nothing)."""
    now = now or utcnow()
    call = own_call(user, client_id)
    mark = _tough_mark(user, call, now)
    db.session.commit()
    return Tough(call, mark, encouragement(Moment.AFTER_TOUGH_CALL, call.id))


def share_tough(user: User, client_id: str, *, now: datetime | None = None) -> Win:
    """Share "Tough call survived" to the team feed: a wins-log entry the feed picks up, written once."""
    now = now or utcnow()
    call = own_call(user, client_id)
    mark = _tough_mark(user, call, now)
    mark.shared_at = mark.shared_at or now
    ref = f"tough:{call.client_id}"
    win = db.session.scalar(select(Win).where(Win.user_id == user.id, Win.ref == ref))
    if win is None:
        win = Win(
            user_id=user.id,
            kind="tough",
            ref=ref,
            title="Tough call survived",
            detail="",
            occurred_at=now,
            local_date=today_for(user, now),
        )
        db.session.add(win)
    db.session.commit()
    return win


def _tough_mark(user: User, call: Call, now: datetime) -> ToughCall:
    mark = db.session.scalar(select(ToughCall).where(ToughCall.call_id == call.id))
    if mark is None:
        mark = ToughCall(user_id=user.id, call_id=call.id, marked_at=now)
        db.session.add(mark)
        try:
            db.session.flush()
        except IntegrityError:
            db.session.rollback()  # marked twice at once: the first mark stands
            mark = db.session.scalar(select(ToughCall).where(ToughCall.call_id == call.id))
    return mark


# --------------------------------------------------------------------------
# Resets
# --------------------------------------------------------------------------


def start_reset(user: User, kind: str, minutes: str | int, *, now: datetime | None = None) -> Reset:
    """Start a reset on the server's clock, or raise ``CoachingError`` and write nothing."""
    now = now or utcnow()
    try:
        info = reset_info(kind or "")
    except ValueError:
        raise CoachingError("Choose a breathing break, a stretch or a walk.") from None
    try:
        length = int(minutes)
        reset_points(0, length)  # validates 1..5
    except (TypeError, ValueError):
        raise CoachingError(f"Choose {RESET_MIN_MINUTES} to {RESET_MAX_MINUTES} minutes.") from None
    reset = Reset(
        user_id=user.id, kind=info.kind.value, minutes=length, started_at=now, local_date=today_for(user, now), points=0
    )
    db.session.add(reset)
    db.session.commit()
    return reset


def own_reset(user: User, reset_id: int) -> Reset:
    """One of the rep's resets, or ``NotFound``."""
    reset = db.session.get(Reset, reset_id)
    if reset is None or reset.user_id != user.id:
        raise NotFound("There is no such reset.")
    return reset


def reset_ends_at(reset: Reset) -> datetime:
    """When the reset's time is up."""
    return reset.started_at + timedelta(minutes=reset.minutes)


@dataclass(frozen=True)
class ResetFinished:
    """A finished reset and what the game made of it."""

    reset: Reset
    celebrations: tuple[Celebration, ...] = ()


def finish_reset(user: User, reset_id: int, *, now: datetime | None = None) -> ResetFinished:
    """Log a reset whose time is up and award its points (a few resets a day are rewarded).

    Finishing early raises ``TooSoon`` and changes nothing; finishing twice
    changes nothing the second time. A reset never touches the streak.
    """
    from webapp.services import game

    now = now or utcnow()
    reset = own_reset(user, reset_id)
    if reset.finished_at is not None:
        return ResetFinished(reset)
    left = (reset_ends_at(reset) - now).total_seconds()
    if left > FINISH_TOLERANCE_SECONDS:
        raise TooSoon(int(left + 0.999))
    rewarded = db.session.scalar(
        select(func.count())
        .select_from(Reset)
        .where(
            Reset.user_id == user.id,
            Reset.local_date == reset.local_date,
            Reset.finished_at.is_not(None),
            Reset.points > 0,
        )
    )
    points = reset_points(rewarded, reset.minutes)
    # Only the request that flips finished_at awards anything, however many arrive at once.
    flipped = db.session.execute(
        update(Reset).where(Reset.id == reset.id, Reset.finished_at.is_(None)).values(finished_at=now, points=points)
    ).rowcount
    if not flipped:
        db.session.rollback()
        return ResetFinished(own_reset(user, reset_id))
    _, cheers = game.award_activity(user, now, points=points, counters={"resets": 1})
    db.session.commit()
    db.session.refresh(reset)
    return ResetFinished(reset, tuple(cheers))


def resets_rewarded_today(user: User, now: datetime | None = None) -> int:
    """How many of today's resets earned points."""
    return db.session.scalar(
        select(func.count())
        .select_from(Reset)
        .where(
            Reset.user_id == user.id,
            Reset.local_date == today_for(user, now),
            Reset.finished_at.is_not(None),
            Reset.points > 0,
        )
    )


def reset_guide(kind: str) -> ResetInfo:
    """The label and steps of a reset kind."""
    return reset_info(kind)


# --------------------------------------------------------------------------
# Settings
# --------------------------------------------------------------------------


def update_reset_setting(user: User, raw: str) -> None:
    """Save "offer a reset after N no's in a row", or raise ``CoachingError`` and change nothing."""
    try:
        value = int((raw or "").strip())
    except ValueError:
        value = 0
    if value not in RESET_THRESHOLD_CHOICES:
        raise CoachingError(
            f"Choose a number of no's from {RESET_THRESHOLD_CHOICES[0]} to {RESET_THRESHOLD_CHOICES[-1]}."
        )
    user.reset_after_nos = value
    db.session.commit()


# --------------------------------------------------------------------------
# Insights and the bigger picture (aggregates only)
# --------------------------------------------------------------------------

OBJECTION_WEEKS_SHOWN = 6
TREND_WEEKS = 12


@dataclass(frozen=True)
class ObjectionWeeks:
    """The last few weeks of objections, as a small table: one row per objection met."""

    weeks: tuple[date, ...]
    rows: tuple[tuple[str, tuple[int, ...]], ...]


@dataclass(frozen=True)
class Insights:
    """Everything the insights page shows, computed from aggregate rows."""

    objections: rules.ObjectionBreakdown
    objection_chart: Chart
    objection_weeks: ObjectionWeeks
    toggles: tuple[rules.ToggleRate, ...]
    best_times: rules.BestTimes
    weekday_chart: Chart
    funnel: tuple[rules.FunnelStage, ...]
    reviews: int
    resets: int
    bounce_backs: int
    bounce_backs_this_week: int
    tough_calls: int


REVIEW_WEEK_COUNTS = tuple(c.name for c in ReviewWeek.__table__.c if c.name not in ("user_id", "week_start"))
# Weeks the rules look at one by one: the two four-week trend windows of toggle_rates.
WEEKS_LOOKED_AT = 2 * rules.TREND_WINDOW_WEEKS


def _review_weeks(user_ids: list[int], today: date) -> list[dict]:
    """The weekly review aggregate of these reps, with weeks older than the trend windows folded into one.

    The totals stay exact; the rules only ever look at recent weeks one by
    one, so two years of history cost a dozen rows, not a hundred per rep.
    """
    if not user_ids:
        return []
    keep_from = rules.week_start(today) - timedelta(weeks=WEEKS_LOOKED_AT - 1)
    folded: dict[date, dict[str, int]] = {}
    for row in db.session.execute(select(ReviewWeek.__table__).where(ReviewWeek.user_id.in_(user_ids))):
        week = row.week_start if row.week_start >= keep_from else keep_from - timedelta(weeks=1)
        sums = folded.setdefault(week, dict.fromkeys(REVIEW_WEEK_COUNTS, 0))
        for name in REVIEW_WEEK_COUNTS:
            sums[name] += getattr(row, name)
    return [{"week_start": week, **sums} for week, sums in sorted(folded.items())]


def _objection_rows(weeks: list[dict]) -> list[tuple[date, Objection, int]]:
    return [(w["week_start"], o, w[o.value]) for w in weeks for o in Objection if w[o.value] > 0]


def _toggle_rows(weeks: list[dict]) -> list[tuple[date, ReviewToggle, int, int]]:
    return [
        (w["week_start"], t, w[f"{t.value}_yes"], w[f"{t.value}_answered"])
        for w in weeks
        for t in ReviewToggle
        if w[f"{t.value}_answered"] > 0
    ]


def _objection_summary(weeks: list[dict], today: date):
    """Totals over all time, plus the last few weeks laid out as a table."""
    # A zero row for this week stretches the weekly series up to today; zeros are never listed as met.
    breakdown = rules.objection_breakdown(_objection_rows(weeks) + [(rules.week_start(today), Objection.OTHER, 0)])
    shown = breakdown.weeks[-OBJECTION_WEEKS_SHOWN:]
    table = ObjectionWeeks(shown, tuple((s.label, s.counts[-len(shown) :]) for s in breakdown.series))
    chart = bar_chart([(t.label, t.count) for t in breakdown.totals], "Objections met", "Times met")
    return breakdown, chart, table


def insights_for(user: User, now: datetime | None = None) -> Insights:
    """The insights page: objections, review answers, best times, funnel, bounce backs."""
    today = today_for(user, now)
    weeks = _review_weeks([user.id], today)
    breakdown, chart, table = _objection_summary(weeks, today)
    hourly = db.session.execute(
        select(HourlyActivity.weekday, HourlyActivity.hour, HourlyActivity.dials, HourlyActivity.conversations).where(
            HourlyActivity.user_id == user.id
        )
    ).all()
    dials = {(r.weekday, r.hour): max(0, r.dials) for r in hourly}
    talks = {(r.weekday, r.hour): min(max(0, r.conversations), dials[(r.weekday, r.hour)]) for r in hourly}
    by_day = [0] * 7
    for (weekday, _), count in talks.items():
        by_day[weekday] += count
    lifetime = db.session.get(PlayerTotals, user.id)
    outcomes = lifetime.by_outcome() if lifetime else dict.fromkeys(OUTCOME_CODES, 0)
    week_bounces = db.session.scalar(
        select(func.coalesce(func.sum(DailyTotal.bounce_backs), 0)).where(
            DailyTotal.user_id == user.id, DailyTotal.local_date >= rules.week_start(today)
        )
    )
    tough = db.session.scalar(select(func.count()).select_from(ToughCall).where(ToughCall.user_id == user.id))
    return Insights(
        objections=breakdown,
        objection_chart=chart,
        objection_weeks=table,
        toggles=rules.toggle_rates(_toggle_rows(weeks), today),
        best_times=rules.best_times(talks, dials),
        weekday_chart=bar_chart(
            list(zip(rules.WEEKDAY_LABELS, by_day, strict=True)), "Conversations by weekday", "Conversations"
        ),
        funnel=rules.funnel_from_outcomes({k: max(0, v) for k, v in outcomes.items()}),
        reviews=lifetime.reviews if lifetime else 0,
        resets=lifetime.resets if lifetime else 0,
        bounce_backs=lifetime.bounce_backs if lifetime else 0,
        bounce_backs_this_week=int(week_bounces),
        tough_calls=tough,
    )


@dataclass(frozen=True)
class BigPicture:
    """The long view: a year of days, weekly trend, lifetime funnel and personal bests."""

    heatmap: Chart
    trend: Chart
    funnel: tuple[rules.FunnelStage, ...]
    bests: rules.PersonalBests
    dials: int
    points: int
    days_active: int
    first_day: date | None
    reviews: int
    resets: int
    bounce_backs: int


def big_picture_for(user: User, now: datetime | None = None) -> BigPicture:
    """The bigger-picture page, from the day aggregates and the lifetime totals."""
    today = today_for(user, now)
    positives = sum((getattr(DailyTotal, code) for code in POSITIVE_CODES), start=0)
    rows = [
        rules.DailyRow._make(r)
        for r in db.session.execute(
            select(DailyTotal.local_date, DailyTotal.dials, DailyTotal.points, positives).where(
                DailyTotal.user_id == user.id, DailyTotal.local_date <= today
            )
        )
    ]
    year_ago = today - timedelta(weeks=53)
    heatmap = calendar_heatmap({r.day: r.dials for r in rows if r.day > year_ago}, today)
    trend = weekly_trend_chart(rules.weekly_trend(rows, today, TREND_WEEKS))
    lifetime = db.session.get(PlayerTotals, user.id)
    outcomes = lifetime.by_outcome() if lifetime else dict.fromkeys(OUTCOME_CODES, 0)
    active = [r.day for r in rows if r.dials > 0]
    return BigPicture(
        heatmap=heatmap,
        trend=trend,
        funnel=rules.funnel_from_outcomes({k: max(0, v) for k, v in outcomes.items()}),
        bests=rules.personal_bests(rows, days_off=set(range(7)) - user.working_day_set),
        dials=lifetime.dials if lifetime else 0,
        points=sum(r.points for r in rows),
        days_active=len(active),
        first_day=min(active) if active else None,
        reviews=lifetime.reviews if lifetime else 0,
        resets=lifetime.resets if lifetime else 0,
        bounce_backs=lifetime.bounce_backs if lifetime else 0,
    )


@dataclass(frozen=True)
class TeamInsights:
    """What a coach sees of the team's reviews: objections met and how the answers are trending."""

    members: int
    reviews: int
    objections: rules.ObjectionBreakdown
    objection_chart: Chart
    objection_weeks: ObjectionWeeks
    toggles: tuple[rules.ToggleRate, ...]


def team_insights(user_ids: list[int], today: date) -> TeamInsights:
    """The team's objection breakdown and review trends, summed over the given reps' weekly aggregates."""
    weeks = _review_weeks(list(user_ids), today)
    breakdown, chart, table = _objection_summary(weeks, today)
    return TeamInsights(
        members=len(set(user_ids)),
        reviews=sum(max(0, w["reviews"]) for w in weeks),
        objections=breakdown,
        objection_chart=chart,
        objection_weeks=table,
        toggles=rules.toggle_rates(_toggle_rows(weeks), today),
    )
