"""A rep's own data, to take away: calls, reviews, resets, badges and wins, as CSV files in a zip and as JSON.

Every time is given twice: in UTC (``…_utc``, ending in Z) and in the rep's
timezone (``…_local``, with its offset). The JSON is also what ``importer``
reads back, call ids included, so importing it twice changes nothing the
second time.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from webapp.domain.badges import badge_by_code
from webapp.extensions import db
from webapp.models import Call, CallReview, EarnedBadge, Reset, User, Win, utcnow

FORMAT = "closer-export"
VERSION = 1


def _times(name: str, moment: datetime | None, zone: ZoneInfo) -> dict:
    if moment is None:
        return {f"{name}_utc": None, f"{name}_local": None}
    return {
        f"{name}_utc": moment.isoformat().replace("+00:00", "Z"),
        f"{name}_local": moment.astimezone(zone).isoformat(),
    }


def export_document(user: User, now: datetime | None = None) -> dict:
    """Everything the rep logged, as one JSON-ready document."""
    zone = ZoneInfo(user.timezone or "UTC")
    calls = list(db.session.scalars(select(Call).where(Call.user_id == user.id).order_by(Call.occurred_at, Call.id)))
    client_ids = {call.id: str(call.client_id) for call in calls}
    reviews = db.session.scalars(select(CallReview).where(CallReview.user_id == user.id).order_by(CallReview.id))
    resets = db.session.scalars(select(Reset).where(Reset.user_id == user.id).order_by(Reset.started_at))
    badges = db.session.scalars(
        select(EarnedBadge).where(EarnedBadge.user_id == user.id).order_by(EarnedBadge.earned_at)
    )
    wins = db.session.scalars(select(Win).where(Win.user_id == user.id).order_by(Win.occurred_at))
    return {
        "format": FORMAT,
        "version": VERSION,
        **_times("exported_at", now or utcnow(), zone),
        "rep": {"display_name": user.display_name, "email": user.email, "timezone": user.timezone},
        "calls": [
            {
                "client_id": str(call.client_id),
                "outcome": call.outcome,
                **_times("occurred_at", call.occurred_at, zone),
                "local_date": call.local_date.isoformat(),
                "points": call.points,
                "bounce_back": call.bounce_back,
                "source": call.source,
                **_times("undone_at", call.undone_at, zone),
            }
            for call in calls
        ],
        "reviews": [
            {
                "call_client_id": client_ids.get(review.call_id),
                "asked_right_questions": review.asked_right_questions,
                "listened_actively": review.listened_actively,
                "timing_right": review.timing_right,
                "objection": review.objection,
                "next_time": review.next_time,
                "points": review.points,
                **_times("created_at", review.created_at, zone),
            }
            for review in reviews
        ],
        "resets": [
            {
                "kind": reset.kind,
                "minutes": reset.minutes,
                "points": reset.points,
                "local_date": reset.local_date.isoformat(),
                **_times("started_at", reset.started_at, zone),
                **_times("finished_at", reset.finished_at, zone),
            }
            for reset in resets
        ],
        "badges": [
            {
                "code": badge.code,
                "name": _badge_name(badge.code),
                "local_date": badge.local_date.isoformat(),
                **_times("earned_at", badge.earned_at, zone),
            }
            for badge in badges
        ],
        "wins": [
            {
                "kind": win.kind,
                "title": win.title,
                "detail": win.detail,
                "local_date": win.local_date.isoformat(),
                **_times("occurred_at", win.occurred_at, zone),
            }
            for win in wins
        ],
    }


def _badge_name(code: str) -> str:
    try:
        return badge_by_code(code).name
    except (KeyError, ValueError):
        return code


def export_zip(user: User, now: datetime | None = None) -> bytes:
    """The document as one CSV per kind, plus the JSON itself, in a zip."""
    document = export_document(user, now)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for kind in ("calls", "reviews", "resets", "badges", "wins"):
            archive.writestr(f"{kind}.csv", _csv(document[kind]))
        archive.writestr("closer-export.json", json.dumps(document, indent=1, ensure_ascii=False))
    return buffer.getvalue()


def _csv(rows: list[dict]) -> str:
    out = io.StringIO()
    if rows:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        for row in rows:
            # A cell starting with = + - @ is a formula to a spreadsheet: quote it as text.
            writer.writerow({k: f"'{v}" if isinstance(v, str) and v[:1] in "=+-@" else v for k, v in row.items()})
    return out.getvalue()
