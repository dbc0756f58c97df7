"""One place decides "partial or full page", and says so with ``Vary``."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache

from flask import Flask, Response, current_app, g, render_template
from flask_babel import get_locale
from markupsafe import Markup

from webapp.domain.appearance import THEME_COLOURS
from webapp.domain.badge_art import moment_svg
from webapp.domain.celebrations import moment_and_toasts
from webapp.domain.goals import GoalProgress, ring_geometry
from webapp.domain.outcomes import REJECTIONS, label_for
from webapp.domain.resilience import RESET_MAX_MINUTES, RESET_MIN_MINUTES, RESETS
from webapp.domain.reviews import OBJECTIONS, REVIEW_TOGGLES
from webapp.extensions import htmx
from webapp.formats import fmt_time
from webapp.i18n import translated


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
    """A UTC instant on the rep's wall clock, in their locale's form: "2:05 PM" or "14:05"."""
    return fmt_time(moment, tz_name)


def ring_markup(ring: GoalProgress) -> Markup:
    """One goal ring as SVG markup, rendered once per state of the ring and locale.

    Every tap re-sends the three rings, and a ring's markup depends on its
    own numbers and the rep's language only, which repeat all day (3 of 5,
    4 of 5...). So the rendered ``calls/_ring.html`` is remembered per ring
    state and locale.
    """
    return _ring_markup(ring, str(get_locale()))


@lru_cache(maxsize=1024)
def _ring_markup(ring: GoalProgress, locale: str) -> Markup:
    template = current_app.jinja_env.get_template("calls/_ring.html")
    return Markup(template.render(ring=ring, g=ring_geometry(ring.fraction)))


def outcome_label(code: str) -> str:
    """The template filter ``|outcome_label``: an outcome's name in the request's language ("Kein Interesse")."""
    return translated(label_for(code))


def init_app(app: Flask) -> None:
    """Template filters, and ``Vary: HX-Request`` on responses whose body depended on it."""
    app.add_template_filter(outcome_label, "outcome_label")
    app.add_template_filter(local_time, "local_time")
    app.add_template_global(ring_markup, "ring_markup")
    app.add_template_global(THEME_COLOURS, "theme_colours")
    # Celebrations: the one full-screen moment and its art, and the small wins as toasts.
    app.add_template_global(moment_and_toasts, "moment_and_toasts")
    app.add_template_global(lambda art: Markup(moment_svg(art, translate=translated)), "moment_art")
    app.add_template_global(frozenset(o.value for o in REJECTIONS), "rejection_codes")
    # The review's questions and objections, and the resets on offer: the same on every page.
    app.add_template_global(REVIEW_TOGGLES, "review_toggles")
    app.add_template_global(OBJECTIONS, "objections")
    app.add_template_global(RESETS, "reset_kinds")
    app.add_template_global(tuple(range(RESET_MIN_MINUTES, RESET_MAX_MINUTES + 1)), "reset_minutes")

    @app.after_request
    def vary_on_htmx(response: Response) -> Response:
        if g.get("varies_on_htmx"):
            response.vary.add("HX-Request")
        return response
