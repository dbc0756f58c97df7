"""Files the browser needs at fixed top-level URLs: the manifest and the service worker."""

from __future__ import annotations

import os

from flask import Blueprint, current_app, send_from_directory

bp = Blueprint("pwa", __name__)


@bp.get("/manifest.json")
def manifest():
    """The web app manifest, kept at the project's top level."""
    response = send_from_directory(current_app.config["PROJECT_ROOT"], "manifest.json")
    response.mimetype = "application/manifest+json"
    return response


@bp.get("/favicon.ico")
def favicon():
    """The small icon browsers ask for on their own."""
    return send_from_directory(
        os.path.join(current_app.static_folder, "icons"), "favicon-32.png", mimetype="image/png"
    )
