"""Helpers for tests of the API as a dialer or script sees it: with a personal token, no session."""

from __future__ import annotations

import re

TOKEN_PATTERN = re.compile(r'id="new-token-secret"[^>]*value="(closer_pat_[A-Za-z0-9_-]+)"')


def make_token(visitor, name: str = "My dialer", scope: str = "write") -> str:
    """Create a token through the settings page, as a rep does, and read it off the page."""
    response = visitor.post("/settings/integrations/tokens", data={"name": name, "scope": scope})
    assert response.status_code == 201, response.get_data(as_text=True)
    match = TOKEN_PATTERN.search(response.get_data(as_text=True))
    assert match, "the new token is shown on the page"
    return match.group(1)


def bearer(token: str) -> dict:
    """The header a dialer sends."""
    return {"Authorization": f"Bearer {token}"}
