"""The pieces every hot-path statement is built from."""

from __future__ import annotations

from sqlalchemy import bindparam
from sqlalchemy.dialects import postgresql, sqlite

from webapp.domain.outcomes import CONVERSATIONS, POSITIVES

POSITIVE_CODES = tuple(o.value for o in POSITIVES)
CONVERSATION_CODES = frozenset(o.value for o in CONVERSATIONS)


def insert_for(dialect: str):
    return postgresql.insert if dialect == "postgresql" else sqlite.insert


def binds(table, names) -> dict:
    return {n: bindparam(n, type_=table.c[n].type) for n in names}


def adding(model, keys: tuple[str, ...], counters: tuple[str, ...], insert_only: tuple[str, ...] = ()):
    """An upsert that inserts the row or adds ``counters`` to it; returns the row after."""
    table = model.__table__

    def build(dialect: str):
        stmt = insert_for(dialect)(table).values(binds(table, (*keys, *insert_only, *counters)))
        return stmt.on_conflict_do_update(
            index_elements=[table.c[k] for k in keys],
            set_={c: table.c[c] + stmt.excluded[c] for c in counters},
        ).returning(*table.c)

    return build
