"""Who may register: open, invite only (the default in production), or email addresses of listed domains.

The admin chooses; the choice is kept in ``instance_settings``. Until an
admin chooses, production is invite only and development and testing are
open. An invite always needs to be a live one, and a listed-domains server
checks the domain whether or not the rep came through an invite.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext, lazy_gettext

from webapp.extensions import db
from webapp.models import InstanceSetting, User
from webapp.services.admin import audit
from webapp.services.transaction import writes

OPEN, INVITE, DOMAINS = "open", "invite", "domains"
POLICY_LABELS = {
    OPEN: lazy_gettext("Open: anyone who finds the page can register"),
    INVITE: lazy_gettext("Invite only: registration works only through a team invite link"),
    DOMAINS: lazy_gettext("Listed domains: only email addresses of the domains below"),
}
_POLICY_KEY, _DOMAINS_KEY = "registration_policy", "registration_domains"
_DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
MAX_DOMAINS = 50


class PolicyError(ValueError):
    """A registration policy that was not saved; the message says why."""


@dataclass(frozen=True)
class Policy:
    """Who may register, and (for ``DOMAINS``) the listed domains."""

    kind: str
    domains: tuple[str, ...] = ()

    @property
    def note(self) -> str:
        """What the register page says about it."""
        if self.kind == INVITE:
            return gettext("Registration here is by invite only: open the invite link your coach sent you.")
        if self.kind == DOMAINS:
            return gettext("Registration here is for email addresses at %(domains)s.", domains=", ".join(self.domains))
        return ""


def _stored(key: str) -> str | None:
    row = db.session.get(InstanceSetting, key)
    return row.value if row else None


def default_kind() -> str:
    """Invite only in production; open in development and testing."""
    return OPEN if current_app.config.get("CLOSER_ENV") in {"development", "testing"} else INVITE


def current_policy() -> Policy:
    """The policy in force (the admin's choice, else the default)."""
    kind = _stored(_POLICY_KEY) or default_kind()
    domains = tuple(d for d in (_stored(_DOMAINS_KEY) or "").split(",") if d)
    return Policy(kind if kind in POLICY_LABELS else INVITE, domains)


def parse_domains(text: str) -> tuple[str, ...]:
    """Domains from the admin's form (one a line, or separated by commas or spaces), or ``PolicyError``."""
    found: list[str] = []
    for word in re.split(r"[\s,;]+", (text or "").lower()):
        word = word.strip().lstrip("@").rstrip(".")
        if not word or word in found:
            continue
        if not _DOMAIN.match(word):
            raise PolicyError(gettext("%(word)s is not a domain like example.com.", word=repr(word[:60])))
        found.append(word)
    if len(found) > MAX_DOMAINS:
        raise PolicyError(gettext("List at most %(count)s domains.", count=MAX_DOMAINS))
    return tuple(found)


@writes
def set_policy(admin: User, kind: str, domains_text: str) -> Policy:
    """Save who may register, noted in the audit log; ``PolicyError`` for a bad choice (nothing changes)."""
    if kind not in POLICY_LABELS:
        raise PolicyError(gettext("Choose who may register."))
    domains = parse_domains(domains_text)
    if kind == DOMAINS and not domains:
        raise PolicyError(gettext("List at least one domain, like example.com."))
    for key, value in ((_POLICY_KEY, kind), (_DOMAINS_KEY, ",".join(domains))):
        row = db.session.get(InstanceSetting, key)
        if row is None:
            db.session.add(InstanceSetting(key=key, value=value))
        else:
            row.value = value
    policy = Policy(kind, domains)
    detail = kind + (": " + ", ".join(domains) if kind == DOMAINS else "")
    audit.record(admin, "registration", detail=detail)
    return policy


def refusal(policy: Policy, email: str, has_invite: bool) -> str | None:
    """Why this registration is not allowed, or ``None`` when it is.

    It depends only on the policy, the email's domain and the invite, never
    on whether the email has an account.
    """
    if policy.kind == INVITE and not has_invite:
        return policy.note
    if policy.kind == DOMAINS:
        domain = (email or "").strip().lower().rpartition("@")[2]
        if domain not in policy.domains:
            return policy.note
    return None
