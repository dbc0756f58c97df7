"""Notifications: the rep's inbox, their devices' push subscriptions, what is queued to push, and team news.

An ``InboxItem`` is the notification itself; the bell lists them. Reminders
carry a ``ref`` (kind, day and round), unique per rep: inserting it is the
claim that the reminder is sent, so two workers can never send it twice.
Each item is pushed to each of the rep's devices once, through one
``PushDelivery`` row per device.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from webapp.domain.reminders import DEFAULT_AT_RISK_LEAD, DEFAULT_NUDGE_AT, DEFAULT_QUIET_END, DEFAULT_QUIET_START
from webapp.extensions import db
from webapp.models.base import UTCDateTime, utcnow


def _minutes(at) -> int:
    return at.hour * 60 + at.minute


class NotificationSettings(db.Model):
    """What the rep wants to hear about, and when. A rep without a row has the defaults."""

    __tablename__ = "notification_settings"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    start_nudge: Mapped[bool] = mapped_column(Boolean, default=True)
    streak_risk: Mapped[bool] = mapped_column(Boolean, default=True)
    high_fives: Mapped[bool] = mapped_column(Boolean, default=True)
    team_wins: Mapped[bool] = mapped_column(Boolean, default=True)
    # Wall-clock minutes after midnight, in the rep's timezone.
    nudge_minute: Mapped[int] = mapped_column(Integer, default=_minutes(DEFAULT_NUDGE_AT))
    at_risk_lead_minutes: Mapped[int] = mapped_column(Integer, default=DEFAULT_AT_RISK_LEAD.seconds // 60)
    quiet_start_minute: Mapped[int] = mapped_column(Integer, default=_minutes(DEFAULT_QUIET_START))
    quiet_end_minute: Mapped[int] = mapped_column(Integer, default=_minutes(DEFAULT_QUIET_END))
    # When the rep last resumed a kind that paused itself; ignored reminders before it no longer count.
    start_nudge_resumed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    streak_risk_resumed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class PushSubscription(db.Model):
    """One browser on one device that asked for pushes (the Push API's subscription)."""

    __tablename__ = "push_subscriptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    endpoint: Mapped[str] = mapped_column(Text, unique=True)
    p256dh: Mapped[str] = mapped_column(String(200))
    auth: Mapped[str] = mapped_column(String(100))
    device: Mapped[str] = mapped_column(String(80), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class InboxItem(db.Model):
    """A notification in the rep's list under the bell (and, when push is on, on their devices)."""

    __tablename__ = "inbox_items"
    __table_args__ = (
        UniqueConstraint("user_id", "ref"),
        Index("ix_inbox_items_user_created", "user_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(30))
    title: Mapped[str] = mapped_column(String(120))
    body: Mapped[str] = mapped_column(String(300), default="")
    url: Mapped[str] = mapped_column(String(200), default="/")
    # Reminders: "kind:day:round", unique per rep. Other items may leave it empty.
    ref: Mapped[str | None] = mapped_column(String(80), nullable=True)
    wording: Mapped[str | None] = mapped_column(String(40), nullable=True)
    local_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    snoozed_until: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    @property
    def is_reminder(self) -> bool:
        """Reminders can be snoozed."""
        return self.local_date is not None and self.ref is not None


class PushDelivery(db.Model):
    """One item to push to one device: queued, then sent, gone (device unsubscribed) or failed."""

    __tablename__ = "push_deliveries"
    __table_args__ = (
        UniqueConstraint("item_id", "subscription_id"),
        Index("ix_push_deliveries_state_next", "state", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("inbox_items.id", ondelete="CASCADE"))
    subscription_id: Mapped[int | None] = mapped_column(
        ForeignKey("push_subscriptions.id", ondelete="SET NULL"), nullable=True
    )
    state: Mapped[str] = mapped_column(String(10), default="queued")  # queued, sending, sent, gone, failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_status: Mapped[int | None] = mapped_column(Integer, nullable=True)


class TeamNews(db.Model):
    """Something a teammate should hear about, waiting for the worker to batch it into notifications.

    Written in the transaction of the high-five, win or challenge itself; the
    worker claims rows by setting ``claimed_at`` and turns a minute's worth
    into one notification per recipient and kind.
    """

    __tablename__ = "team_news"
    __table_args__ = (Index("ix_team_news_claimed_id", "claimed_at", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # high_five, win, challenge
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=True)
    recipient_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=True)
    subject: Mapped[str] = mapped_column(String(300), default="")
    ref: Mapped[str | None] = mapped_column(String(80), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
