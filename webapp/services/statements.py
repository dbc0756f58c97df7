"""Prepared-once SQL for the tap's hot path.

A tap runs about ten small statements. Through SQLAlchemy each costs far
more than the database work itself: building the statement and deriving its
cache key (about 140 us for a small ORM query on SQLite), then an execution
context and a result object (about 25 us more, against 3 us for the driver
call). So each statement a tap runs is built once, from an ordinary
SQLAlchemy construct in a builder function, and compiled once per database
kind into its SQL string plus the type processors SQLAlchemy would apply
(UUIDs, dates, UTC datetimes, booleans). ``run`` then executes that SQL on
the session's own driver connection, inside the session's transaction, and
hands back plain named rows.

What this gives up: engine events and SQL echo do not see these statements.
Pending ORM changes are flushed first, as an ORM query would, and driver
errors are raised as SQLAlchemy's ``DBAPIError`` subclasses.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Callable, Hashable
from dataclasses import dataclass

from sqlalchemy import bindparam, exc
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Dialect

from webapp.extensions import db


@dataclass(frozen=True)
class _Prepared:
    """A statement compiled for one dialect, with what it needs to run on the bare driver."""

    sql: str
    names: tuple[str, ...]  # parameter order for a positional driver, else the names it takes
    positional: bool
    fixed: dict  # parameters with a value of their own (a literal's bind, "version_1")
    processors: dict  # parameter name -> bind processor
    row: type | None  # the named tuple for result rows (None: no rows)
    results: tuple  # one result processor (or None) per column


def _prepare(build: Callable, dialect: Dialect) -> _Prepared:
    statement = build(dialect.name)
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
    return _Prepared(compiled.string, names, positional, fixed, dict(compiled._bind_processors), row, results)


class Rows(list):
    """The rows a prepared statement returned, with the accessors callers use on SQLAlchemy results."""

    def one(self):
        """The only row; an error when there is none or more than one."""
        if len(self) != 1:
            raise exc.NoResultFound("No row was found") if not self else exc.MultipleResultsFound("Many rows")
        return self[0]

    def first(self):
        """The first row, or ``None``."""
        return self[0] if self else None

    def scalar(self):
        """The first column of the first row, or ``None``."""
        return self[0][0] if self else None

    def scalar_one(self):
        """The first column of the only row."""
        return self.one()[0]

    def all(self) -> list:
        """Every row."""
        return list(self)


_PREPARED: dict[tuple[Hashable, str], _Prepared] = {}


def run(build: Callable[[str], object], params: dict, *, key: Hashable | None = None) -> Rows:
    """Execute the statement ``build(dialect_name)`` makes, compiled once per ``key`` and database kind.

    Like an ORM query, it first flushes objects added or changed in the session,
    so it sees them (a tap has none: it changes the rep's row through SQL).
    """
    session = db.session()
    if session.autoflush and (session.new or session.dirty or session.deleted):
        session.flush()
    connection = session.connection()
    dialect = connection.dialect
    cache_key = (key if key is not None else build, dialect.name)
    prepared = _PREPARED.get(cache_key)
    if prepared is None:
        prepared = _PREPARED[cache_key] = _prepare(build, dialect)
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


def rows(build: Callable[[str], object], **params) -> list:
    """All rows of the prepared query ``build(dialect)`` makes, as named tuples."""
    return run(build, params).all()


def first(build: Callable[[str], object], **params):
    """The first row of the prepared query ``build(dialect)`` makes, or ``None``."""
    return run(build, params).first()


def scalar(build: Callable[[str], object], **params):
    """The first column of the first row of the prepared query, or ``None``."""
    return run(build, params).scalar()


def upsert(model, keys: dict, values: dict, increments: dict):
    """Insert a row or add ``increments`` to it, atomically; returns the row after.

    ``keys`` name the conflict target, ``values`` are set on insert only.
    """
    table = model.__table__
    # Prepared SQL skips Python-side column defaults, so supply them here.
    given = {*keys, *values, *increments}
    values = {
        **{
            c.name: c.default.arg
            for c in table.c
            if c.name not in given and c.default is not None and c.default.is_scalar
        },
        **values,
    }
    shape = (table.name, tuple(keys), tuple(values), tuple(increments))

    def build(dialect: str):
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        names = (*keys, *values, *increments)
        stmt = insert(table).values({n: bindparam(n, type_=table.c[n].type) for n in names})
        return stmt.on_conflict_do_update(
            index_elements=[table.c[k] for k in keys],
            set_={k: table.c[k] + stmt.excluded[k] for k in increments},
        ).returning(*table.c)

    return run(build, {**keys, **values, **increments}, key=shape).one()
