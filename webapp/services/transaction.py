"""One unit of work: the service that starts a change commits it, once, or rolls it back.

Services are decorated with ``@writes`` (or wrap a block in
``transaction()``). Units nest: a sync batch opens one, and every tap inside
it runs in that same transaction, which commits when the outermost unit
ends. Views never commit.

The outermost ``@writes`` unit is run again when the database broke it off
to resolve a deadlock (or SQLite gave up waiting for its lock): every write
path is safe to repeat (a tap's client id makes a second insert a replay),
and the rows are locked in one order (days, then lifetime totals, then the
rep, then the team) so that this stays rare.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import ParamSpec, TypeVar

from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from webapp.extensions import db

_DEPTH = "closer_unit_of_work_depth"
ATTEMPTS = 3
# PostgreSQL's deadlock_detected and serialization_failure; SQLite's "database is locked".
_RETRYABLE_CODES = {"40P01", "40001"}
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


def in_transaction() -> bool:
    """Whether a unit of work is open (so a service's changes will be committed by its caller)."""
    return db.session().info.get(_DEPTH, 0) > 0


def _retryable(error: DBAPIError) -> bool:
    code = getattr(error.orig, "sqlstate", None) or getattr(error.orig, "pgcode", None)
    return code in _RETRYABLE_CODES or "database is locked" in str(error.orig)


def writes(service: Callable[P, R]) -> Callable[P, R]:
    """Run a service function as one unit of work (see ``transaction``), again after a deadlock."""

    @functools.wraps(service)
    def unit_of_work(*args: P.args, **kwargs: P.kwargs) -> R:
        outermost = not in_transaction()
        for attempt in range(1, ATTEMPTS + 1):
            try:
                with transaction():
                    return service(*args, **kwargs)
            except DBAPIError as error:
                if not (outermost and attempt < ATTEMPTS and _retryable(error)):
                    raise
        raise AssertionError("unreachable")

    return unit_of_work
