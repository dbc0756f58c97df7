"""Plain HTTP/1.1 to 127.0.0.1, one connection per request (gunicorn's sync workers close it anyway)."""

from __future__ import annotations

import http.client
import re
from urllib.parse import urlencode

# The same for logging in and for the load: Flask-Login hashes the user agent into the session.
USER_AGENT = "closer-bench/1"


def local_http(
    port: int, method: str, path: str, headers: dict | None = None, body: str | bytes | None = None, timeout=10.0
) -> tuple[int, dict, bytes]:
    """One request to 127.0.0.1:``port``; (status, lower-cased headers, body)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        hdrs = {"User-Agent": USER_AGENT, **(headers or {})}
        if body is not None:
            hdrs.setdefault("Content-Type", "application/x-www-form-urlencoded")
        conn.request(method, path, body=body, headers=hdrs)
        resp = conn.getresponse()
        data = resp.read()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, data
    finally:
        conn.close()


def session_cookie(headers: dict, current: str | None) -> str | None:
    """The ``session=...`` pair from a Set-Cookie header, or ``current`` when there is none."""
    raw = headers.get("set-cookie")
    if not raw:
        return current
    match = re.search(r"(?:^|[,\s])(session=[^;]*)", raw)
    return match.group(1) if match else current


def form(**fields) -> str:
    """A urlencoded form body."""
    return urlencode(fields)
