#!/usr/bin/env python3
"""Render Closer's SVG icons (static/icons/*.svg) to the PNGs the PWA needs.

Uses Playwright driving the system Chromium (Debian's ``chromium`` package;
``playwright install`` is not needed). Each SVG is drawn as an <img> at its
exact pixel size and screenshotted with a transparent background; the PNG is
then re-encoded losslessly with the standard library only (alpha channel
dropped when fully opaque, palette when <= 256 colours, best row filters,
zlib level 9) to keep the files small.

Usage:  python scripts/make_icons.py
Env:    CHROMIUM_PATH  (default /usr/bin/chromium)
"""

from __future__ import annotations

import base64
import os
import struct
import sys
import zlib
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
ICONS = ROOT / "static" / "icons"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# (source svg, output png, size in px)
TARGETS = [
    ("icon.svg", "icon-192.png", 192),
    ("icon.svg", "icon-512.png", 512),
    ("icon-maskable.svg", "icon-maskable-192.png", 192),
    ("icon-maskable.svg", "icon-maskable-512.png", 512),
    # iOS fills transparency with black and rounds corners itself: use the
    # full-bleed (opaque) maskable artwork.
    ("icon-maskable.svg", "apple-touch-icon-180.png", 180),
    ("icon.svg", "favicon-32.png", 32),
    ("shortcut-log.svg", "shortcut-log-96.png", 96),
    ("badge.svg", "badge-96.png", 96),
]

PAGE = (
    "<!doctype html><html><head><meta charset='utf-8'></head>"
    "<body style='margin:0;padding:0;overflow:hidden;background:transparent'>"
    "<img id='i' alt='' width='{size}' height='{size}' style='display:block' "
    "src='data:image/svg+xml;base64,{data}'></body></html>"
)


# --------------------------------------------------------------------------
# Minimal lossless PNG re-encoder (8-bit RGB/RGBA input, as Chromium writes).
# --------------------------------------------------------------------------


