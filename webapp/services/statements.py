"""Prepared-once SQL for the hot write path.

SQLAlchemy cannot cache the compiled form of ``INSERT ... ON CONFLICT``
statements, so building one per tap costs more than running it. Each such
statement is compiled here once per database kind into a typed ``text()``
construct, which SQLAlchemy does cache; parameters and results keep their
column types (UUIDs, dates, UTC datetimes).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable

from sqlalchemy import TextClause, bindparam, text
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
    clause = text(sql).bindparams(*compiled.binds.values())
    returning = getattr(statement, "_returning", ())
    return clause.columns(*returning) if returning else clause


def run(build: Callable[[str], object], params: dict, *, key: Hashable | None = None):
    """Execute the statement ``build(dialect)`` makes, compiled once per ``key`` and database kind."""
    dialect = db.session.get_bind().dialect.name
    cache_key = (key if key is not None else build, dialect)
    clause = _PREPARED.get(cache_key)
    if clause is None:
        clause = _PREPARED[cache_key] = _prepare(build, dialect)
    return db.session.connection().execute(clause, params)


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
