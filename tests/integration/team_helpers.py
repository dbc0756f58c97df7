"""Helpers for tests that need a team: a coach makes one, reps join through invite links."""

from __future__ import annotations

import re

from tests.conftest import Visitor


def make_team(coach: Visitor, name="Night Owls", tz="Europe/London") -> int:
    """The coach creates a team; its id."""
    response = coach.post("/teams", data={"name": name, "timezone": tz})
    assert response.status_code == 303, response.get_data(as_text=True)
    return int(response.headers["Location"].split("/")[2])


def invite_token(coach: Visitor, team_id: int) -> str:
    """A fresh invite link's token, as the coach's page shows it once."""
    html = coach.post(f"/teams/{team_id}/invites").get_data(as_text=True)
    return re.search(r'/join/([A-Za-z0-9_-]+)"', html).group(1)


def tv_token(coach: Visitor, team_id: int) -> str:
    """A fresh TV link's token."""
    html = coach.post(f"/teams/{team_id}/tv").get_data(as_text=True)
    return re.search(r'/tv/([A-Za-z0-9_-]+)"', html).group(1)


def new_rep(app, email: str, name: str, tz="Europe/London") -> Visitor:
    """Another registered, logged-in rep with their own browser."""
    visitor = Visitor(app.test_client())
    assert visitor.register(email=email, name=name, tz=tz).status_code == 303
    return visitor


def join(visitor: Visitor, token: str):
    return visitor.post(f"/join/{token}")
