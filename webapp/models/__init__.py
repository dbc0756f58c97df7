"""The database schema, as typed SQLAlchemy 2.0 models, one module per part of the product.

The schema changes only through Alembic migrations in ``migrations/``.
"""

from webapp.models.admin import AdminAction, InstanceSetting
from webapp.models.base import OutcomeCounts, UTCDateTime, utcnow
from webapp.models.calls import Call, DailyTotal, PlayerTotals
from webapp.models.coaching import CallReview, HourlyActivity, Reset, ReviewWeek, ToughCall
from webapp.models.game import EarnedBadge, Reward, RewardHit, TimeOff, Win
from webapp.models.integrations import (
    ApiToken,
    DispositionMapping,
    PendingDialerCall,
    TeamDispositionMapping,
    TeamWebhook,
    WebhookDelivery,
)
from webapp.models.notifications import InboxItem, NotificationSettings, PushDelivery, PushSubscription, TeamNews
from webapp.models.people import DeviceRef, DeviceSession, User
from webapp.models.people_support import BuddyPair, BuddySeat, HuddleAnswer, HuddleHighFive, HuddleSetting
from webapp.models.teams import HighFive, Team, TeamChallenge, TeamInvite, TeamMember, TeamMessage, TeamRemoval

__all__ = [
    "AdminAction",
    "BuddyPair",
    "ApiToken",
    "BuddySeat",
    "Call",
    "CallReview",
    "DailyTotal",
    "DeviceRef",
    "DeviceSession",
    "DispositionMapping",
    "EarnedBadge",
    "HighFive",
    "HuddleAnswer",
    "HuddleHighFive",
    "HuddleSetting",
    "HourlyActivity",
    "InboxItem",
    "InstanceSetting",
    "NotificationSettings",
    "OutcomeCounts",
    "PendingDialerCall",
    "PlayerTotals",
    "PushDelivery",
    "PushSubscription",
    "Reset",
    "ReviewWeek",
    "Reward",
    "RewardHit",
    "Team",
    "TeamChallenge",
    "TeamDispositionMapping",
    "TeamInvite",
    "TeamMember",
    "TeamMessage",
    "TeamNews",
    "TeamRemoval",
    "TeamWebhook",
    "TimeOff",
    "ToughCall",
    "UTCDateTime",
    "User",
    "WebhookDelivery",
    "Win",
    "utcnow",
]
