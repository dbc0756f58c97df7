"""Files the browser needs at fixed top-level URLs: the manifest and the service worker.

This blueprint also owns asset versioning. At app start it hashes every file
under ``static/`` into one short version string. Every ``url_for('static', ...)``
gets ``?v=<version>``, so the service worker can serve static files cache-first
without ever showing a stale one. The version is also written into ``/sw.js``, so
deploying new static files changes the worker's bytes and the browser installs
the new worker.
"""

from __future__ import annotations

import hashlib
import json
import os
import time

from flask import Blueprint, Flask, Response, current_app, request, send_from_directory, url_for

bp = Blueprint("pwa", __name__)

SERVICE_WORKER_SOURCE = os.path.join("js", "sw.js")
# The outbox's classic scripts, in load order: the page runs them, and so does the worker
# (its ``importScripts`` placeholder becomes this list: importScripts takes several URLs).
OUTBOX_SCRIPTS = ("js/outbox.js", "js/outbox-replay.js")
# What the worker stores at install, so the main screen opens offline on a cold start:
# every script and stylesheet (the worker's own source aside) and the icons the page links.
PRECACHED_FOLDERS = ("css", "js", "vendor")
PRECACHED_ICONS = ("icons/favicon-32.png", "icons/icon-192.png", "icons/apple-touch-icon-180.png")
IMMUTABLE_MAX_AGE = 60 * 60 * 24 * 365


def asset_version(static_folder: str, salt: str = "") -> str:
    """A short hash of every static file's path and bytes (and ``salt``), stable across restarts."""
    digest = hashlib.sha256(salt.encode())
    for folder, dirs, files in os.walk(static_folder):
        dirs.sort()
        for name in sorted(files):
            path = os.path.join(folder, name)
            digest.update(os.path.relpath(path, static_folder).encode())
            with open(path, "rb") as handle:
                digest.update(handle.read())
    return digest.hexdigest()[:12]


@bp.record_once
def _compute_version(state) -> None:
    app: Flask = state.app
    salt = os.environ.get("CLOSER_ASSET_VERSION", "") + app.config.get("CLOSER_ASSET_VERSION", "")
    app.config["ASSET_VERSION"] = asset_version(app.static_folder, salt)


@bp.app_url_defaults
def _version_static_urls(endpoint: str, values: dict) -> None:
    # Changing any static file changes every static URL, so a cache-first
    # worker can never serve yesterday's CSS with today's HTML.
    if endpoint == "static" and "v" not in values:
        values["v"] = current_app.config["ASSET_VERSION"]


@bp.after_app_request
def _cache_versioned_static(response: Response) -> Response:
    if request.endpoint == "static" and request.args.get("v") == current_app.config["ASSET_VERSION"]:
        response.cache_control.no_cache = None
        response.cache_control.public = True
        response.cache_control.max_age = IMMUTABLE_MAX_AGE
        response.cache_control.immutable = True
    return response


@bp.get("/manifest.json")
def manifest():
    """The web app manifest, kept at the project's top level."""
    response = send_from_directory(current_app.config["PROJECT_ROOT"], "manifest.json")
    response.mimetype = "application/manifest+json"
    return response


@bp.get("/favicon.ico")
def favicon():
    """The small icon browsers ask for on their own."""
    return send_from_directory(os.path.join(current_app.static_folder, "icons"), "favicon-32.png", mimetype="image/png")


@bp.get("/sw.js")
def service_worker():
    """The service worker, at the top so its scope is the whole app; never cached by HTTP."""
    response = Response(service_worker_source(), mimetype="text/javascript")
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Service-Worker-Allowed"] = "/"
    return response


def service_worker_source() -> str:
    """``static/js/sw.js`` with this deploy's version and precache list written in."""
    with open(os.path.join(current_app.static_folder, SERVICE_WORKER_SOURCE), encoding="utf-8") as handle:
        source = handle.read()
    precache = [url_for("static", filename=name) for name in precached_files(current_app.static_folder)]
    return (
        source.replace('"__CLOSER_VERSION__"', json.dumps(current_app.config["ASSET_VERSION"]))
        .replace('["__CLOSER_PRECACHE__"]', json.dumps(precache))
        .replace(
            '"__CLOSER_OUTBOX_URL__"',
            ", ".join(json.dumps(url_for("static", filename=name)) for name in OUTBOX_SCRIPTS),
        )
    )


@bp.app_template_global()
def rendered_at_ms() -> int:
    """Server time in milliseconds, stamped on widgets so the page can tell fresh from cached."""
    return int(time.time() * 1000)


def precached_files(static_folder: str) -> list[str]:
    """Static files (relative paths) the worker stores at install."""
    names = []
    for sub in PRECACHED_FOLDERS:
        for folder, dirs, files in os.walk(os.path.join(static_folder, sub)):
            dirs.sort()
            for name in sorted(files):
                relative = os.path.relpath(os.path.join(folder, name), static_folder).replace(os.sep, "/")
                if name.endswith((".js", ".css")) and relative != "js/sw.js":
                    names.append(relative)
    return names + list(PRECACHED_ICONS)
