"""One unit of work: the service that starts a change commits it, once, or rolls it back.

Services wrap their writes in ``transaction()`` (or are decorated with
``@writes``). Blocks nest: a sync batch
opens one, and every tap inside it runs in that same transaction, which
commits when the outermost block ends. Views never commit.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import ParamSpec, TypeVar

from sqlalchemy.orm import Session

from webapp.extensions import db

_DEPTH = "closer_unit_of_work_depth"
P = ParamSpec("P")
R = TypeVar("R")


@contextmanager
def transaction() -> Iterator[Session]:
    """Run the block in the session's transaction; the outermost block commits, or rolls back on error."""
    session = db.session()
    depth = session.info.get(_DEPTH, 0)
    session.info[_DEPTH] = depth + 1
    try:
        yield session
    except BaseException:
        session.info[_DEPTH] = depth
        if depth == 0:
            session.rollback()
        raise
    session.info[_DEPTH] = depth
    if depth == 0:
        session.commit()


def writes(service: Callable[P, R]) -> Callable[P, R]:
    """Run a service function as one unit of work (see ``transaction``)."""

    @functools.wraps(service)
    def in_transaction(*args: P.args, **kwargs: P.kwargs) -> R:
        with transaction():
            return service(*args, **kwargs)

    return in_transaction
