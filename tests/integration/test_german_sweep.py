"""Every page a German rep, coach or admin can open reads German: no text the catalogue translates is left in English.

The sweep reads ``app.url_map``, so a page added later is swept too. Each GET
route is opened (as a page and, where the page loads parts of itself, as
htmx) by a German coach, a German member and a German admin in a team with
calls, reviews, a huddle, a buddy, a challenge, a reward and a post. Every
piece of visible text (text between tags, and the ``title``, ``aria-label``,
``placeholder`` and ``alt`` a screen reader or a finger finds) is looked up
in the German catalogue: a text that is exactly one of its English messages,
with a German translation that differs, was shown without going through it.
That finds the string a template forgot to wrap, and the one a view wrapped
but rendered in the wrong language, with no list of English words to keep.
"""

from __future__ import annotations

import re
import uuid
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from sqlalchemy import select

from tests.conftest import Visitor
from tests.integration.team_helpers import invite_token, join, make_team, new_rep, tv_token
from webapp.extensions import db
from webapp.models import Reset, Reward, User, Win

CATALOGUE = Path(__file__).resolve().parents[2] / "translations" / "de" / "LC_MESSAGES" / "messages.po"
ATTRIBUTES = ("title", "aria-label", "placeholder", "alt")
# Pages that are not the app's own words: files, feeds for machines, redirects to elsewhere.
SKIPPED = ("static", "pwa.", "api.", "api_calls.", "my_data.download", "teams.export", "notifications.open")


def _english_with_german() -> dict[str, str]:
    """English message → its German, for messages whose German differs and that have no placeholder."""
    with open(CATALOGUE, "rb") as po:
        catalogue = read_po(po, locale="de")
    found = {}
    for message in catalogue:
        if not message.id or message.fuzzy:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for english, german in zip(ids, strings, strict=False):
            if german and german != english and "%(" not in english and len(english) > 2:
                found[english] = german
    return found


ENGLISH = _english_with_german()


class _Texts(HTMLParser):
    """The visible texts of a page: text nodes (not in script or style) and the labelling attributes."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "template"):
            self._hidden += 1
        for name, value in attrs:
            if name in ATTRIBUTES and value:
                self.texts.append(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template") and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.texts.append(data)


def untranslated(html: str) -> set[str]:
    """The texts of ``html`` that are English messages the catalogue has in German."""
    parser = _Texts()
    parser.feed(html)
    found = set()
    for raw in parser.texts:
        text = re.sub(r"\s+", " ", raw).strip()
        if text in ENGLISH:
            found.add(text)
    return found


def test_the_sweep_finds_an_english_message_and_passes_german():
    assert untranslated("<p>Today</p>") == {"Today"}
    assert untranslated('<button aria-label="Today">x</button>') == {"Today"}
    assert untranslated(f"<p>{ENGLISH['Today']}</p><script>Today</script>") == set()


def _german(app, email: str, name: str) -> Visitor:
    visitor = new_rep(app, email, name)
    assert visitor.post("/settings/locale", data={"locale": "de"}).status_code in (302, 303)
    return visitor


@pytest.fixture
def world(app):
    """A German coach and member in a team with calls, a review, a post, a reward, a reset and a challenge."""
    coach = _german(app, "coach@example.com", "Cora Coach")
    team_id = make_team(coach, "Nachteulen")
    member = _german(app, "member@example.com", "Max Member")
    join(member, invite_token(coach, team_id))
    call_id = str(uuid.UUID(int=42))
    for outcome in ("no_answer", "voicemail", "not_interested", "meeting", "sale"):
        member.tap(outcome)
    member.tap("not_interested", client_id=call_id)
    coach.tap("not_interested")
    member.post(f"/calls/{call_id}/review", data={"asked_right_questions": "yes", "objection": "price"})
    member.post(f"/teams/{team_id}/messages", data={"body": "Guter Start"})
    member.post("/rewards", data={"label": "Tee", "metric": "dials", "threshold": "3"})
    member.post("/resets", data={"kind": "walk", "minutes": "1"})
    coach.post(f"/teams/{team_id}/challenge", data={"metric": "dials", "target": "100", "period": "week"})
    with app.app_context():
        coach_user = db.session.scalar(select(User).where(User.email == "coach@example.com"))
        coach_user.is_admin = True
        db.session.commit()
        known = {
            "team_id": team_id,
            "user_id": db.session.scalar(select(User.id).where(User.email == "member@example.com")),
            "reward_id": db.session.scalar(select(Reward.id)),
            "reset_id": db.session.scalar(select(Reset.id)),
            "client_id": call_id,
            "key": f"w{db.session.scalar(select(Win.id))}",
            "token": tv_token(coach, team_id),
        }
    return {"coach": coach, "member": member, "known": known}


def _url(rule, known: dict) -> str | None:
    path = rule.rule
    for name in rule.arguments:
        if name not in known:
            return None
        path = re.sub(r"<(?:[a-z]+(?:\([^)]*\))?:)?" + name + ">", str(known[name]), path)
    return path


def test_every_page_reads_german_for_a_german_coach_and_member(app, world):
    rules = [
        rule
        for rule in app.url_map.iter_rules()
        if "GET" in rule.methods and not rule.endpoint.startswith(SKIPPED) and rule.endpoint != "auth.logout"
    ]
    problems: dict[str, set[str]] = {}
    opened = 0
    for role in ("coach", "member"):
        visitor = world[role]
        for rule in sorted(rules, key=lambda r: r.rule):
            url = _url(rule, world["known"])
            if url is None:
                continue
            for headers in ({}, {"HX-Request": "true"}):
                response = visitor.get(url, headers=headers)
                if response.status_code != 200 or response.mimetype != "text/html":
                    continue
                opened += 1
                found = untranslated(response.get_data(as_text=True))
                if found:
                    problems.setdefault(f"{role} {url}{' (htmx)' if headers else ''}", set()).update(found)
    assert opened > 60, opened  # the sweep reached the pages, not the login wall
    report = "\n".join(f"{page}: {sorted(texts)}" for page, texts in sorted(problems.items()))
    assert not problems, "English left on German pages:\n" + report


def test_badge_art_speaks_german_to_a_screen_reader(app, world):
    page = world["member"].get("/badges").get_data(as_text=True)
    assert 'aria-label="Abzeichen Erster Anruf, verdient"' in page
    assert "badge, earned" not in page and "badge, locked" not in page
    assert ">Verkauf</text>" in page and ">Sale</text>" not in page
