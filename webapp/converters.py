"""The URL converter every ``<int:…>`` id in a path goes through."""

from __future__ import annotations

from werkzeug.routing import IntegerConverter, Map

from webapp.domain.inputs import MAX_ID


class IdConverter(IntegerConverter):
    """An id in a path: ASCII digits that fit PostgreSQL's ``integer``.

    Werkzeug's own ``int`` takes any size (and the database then fails on
    it) and ``\\d`` matches digits of every script. Anything else in that
    place is no route at all: a plain 404, like an id nobody has.
    """

    regex = r"[0-9]{1,10}"

    def __init__(self, map: Map, *args, **kwargs) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def init_app(app) -> None:
    """Every ``<int:…>`` of the app's rules is an id: registered before any blueprint adds one."""
    app.url_map.converters["int"] = IdConverter
