"""The shape of the house: no import circles, pure rules, thin views, rooms of one purpose.

Read from the source with ``ast``, so a new import that closes a circle, a
view that commits or a module that grows past its room fails here first.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "webapp"
MAX_MODULE_LINES = 400


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def _imports(path: Path) -> list[tuple[str, tuple[str, ...]]]:
    """Every module this file imports (anywhere in it, functions included), with the names taken."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.extend((alias.name, ()) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.module, tuple(alias.name for alias in node.names)))
    return found


def _internal_edges(name: str) -> set[str]:
    """The webapp modules ``name`` depends on (``from pkg import mod`` counts as importing ``pkg.mod``)."""
    edges = set()
    for module, names in _imports(MODULES[name]):
        for target in [f"{module}.{n}" for n in names] + [module]:
            if target in MODULES and target != name:
                edges.add(target)
                break
    return edges


GRAPH = {name: _internal_edges(name) for name in MODULES}


def _cycle() -> list[str] | None:
    """One import circle among webapp's modules, or None."""
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(GRAPH[node]):
            if state.get(nxt) == 1:
                return path[path.index(nxt) :] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        path.pop()
        state[node] = 2
        return None

    for node in sorted(GRAPH):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_the_import_graph_of_webapp_has_no_circle():
    circle = _cycle()
    assert circle is None, "import circle: " + " -> ".join(circle or [])


def test_the_graph_sees_the_write_path_conducting_its_rooms():
    # Guards the test itself: if the parser missed imports, the circle check would pass vacuously.
    calls = GRAPH["webapp.services.calls"]
    assert {"webapp.services.game.progress", "webapp.services.teams.challenges"} <= calls
    assert "webapp.services.coaching.aggregates" in calls


@pytest.mark.parametrize("name", [n for n in MODULES if n.startswith("webapp.domain")])
def test_the_rules_import_neither_flask_nor_sqlalchemy_nor_the_app(name):
    for module, _ in _imports(MODULES[name]):
        assert not module.startswith(("flask", "sqlalchemy", "werkzeug")), f"{name} imports {module}"
        assert not module.startswith("webapp.") or module.startswith("webapp.domain"), f"{name} imports {module}"


@pytest.mark.parametrize("name", [n for n in MODULES if n.startswith("webapp.services")])
def test_services_leave_request_globals_and_the_cookie_session_alone(name):
    for module, names in _imports(MODULES[name]):
        if module == "flask":
            assert not {"g", "session", "request"} & set(names), f"{name} takes {names} from flask"


@pytest.mark.parametrize("name", [n for n in MODULES if n.startswith("webapp.views")])
def test_views_never_commit(name):
    source = MODULES[name].read_text()
    assert ".commit(" not in source and "transaction(" not in source, f"{name} manages a transaction"


@pytest.mark.parametrize("name", [n for n in MODULES if n.startswith("webapp.services")])
def test_services_commit_only_through_the_unit_of_work(name):
    if name == "webapp.services.transaction":
        return
    assert ".commit(" not in MODULES[name].read_text(), f"{name} commits on its own"


def test_every_prepared_statement_lives_in_the_hot_sql_package():
    makers = {
        name
        for name, path in MODULES.items()
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Statement"
    }
    assert makers and all(name.startswith("webapp.services.hot_sql") for name in makers), makers


@pytest.mark.parametrize("name", sorted(MODULES))
def test_no_module_outgrows_its_room(name):
    lines = len(MODULES[name].read_text().splitlines())
    assert lines <= MAX_MODULE_LINES, f"{name} has {lines} lines; split it by purpose"
