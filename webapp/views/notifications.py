"""The bell and its list, notification settings, and the JSON the page script and service worker call."""

from __future__ import annotations

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user, login_required

from webapp.rendering import render_page
from webapp.services.notifications import devices, inbox, keys, preferences
from webapp.views import settings as settings_views

bp = Blueprint("notifications", __name__)


def _rep():
    return current_user._get_current_object()


@bp.app_template_global()
def unread_notifications() -> int:
    """The bell's count, for the top bar of every logged-in page."""
    return inbox.unread_count(current_user.id) if current_user.is_authenticated else 0


@bp.app_template_global()
def notification_panel():
    """Settings' "Notifications on this device": the choices, paused kinds, devices, and the push key."""
    return {
        "panel": preferences.panel(_rep()),
        "devices": devices.devices_of(_rep()),
        "public_key": keys.public_key(),
        "kinds": preferences.KINDS,
        "lead_hours": preferences.AT_RISK_LEAD_HOURS,
    }


@bp.get("/notifications")
@login_required
def index():
    """The list under the bell: newest first, unread marked, reminders with a snooze."""
    page = inbox.inbox_of(current_user.id)
    return render_page("notifications/index.html", "notifications/_list.html", inbox=page)


@bp.get("/notifications/bell")
@login_required
def bell():
    """The bell alone, for the page script to refresh when a push arrives."""
    return render_template("notifications/_bell.html")


@bp.post("/notifications/read")
@login_required
def read_all():
    """Mark every item read."""
    inbox.mark_all_read(current_user.id)
    return redirect(url_for("notifications.index"), 303)


@bp.get("/notifications/<int:item_id>/open")
@login_required
def open_item(item_id: int):
    """Open an item (from the list or a notification): remember it was opened, then go where it leads."""
    try:
        target = inbox.open_item(current_user.id, item_id)
    except LookupError:
        abort(404)
    return redirect(target, 303)


@bp.post("/notifications/<int:item_id>/snooze")
@login_required
def snooze(item_id: int):
    """Snooze a reminder for an hour, from the list."""
    try:
        inbox.snooze(current_user.id, item_id)
    except LookupError:
        abort(404)
    except inbox.InboxError as refused:
        flash(gettext(str(refused)), "error")
        return redirect(url_for("notifications.index"), 303)
    flash(gettext("Snoozed: if it still matters in an hour, you'll hear again."), "success")
    return redirect(url_for("notifications.index"), 303)


@bp.post("/api/v1/notifications/<int:item_id>/snooze")
@login_required
def snooze_json(item_id: int):
    """Snooze a reminder for an hour, from the notification's own button."""
    try:
        item = inbox.snooze(current_user.id, item_id)
    except LookupError:
        return jsonify(error="not_found", message="There is no such notification."), 404
    except inbox.InboxError as refused:
        return jsonify(error="not_a_reminder", message=str(refused)), 409
    return jsonify(id=item.id, snoozed_until=item.snoozed_until.isoformat())


@bp.post("/api/v1/push/subscriptions")
@login_required
def subscribe():
    """Store this browser's push subscription for the rep."""
    if not keys.push_enabled():
        return jsonify(
            error="push_off", message="Push is off on this server; the list under the bell still works."
        ), 409
    body = request.get_json(silent=True)
    try:
        row = devices.subscribe(_rep(), body, request.user_agent.string or "")
    except devices.SubscriptionError as invalid:
        return jsonify(error="invalid_subscription", message=str(invalid)), 422
    return jsonify(id=row.id), 201


@bp.post("/api/v1/push/subscriptions/remove")
@login_required
def unsubscribe():
    """Forget this browser's subscription (the rep turned the switch off)."""
    body = request.get_json(silent=True)
    endpoint = body.get("endpoint") if isinstance(body, dict) else None
    if not devices.is_endpoint(endpoint):
        return jsonify(error="invalid_body", message="Send the subscription's endpoint."), 422
    devices.unsubscribe(_rep(), endpoint=endpoint)
    return "", 204


@bp.post("/settings/notifications")
@login_required
def save_settings():
    """Save which notifications the rep wants, and when."""
    try:
        preferences.update_preferences(_rep(), request.form)
    except preferences.PreferencesError as invalid:
        return settings_views._page(422, errors=invalid.errors, notify_form=request.form)
    flash(gettext("Notification settings saved."), "success")
    return redirect(url_for("settings.index", _anchor="notifications"), 303)


@bp.post("/settings/notifications/resume/<kind>")
@login_required
def resume(kind: str):
    """Resume a reminder that paused itself after being ignored."""
    try:
        preferences.resume(_rep(), kind)
    except preferences.PreferencesError:
        abort(404)
    flash(gettext("%(kind)s is back on.", kind=preferences.KINDS[kind]), "success")
    return redirect(url_for("settings.index", _anchor="notifications"), 303)


@bp.post("/settings/notifications/devices/<int:device_id>/remove")
@login_required
def remove_device(device_id: int):
    """Stop pushing to one of the rep's devices."""
    if not devices.unsubscribe(_rep(), subscription_id=device_id):
        abort(404)
    flash(gettext("That device gets no more notifications."), "success")
    return redirect(url_for("settings.index", _anchor="notifications"), 303)