def _chunks(png: bytes):
    if png[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    pos = 8
    while pos < len(png):
        (length,) = struct.unpack(">I", png[pos : pos + 4])
        ctype = png[pos + 4 : pos + 8]
        yield ctype, png[pos + 8 : pos + 8 + length]
        pos += 12 + length


def png_size(png: bytes) -> tuple[int, int]:
    """Width and height from the IHDR chunk."""
    if png[12:16] != b"IHDR":
        raise ValueError("IHDR is not the first chunk")
    return struct.unpack(">II", png[16:24])


def _paeth(a: int, b: int, c: int) -> int:
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def decode_rgba(png: bytes) -> tuple[int, int, list[bytes]]:
    """Decode an 8-bit, non-interlaced RGB/RGBA PNG into RGBA rows."""
    ihdr, idat = None, bytearray()
    for ctype, data in _chunks(png):
        if ctype == b"IHDR":
            ihdr = struct.unpack(">IIBBBBB", data)
        elif ctype == b"IDAT":
            idat += data
    width, height, depth, ctype_, _, _, interlace = ihdr
    if depth != 8 or ctype_ not in (2, 6) or interlace:
        raise ValueError(f"unsupported PNG format {ihdr}")
    bpp = 4 if ctype_ == 6 else 3
    stride = width * bpp
    raw = zlib.decompress(bytes(idat))
    prev = bytearray(stride)
    rows = []
    for y in range(height):
        ft = raw[y * (stride + 1)]
        cur = bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        if ft == 1:
            for i in range(bpp, stride):
                cur[i] = (cur[i] + cur[i - bpp]) & 255
        elif ft == 2:
            for i in range(stride):
                cur[i] = (cur[i] + prev[i]) & 255
        elif ft == 3:
            for i in range(stride):
                left = cur[i - bpp] if i >= bpp else 0
                cur[i] = (cur[i] + ((left + prev[i]) >> 1)) & 255
        elif ft == 4:
            for i in range(stride):
                left = cur[i - bpp] if i >= bpp else 0
                upleft = prev[i - bpp] if i >= bpp else 0
                cur[i] = (cur[i] + _paeth(left, prev[i], upleft)) & 255
        elif ft != 0:
            raise ValueError(f"bad filter type {ft}")
        rows.append(bytes(cur))
        prev = cur
    if bpp == 3:
        rows = [b"".join(r[i : i + 3] + b"\xff" for i in range(0, len(r), 3)) for r in rows]
    return width, height, rows


def _filter_rows(rows: list[bytes], bpp: int, adaptive: bool) -> bytes:
    out = bytearray()
    prev = bytes(len(rows[0]))
    for cur in rows:
        if not adaptive:
            out += b"\x00" + cur
            prev = cur
            continue
        n = len(cur)
        cands = [
            (0, cur),
            (1, bytes((cur[i] - (cur[i - bpp] if i >= bpp else 0)) & 255 for i in range(n))),
            (2, bytes((cur[i] - prev[i]) & 255 for i in range(n))),
            (3, bytes((cur[i] - (((cur[i - bpp] if i >= bpp else 0) + prev[i]) >> 1)) & 255 for i in range(n))),
            (
                4,
                bytes(
                    (
                        cur[i]
                        - _paeth(
                            cur[i - bpp] if i >= bpp else 0,
                            prev[i],
                            prev[i - bpp] if i >= bpp else 0,
                        )
                    )
                    & 255
                    for i in range(n)
                ),
            ),
        ]
        # Minimum sum of absolute differences heuristic.
        ft, data = min(cands, key=lambda c: sum(v if v < 128 else 256 - v for v in c[1]))
        out += bytes([ft]) + data
        prev = cur
    return bytes(out)


def _chunk(ctype: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + ctype + data + struct.pack(">I", zlib.crc32(ctype + data) & 0xFFFFFFFF)


def optimize_png(png: bytes) -> bytes:
    """Losslessly shrink an RGB(A) PNG; returns the smallest encoding found."""
    width, height, rows = decode_rgba(png)
    pixels = {r[i : i + 4] for r in rows for i in range(0, len(r), 4)}
    opaque = all(p[3] == 255 for p in pixels)
    candidates = [png]

    if len(pixels) <= 256:
        # Palette image; opaque entries last so tRNS can be short.
        palette = sorted(pixels, key=lambda p: (p[3] == 255, p))
        index = {p: i for i, p in enumerate(palette)}
        prows = [bytes(index[r[i : i + 4]] for i in range(0, len(r), 4)) for r in rows]
        bits = 8
        plte = b"".join(p[:3] for p in palette)
        trns = bytes(p[3] for p in palette if p[3] != 255)
        for adaptive in (False, True):
            idat = zlib.compress(_filter_rows(prows, 1, adaptive), 9)
            out = (
                b"\x89PNG\r\n\x1a\n"
                + _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, bits, 3, 0, 0, 0))
                + _chunk(b"PLTE", plte)
                + (_chunk(b"tRNS", trns) if trns else b"")
                + _chunk(b"IDAT", idat)
                + _chunk(b"IEND", b"")
            )
            candidates.append(out)
    else:
        if opaque:
            rows = [b"".join(r[i : i + 3] for i in range(0, len(r), 4)) for r in rows]
            bpp, colour_type = 3, 2
        else:
            bpp, colour_type = 4, 6
        for adaptive in (False, True):
            idat = zlib.compress(_filter_rows(rows, bpp, adaptive), 9)
            out = (
                b"\x89PNG\r\n\x1a\n"
                + _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, colour_type, 0, 0, 0))
                + _chunk(b"IDAT", idat)
                + _chunk(b"IEND", b"")
            )
            candidates.append(out)
    return min(candidates, key=len)


# --------------------------------------------------------------------------


def render_all() -> list[tuple[str, int, int]]:
    if not Path(CHROMIUM).exists():
        sys.exit(f"Chromium not found at {CHROMIUM} (apt-get install -y chromium)")
    report = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for svg_name, png_name, size in TARGETS:
                svg = (ICONS / svg_name).read_bytes()
                page = browser.new_page(viewport={"width": size, "height": size}, device_scale_factor=1)
                page.set_content(PAGE.format(size=size, data=base64.b64encode(svg).decode("ascii")))
                page.evaluate("document.getElementById('i').decode()")
                shot = page.screenshot(
                    omit_background=True,
                    clip={"x": 0, "y": 0, "width": size, "height": size},
                )
                page.close()
                png = optimize_png(shot)
                w, h = png_size(png)
                if (w, h) != (size, size):
                    raise SystemExit(f"{png_name}: got {w}x{h}, wanted {size}x{size}")
                (ICONS / png_name).write_bytes(png)
                report.append((png_name, size, len(png)))
        finally:
            browser.close()
    return report


def main() -> None:
    for name, size, nbytes in render_all():
        print(f"static/icons/{name:28s} {size}x{size}  {nbytes:6d} bytes")


if __name__ == "__main__":
    main()
