"""The daily huddle: its time and prompt, and what makes an answer.

A huddle day is the *team's* calendar date (the team's timezone, midnight
start), whatever each member's own timezone: one stand-up, one list of
answers. Each member answers once a day, or skips.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time

from webapp.domain.wording import N_, worded

ANSWER_MAX = 140
PROMPT_MAX = 80
MORNING_PROMPT = N_("Today's focus")  # marked: the page translates a default prompt
EVENING_PROMPT = N_("One win, one lesson")
DEFAULT_AT = time(9, 0)
NOON = time(12, 0)
DAYS_SHOWN = 5  # the team's huddle card lists this many days, newest first


class HuddleRefused(ValueError):
    """A huddle action not taken; the message is meant for the person who tried, ``field`` names the input."""

    def __init__(self, message: str, field: str = "body"):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class HuddlePlan:
    """A team's huddle as the coach set it: on or off, at a time of the team's day, with a prompt."""

    enabled: bool
    at: time
    prompt: str


def default_prompt(at: time) -> str:
    """The prompt a huddle gets when the coach writes none: focus in the morning, win and lesson later."""
    return MORNING_PROMPT if at < NOON else EVENING_PROMPT


def parse_plan(enabled: bool, raw_time: str, raw_prompt: str) -> HuddlePlan:
    """The coach's form as a plan; ``HuddleRefused`` names the field that is wrong."""
    try:
        at = time.fromisoformat((raw_time or "").strip())
    except ValueError:
        raise HuddleRefused(N_("Give the huddle a time of day, like 09:00."), "time") from None
    prompt = " ".join((raw_prompt or "").split())
    if len(prompt) > PROMPT_MAX:
        raise HuddleRefused(
            worded(N_("Keep the prompt under %(max)s characters (%(now)s now)."), max=PROMPT_MAX, now=len(prompt)),
            "prompt",
        )
    return HuddlePlan(enabled, at.replace(second=0, microsecond=0, tzinfo=None), prompt or default_prompt(at))


def clean_answer(raw: str) -> str:
    """A one-line answer, spaces collapsed; ``HuddleRefused`` when empty or too long."""
    body = " ".join((raw or "").split())
    if not body:
        raise HuddleRefused(N_("Write one line first, or skip today's huddle."))
    if len(body) > ANSWER_MAX:
        raise HuddleRefused(
            worded(N_("Keep it to one line: under %(max)s characters (%(now)s now)."), max=ANSWER_MAX, now=len(body))
        )
    return body
