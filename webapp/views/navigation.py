"""The pages a rep reaches less often, gathered behind the More tab."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import login_required

bp = Blueprint("navigation", __name__)


@bp.get("/more")
@login_required
def more():
    """Settings, Log out and the rarer pages, one tap from the tab bar."""
    return render_template("more.html")
