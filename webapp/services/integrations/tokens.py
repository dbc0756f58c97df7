"""Personal API tokens: made once, shown once, stored as a sha256, revoked for good.

A token is ``closer_pat_`` followed by 43 URL-safe characters (256 random
bits). The prefix lets secret scanners recognise a leaked one; the database
keeps only the digest, so reading it opens nothing.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm.attributes import set_committed_value

from webapp.domain.wording import N_, worded
from webapp.extensions import db
from webapp.models import ApiToken, User, utcnow
from webapp.services.transaction import writes

PREFIX = "closer_pat_"
TOKEN_BYTES = 32
TOKEN_LENGTH = len(PREFIX) + 43  # secrets.token_urlsafe(32) is 43 characters
SCOPES = {"read": N_("Read"), "write": N_("Read and write")}
MAX_NAME = 60
MAX_TOKENS = 20
# "Last used" is written at most this often per token, so most requests only read.
LAST_USED_EVERY = timedelta(minutes=5)


class TokenRefused(ValueError):
    """A token that cannot be made as asked; the message is meant for the rep."""


@dataclass(frozen=True)
class NewToken:
    """A token just made: the row, and the secret, which is never shown again."""

    token: ApiToken
    secret: str


def digest(secret: str) -> str:
    """What is stored of a token."""
    return hashlib.sha256(secret.encode()).hexdigest()


@writes
def create_token(user: User, name: str, scope: str, *, now: datetime | None = None) -> NewToken:
    """Make a named token with ``scope`` (``read`` or ``write``) for ``user``."""
    name = " ".join((name or "").split())
    if not name:
        raise TokenRefused(N_("Give the token a name, like the dialer or script that will use it."))
    if len(name) > MAX_NAME:
        raise TokenRefused(worded(N_("Keep the name to %(max)s characters."), max=MAX_NAME))
    if scope not in SCOPES:
        raise TokenRefused(N_("Choose Read, or Read and write."))
    if len(tokens_of(user, include_revoked=False)) >= MAX_TOKENS:
        raise TokenRefused(worded(N_("You have %(max)s tokens; revoke one you no longer use first."), max=MAX_TOKENS))
    secret = PREFIX + secrets.token_urlsafe(TOKEN_BYTES)
    token = ApiToken(
        user_id=user.id,
        name=name,
        scope=scope,
        token_hash=digest(secret),
        hint=secret[: len(PREFIX) + 4],
        created_at=now or utcnow(),
    )
    db.session.add(token)
    db.session.flush()
    return NewToken(token, secret)


@writes
def revoke_token(user: User, token_id: int, *, now: datetime | None = None) -> bool:
    """Stop one of the rep's tokens working; False when it is not theirs or already revoked."""
    result = db.session.execute(
        update(ApiToken)
        .where(ApiToken.id == token_id, ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=now or utcnow())
    )
    return bool(result.rowcount)


def tokens_of(user: User, *, include_revoked: bool = True) -> list[ApiToken]:
    """The rep's tokens, newest first."""
    query = select(ApiToken).where(ApiToken.user_id == user.id)
    if not include_revoked:
        query = query.where(ApiToken.revoked_at.is_(None))
    return list(db.session.scalars(query.order_by(ApiToken.created_at.desc(), ApiToken.id.desc())))


def token_for(secret: str) -> tuple[ApiToken, User] | None:
    """The live token with this secret and its rep; None when revoked, unknown, malformed, or the rep deactivated."""
    if not secret.startswith(PREFIX) or len(secret) != TOKEN_LENGTH:
        return None
    row = db.session.execute(
        select(ApiToken, User)
        .join(User, User.id == ApiToken.user_id)
        # A deactivated account's tokens stop working with its sessions.
        .where(ApiToken.token_hash == digest(secret), ApiToken.revoked_at.is_(None), User.deactivated_at.is_(None))
    ).first()
    return (row[0], row[1]) if row else None


@writes
def note_use(token: ApiToken, *, now: datetime | None = None) -> None:
    """Keep "last used" current; a write only when the last note is older than ``LAST_USED_EVERY``."""
    now = now or utcnow()
    if token.last_used_at is not None and now - token.last_used_at < LAST_USED_EVERY:
        return
    db.session.execute(update(ApiToken).where(ApiToken.id == token.id).values(last_used_at=now))
    set_committed_value(token, "last_used_at", now)
