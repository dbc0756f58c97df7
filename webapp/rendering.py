"""One place decides "partial or full page", and says so with ``Vary``."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Flask, Response, g, render_template

from webapp.domain.goals import ring_geometry
from webapp.domain.outcomes import label_for
from webapp.extensions import htmx


def is_fragment_request() -> bool:
    """True for an htmx swap; False for navigation, boosts and history restores.

    Reading the header is recorded, so the response carries ``Vary: HX-Request``
    and no cache ever serves a fragment as a page.
    """
    g.varies_on_htmx = True
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request


def render_page(page: str, partial: str, **context) -> str:
    """The full ``page`` for navigation, or just ``partial`` for an htmx swap."""
    return render_template(partial if is_fragment_request() else page, **context)


def local_time(moment: datetime, tz_name: str) -> str:
    """A UTC instant as the rep's wall-clock time, like 14:05."""
    return moment.astimezone(ZoneInfo(tz_name)).strftime("%H:%M")


def init_app(app: Flask) -> None:
    """Template filters, and ``Vary: HX-Request`` on responses whose body depended on it."""
    app.add_template_filter(label_for, "outcome_label")
    app.add_template_filter(local_time, "local_time")
    app.add_template_global(ring_geometry, "ring_geometry")

    @app.after_request
    def vary_on_htmx(response: Response) -> Response:
        if g.get("varies_on_htmx"):
            response.vary.add("HX-Request")
        return response
