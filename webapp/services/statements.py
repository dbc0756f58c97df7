"""Prepared-once SQL for the tap's hot path.

Building a statement and deriving its cache key costs SQLAlchemy more than
running it on SQLite (about 140 us for a small ORM query against 25 us for
the same SQL prepared), and ``INSERT ... ON CONFLICT`` cannot be cached at
all. The statements a tap runs are therefore compiled here once per
database kind into a typed ``text()`` construct, which SQLAlchemy does
cache; parameters and results keep their column types (UUIDs, dates, UTC
datetimes). Parameters are ``bindparam``s named in the builder, so a
prepared statement reads like the query it came from.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable

from sqlalchemy import Column, TextClause, bindparam, column, text
from sqlalchemy.dialects import postgresql, sqlite

from webapp.extensions import db

_DIALECTS = {
    "sqlite": sqlite.dialect(paramstyle="named"),
    "postgresql": postgresql.dialect(paramstyle="named"),
}
_PREPARED: dict[tuple[Hashable, str], TextClause] = {}


def _prepare(build: Callable, dialect: str) -> TextClause:
    statement = build(dialect)
    compiled = statement.compile(dialect=_DIALECTS[dialect])
    # PostgreSQL casts some binds (":id::UUID"); text() needs those colons escaped.
    sql = re.sub(r"(:\w+)::(\w+)", r"\1\:\:\2", compiled.string)
    # Each parameter under the name the SQL gives it (a literal's bind is renamed, "version_1"),
    # with its type and any fixed value; a bind the compiler rendered away is left out.
    clause = text(sql).bindparams(*(
        bindparam(key, value=bind.value, type_=bind.type) if bind.value is not None else bindparam(key, type_=bind.type)
        for key, bind in compiled.binds.items() if f":{key}" in sql
    ))
    columns = getattr(statement, "selected_columns", None) or getattr(statement, "_returning", ())
    # Results are matched by position; an expression (a sum, a count) is named by its label
    # only, so its own parameters do not travel into the text.
    columns = [c if isinstance(c, Column) else column(c.key or f"c{i}", c.type) for i, c in enumerate(columns)]
    return clause.columns(*columns) if columns else clause


def run(build: Callable[[str], object], params: dict, *, key: Hashable | None = None):
    """Execute the statement ``build(dialect)`` makes, compiled once per ``key`` and database kind."""
    dialect = db.session.get_bind().dialect.name
    cache_key = (key if key is not None else build, dialect)
    clause = _PREPARED.get(cache_key)
    if clause is None:
        clause = _PREPARED[cache_key] = _prepare(build, dialect)
    return db.session.connection().execute(clause, params)


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
    # Prepared text skips Python-side column defaults, so supply them here.
    given = {*keys, *values, *increments}
    values = {**{c.name: c.default.arg for c in table.c
                 if c.name not in given and c.default is not None and c.default.is_scalar}, **values}
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
