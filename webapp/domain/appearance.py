"""How the app looks: the colour theme a rep can choose, and the browser chrome colour of each."""

from __future__ import annotations

from enum import StrEnum

from webapp.domain.wording import N_


class Theme(StrEnum):
    """A rep's colour theme: follow the device, or always light, or always dark."""

    SYSTEM = "system"
    LIGHT = "light"
    DARK = "dark"


THEME_LABELS: dict[Theme, str] = {
    Theme.SYSTEM: N_("Same as this device"),
    Theme.LIGHT: N_("Light"),
    Theme.DARK: N_("Dark"),
}

# The colour of the browser's own bar (``theme-color``) and of the manifest, per scheme.
# They match the top bar of each scheme in static/css/theme.css.
THEME_COLOURS: dict[Theme, str] = {Theme.LIGHT: "#1f3a5f", Theme.DARK: "#0b1320"}


def parse_theme(raw: str | None) -> Theme:
    """The theme a form sent, or ``ValueError`` with a message meant for the rep."""
    try:
        return Theme((raw or "").strip())
    except ValueError:
        raise ValueError("Choose Same as this device, Light or Dark.") from None
