"""The coach's webhooks: the team's wins posted to a chat or any URL, signed, with the last deliveries."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext

from webapp import worker
from webapp.domain.webhooks import DELIVERY_STATES, EVENTS, SIGNATURE_HEADER, TEST_EVENT, TEST_EVENT_LABEL
from webapp.services.integrations import webhooks
from webapp.services.teams import seats
from webapp.views.team_access import team_route

bp = Blueprint("team_webhooks", __name__)


def _page(seat, status: int = 200, **context):
    context.setdefault("error", None)
    context.setdefault("form", {})
    return render_template(
        "teams/webhooks.html",
        team=seat.team,
        hooks=webhooks.webhooks_of(seat.team),
        deliveries=webhooks.recent_deliveries(seat.team),
        events=EVENTS,
        event_labels={**EVENTS, TEST_EVENT: TEST_EVENT_LABEL},
        delivery_states=DELIVERY_STATES,
        signature_header=SIGNATURE_HEADER,
        **context,
    ), status


@bp.get("/teams/<int:team_id>/webhooks")
@team_route(seats.COACH)
def index(seat):
    """The team's webhooks, the last deliveries and their status, and the form to add one."""
    return _page(seat)


@bp.post("/teams/<int:team_id>/webhooks")
@team_route(seats.COACH)
def add(seat):
    """Add a webhook and show its signing secret."""
    form = request.form
    try:
        hook = webhooks.add_webhook(seat.team, form.get("url", ""), form.getlist("events"), form.get("slack") == "on")
    except webhooks.WebhookRefused as refused:
        return _page(seat, 422, error=str(refused), form=form)
    return _page(seat, 201, new_hook=hook)


@bp.post("/teams/<int:team_id>/webhooks/<int:webhook_id>/delete")
@team_route(seats.COACH)
def remove(seat, webhook_id: int):
    """Remove a webhook; nothing more is sent to it."""
    if webhooks.remove_webhook(seat.team, webhook_id):
        flash(gettext("Webhook removed."), "success")
    return redirect(url_for("team_webhooks.index", team_id=seat.team.id), 303)


@bp.post("/teams/<int:team_id>/webhooks/<int:webhook_id>/test")
@team_route(seats.COACH)
def send_test(seat, webhook_id: int):
    """Queue a test event and have the worker send it now."""
    if webhooks.send_test(seat.team, webhook_id):
        worker.send_webhooks_now()
        flash(gettext("Test event sent; its status shows below."), "success")
    return redirect(url_for("team_webhooks.index", team_id=seat.team.id, _anchor="deliveries"), 303)
