"""Every hot-path statement compiles on both databases, on the prepared path and on the plain one."""

import pytest
from sqlalchemy.dialects import postgresql, sqlite

from webapp.services import hot_sql
from webapp.services.prepared import Statement

STATEMENTS = [value for value in vars(hot_sql).values() if isinstance(value, Statement)]
DIALECTS = {"sqlite": sqlite.dialect(), "postgresql": postgresql.dialect()}


def test_the_hot_path_has_statements_to_check():
    assert len(STATEMENTS) > 10


@pytest.mark.parametrize("dialect", sorted(DIALECTS))
@pytest.mark.parametrize("statement", STATEMENTS, ids=lambda s: s.name)
def test_a_statement_compiles_with_its_parameters_given_by_name(statement, dialect):
    """The plain path hands parameters by name, as ``session.execute`` does; a write whose
    parameter is named like one of its columns cannot compile there."""
    construct = statement.build(dialect)
    names = list(construct.compile(dialect=DIALECTS[dialect]).binds)
    compiled = construct.compile(dialect=DIALECTS[dialect], column_keys=names)
    assert compiled.string
