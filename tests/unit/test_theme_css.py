"""The two dark blocks of theme.css (device setting, and the rep's own choice) say the same thing."""

from __future__ import annotations

import re
from pathlib import Path

THEME_CSS = Path(__file__).resolve().parents[2] / "static" / "css" / "theme.css"


def declarations(block: str) -> dict[str, str]:
    return dict(re.findall(r"(--[\w-]+|color-scheme)\s*:\s*([^;]+);", block))


def test_dark_is_the_same_whether_the_device_or_the_rep_asks_for_it():
    css = THEME_CSS.read_text()
    media = r"@media \(prefers-color-scheme: dark\) \{\s*"
    device = re.search(media + r':root:not\(\[data-theme="light"\]\) \{(.*?)\}', css, re.S)
    chosen = re.search(r':root\[data-theme="dark"\] \{(.*?)\}', css, re.S)
    assert device and chosen
    assert declarations(device.group(1)) == declarations(chosen.group(1))
    assert declarations(device.group(1))["color-scheme"] == "dark"


def test_every_colour_dark_mode_changes_has_a_light_value():
    css = THEME_CSS.read_text()
    light = declarations(re.search(r"^:root \{(.*?)\}", css, re.S | re.M).group(1))
    app_css = (THEME_CSS.parent / "app.css").read_text()
    light |= declarations(re.search(r"^:root \{(.*?)\}", app_css, re.S | re.M).group(1))
    dark = declarations(re.search(r':root\[data-theme="dark"\] \{(.*?)\}', css, re.S).group(1))
    assert set(dark) - {"color-scheme"} <= set(light)
