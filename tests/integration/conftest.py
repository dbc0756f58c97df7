"""Fixtures for the integration tier beyond the shared ones in tests/conftest.py."""

import pytest

from tests.conftest import Visitor
from tests.integration.notify_helpers import push_on, standin  # noqa: F401 (fixtures)
from tests.integration.team_helpers import invite_token, join, make_team, new_rep


@pytest.fixture
def team_id(rep) -> int:
    """Rita Rep (the ``rep`` fixture) coaches the Night Owls."""
    return make_team(rep)


@pytest.fixture
def mate(app, rep, team_id) -> Visitor:
    """Mo Mate, a plain member of the Night Owls."""
    visitor = new_rep(app, "mo@example.com", "Mo Mate")
    assert join(visitor, invite_token(rep, team_id)).status_code == 303
    return visitor
