"""How the hot path's statements run: compiled once on the driver, or plainly through the session.

A tap runs about ten small statements. Through SQLAlchemy each costs far
more than the database work itself: building the statement and deriving its
cache key, then an execution context and a result object. So each statement
a tap runs is a ``Statement`` (all of them live in ``hot_sql``): built once
from an ordinary SQLAlchemy construct, compiled once per database kind into
its SQL string plus the type processors SQLAlchemy would apply (UUIDs, dates,
UTC datetimes, booleans), and executed on the session's own driver
connection, inside the session's transaction, as plain named rows.

That speed trick leans on private parts of SQLAlchemy's compiler, and
engine events and SQL echo do not see it. So it is fenced here, with the
plain path beside it: with the ``PLAIN_SQL`` setting (``CLOSER_PLAIN_SQL=1``)
the very same constructs run through ``db.session.execute``. CI runs the
suite both ways, and ``bench/tap_throughput.py --sql-modes prepared,plain``
measures what the trick is worth.

Either way pending ORM changes are flushed first, as an ORM query would, and
driver errors are raised as SQLAlchemy's ``DBAPIError`` subclasses.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import current_app
from sqlalchemy import exc
from sqlalchemy.engine import Dialect
from sqlalchemy.sql import Executable

from webapp.extensions import db


@dataclass(frozen=True)
class _Compiled:
    """A statement compiled for one dialect, with what it needs to run on the bare driver."""

    sql: str
    names: tuple[str, ...]  # parameter order for a positional driver, else the names it takes
    positional: bool
    fixed: dict  # parameters with a value of their own (a literal's bind, "version_1")
    processors: dict  # parameter name -> bind processor
    row: type | None  # the named tuple for result rows (None: no rows)
    results: tuple  # one result processor (or None) per column


@dataclass(eq=False)
class Statement:
    """One statement of the hot path: a name, and how to build it for a database kind.

    Statements are module constants (see ``hot_sql``), so what is compiled
    and kept here is bounded by the code, never by the data.
    """

    name: str
    build: Callable[[str], Executable]
    _constructs: dict[str, Executable] = field(default_factory=dict, repr=False)
    _compiled: dict[str, _Compiled] = field(default_factory=dict, repr=False)

    def construct(self, dialect: str) -> Executable:
        """The SQLAlchemy construct for this database kind, built once."""
        built = self._constructs.get(dialect)
        if built is None:
            built = self._constructs[dialect] = self.build(dialect)
        return built

    def compiled(self, dialect: Dialect) -> _Compiled:
        """The construct compiled for this dialect, once."""
        done = self._compiled.get(dialect.name)
        if done is None:
            done = self._compiled[dialect.name] = _compile(self.construct(dialect.name), dialect)
        return done


def _compile(statement: Executable, dialect: Dialect) -> _Compiled:
    compiled = statement.compile(dialect=dialect)
    positional = bool(compiled.positional)
    names = (
        tuple(compiled.positiontup)
        if positional
        else tuple(name for name in compiled.binds if f"%({name})s" in compiled.string or f":{name}" in compiled.string)
    )
    fixed = {name: bind.value for name, bind in compiled.binds.items() if bind.value is not None}
    columns = compiled._result_columns
    row = namedtuple("Row", [c.keyname for c in columns], rename=True) if columns else None
    results = tuple(c.type._cached_result_processor(dialect, None) for c in columns)
    return _Compiled(compiled.string, names, positional, fixed, dict(compiled._bind_processors), row, results)


class Rows(list):
    """The rows a statement returned, with the accessors callers use on SQLAlchemy results."""

    def one(self) -> Any:
        """The only row; an error when there is none or more than one."""
        if len(self) != 1:
            raise exc.NoResultFound("No row was found") if not self else exc.MultipleResultsFound("Many rows")
        return self[0]

    def first(self) -> Any:
        """The first row, or ``None``."""
        return self[0] if self else None

    def scalar(self) -> Any:
        """The first column of the first row, or ``None``."""
        return self[0][0] if self else None

    def scalar_one(self) -> Any:
        """The first column of the only row."""
        return self.one()[0]

    def all(self) -> list:
        """Every row."""
        return list(self)


def plain_sql() -> bool:
    """Whether statements run through ``db.session.execute`` (the ``PLAIN_SQL`` setting)."""
    return bool(current_app.config.get("PLAIN_SQL"))


def run(statement: Statement, params: dict) -> Rows:
    """Execute ``statement`` with ``params`` in the session's transaction; its rows (empty for a write)."""
    session = db.session()
    if session.autoflush and (session.new or session.dirty or session.deleted):
        session.flush()
    connection = session.connection()
    if plain_sql():
        result = session.execute(statement.construct(connection.dialect.name), params)
        # A SELECT answers an ORM result (always rows); a write, a cursor result that may have none.
        return Rows(result.all()) if getattr(result, "returns_rows", True) else Rows()
    return _run_on_driver(connection, statement.compiled(connection.dialect), params)


def _run_on_driver(connection, prepared: _Compiled, params: dict) -> Rows:
    dialect = connection.dialect
    values = {**prepared.fixed, **params} if prepared.fixed else params
    processors = prepared.processors
    if prepared.positional:
        args = tuple(processors[n](values[n]) if n in processors else values[n] for n in prepared.names)
    else:
        args = {n: processors[n](values[n]) if n in processors else values[n] for n in prepared.names}
    cursor = connection.connection.dbapi_connection.cursor()
    try:
        cursor.execute(prepared.sql, args)
        fetched = cursor.fetchall() if prepared.row is not None else ()
    except dialect.loaded_dbapi.Error as error:
        raise exc.DBAPIError.instance(prepared.sql, args, error, dialect.loaded_dbapi.Error, dialect=dialect) from error
    finally:
        cursor.close()
    if prepared.row is None:
        return Rows()
    make, results = prepared.row._make, prepared.results
    if any(results):
        return Rows(make(f(v) if f else v for f, v in zip(results, raw, strict=True)) for raw in fetched)
    return Rows(make(raw) for raw in fetched)


def rows(statement: Statement, **params) -> list:
    """All rows of ``statement``, as named tuples."""
    return run(statement, params).all()


def first(statement: Statement, **params) -> Any:
    """The first row of ``statement``, or ``None``."""
    return run(statement, params).first()


def scalar(statement: Statement, **params) -> Any:
    """The first column of the first row of ``statement``, or ``None``."""
    return run(statement, params).scalar()
