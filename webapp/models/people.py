"""A person who signs in (a rep, and possibly a coach), and the browsers they are logged in on."""

from __future__ import annotations

from datetime import date, datetime
from typing import NamedTuple

from flask_login import UserMixin
from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, false
from sqlalchemy.orm import Mapped, mapped_column

from webapp.extensions import db
from webapp.models.base import UTCDateTime, utcnow


class User(UserMixin, db.Model):
    """A rep (and, once teams exist, possibly a coach)."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(60))
    password_hash: Mapped[str] = mapped_column(String(255))
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    # Language and formats ("en_US", "de"...); none follows the browser's language.
    locale: Mapped[str | None] = mapped_column(String(16), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    xp: Mapped[int] = mapped_column(Integer, default=0)
    # The game's settings: a late shift can start its day at 04:00.
    day_start_hour: Mapped[int] = mapped_column(Integer, default=0)
    working_days: Mapped[str] = mapped_column(String(13), default="0,1,2,3,4")
    goal_dials: Mapped[int | None] = mapped_column(Integer, nullable=True)
    goal_conversations: Mapped[int | None] = mapped_column(Integer, nullable=True)
    goal_follow_ups: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # The streak settled through ``streak_as_of``; the last few days are replayed on read.
    streak_as_of: Mapped[date | None] = mapped_column(Date, nullable=True)
    streak_current: Mapped[int] = mapped_column(Integer, default=0)
    streak_longest: Mapped[int] = mapped_column(Integer, default=0)
    streak_freezes: Mapped[int] = mapped_column(Integer, default=0)
    streak_toward_freeze: Mapped[int] = mapped_column(Integer, default=0)
    # The latest call by time, so a bounce back is seen without querying the calls.
    last_call_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    last_call_outcome: Mapped[str | None] = mapped_column(String(20), nullable=True)
    # Offer a reset after this many no's in a row.
    reset_after_nos: Mapped[int] = mapped_column(Integer, default=3)
    # Streaks that forgive: the daily minimum that keeps a streak, the streak a
    # miss broke (and the day), the last repair, and the switch that hides it.
    min_dials: Mapped[int] = mapped_column(Integer, default=10)
    streak_broken: Mapped[int] = mapped_column(Integer, default=0)
    streak_broken_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    streak_repaired_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    hide_streak: Mapped[bool] = mapped_column(Boolean, default=False)
    # Runs the server: the admin pages, registration policy, the audit log.
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    # Switched off by an admin: logged out everywhere and kept out; the data stays.
    deactivated_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # The weekly summary by email (opt-in), and the Monday of the last week it summed up.
    weekly_email: Mapped[bool] = mapped_column(Boolean, default=False)
    weekly_email_sent_for: Mapped[date | None] = mapped_column(Date, nullable=True)
    # "system" follows the device's light or dark setting; "light" or "dark" overrides it.
    theme: Mapped[str] = mapped_column(String(10), default="system", server_default="system")
    # The newest high-five received that Today has already shown (high-five ids only grow).
    high_fives_seen_id: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Whether the coach sees this rep's tough-call marks and resets (as counts per day, never notes).
    coach_sees_tough: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # When the rep answered or skipped the first-run welcome: it never shows again, on any device.
    welcomed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    # The device session this request came through, a ``DeviceRef`` (set at login and by the user loader).
    device = None

    @property
    def can_log_in(self) -> bool:
        """Whether the account may log in (an admin has not switched it off)."""
        return self.deactivated_at is None

    @property
    def working_day_set(self) -> frozenset[int]:
        """Working weekdays, 0 = Monday."""
        return frozenset(int(d) for d in (self.working_days or "").split(",") if d != "")

    def get_id(self) -> str:
        """Flask-Login's alternative id: the device session's token, never the user id.

        It goes into the session and remember cookies, so deleting the device
        session row ends every copy of those cookies.
        """
        if self.device is None:
            raise RuntimeError("No device session: call device_sessions.start(user, ...) before login_user.")
        return self.device.token

    # UserMixin compares users by ``get_id``; two rows of the same rep are the same rep on any device.
    def __eq__(self, other: object) -> bool:
        if not isinstance(other, User):
            return NotImplemented
        return self is other or (self.id is not None and self.id == other.id)

    __hash__ = object.__hash__


class DeviceRef(NamedTuple):
    """Which device session a loaded rep came through: its row, its token and when it was last seen."""

    id: int
    token: str
    last_seen_at: datetime


class DeviceSession(db.Model):
    """One logged-in browser. Its cookies carry a random token; only the token's sha256 is stored.

    Logging out deletes the row, and with it every copy of that browser's
    session and remember cookies; a password change deletes the others.
    """

    __tablename__ = "device_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str] = mapped_column(String(60), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
