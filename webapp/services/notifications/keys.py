"""The server's VAPID key pair, which signs every push (RFC 8292).

In production the private key comes from ``VAPID_PRIVATE_KEY`` (a PEM, or
the base64url raw key ``flask --app webapp vapid-keys`` prints) with
``VAPID_SUBJECT`` (a ``mailto:`` or ``https:`` address the push services
may contact). In development a key is made once and kept in
``instance/vapid-private.pem``. Without a key, push is off and the inbox
still works.
"""

from __future__ import annotations

import base64
import os
from functools import lru_cache

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from flask import Flask, current_app
from py_vapid import Vapid

DEV_KEY_FILE = "vapid-private.pem"
DEV_SUBJECT = "mailto:dev@closer.invalid"


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def new_private_key() -> str:
    """A fresh P-256 private key as base64url raw bytes (what ``VAPID_PRIVATE_KEY`` takes)."""
    key = ec.generate_private_key(ec.SECP256R1())
    return _b64url(key.private_numbers().private_value.to_bytes(32, "big"))


def init_app(app: Flask) -> None:
    """Check a configured key now (not at the first push); in development make one under ``instance/``."""
    configured = app.config.get("VAPID_PRIVATE_KEY")
    if configured:
        try:
            _vapid(configured)
        except Exception as error:  # py_vapid raises several kinds for a bad key
            raise RuntimeError(
                "VAPID_PRIVATE_KEY is not a P-256 private key; make one with `flask --app webapp vapid-keys`."
            ) from error
        return
    if app.config["CLOSER_ENV"] != "development":
        return
    path = os.path.join(app.instance_path, DEV_KEY_FILE)
    if not os.path.exists(path):
        key = ec.generate_private_key(ec.SECP256R1())
        pem = key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(pem)
    with open(path, encoding="ascii") as handle:
        app.config["VAPID_PRIVATE_KEY"] = handle.read()
    app.config.setdefault("VAPID_SUBJECT", None)
    app.config["VAPID_SUBJECT"] = app.config["VAPID_SUBJECT"] or DEV_SUBJECT


@lru_cache(maxsize=4)
def _vapid(private_key: str) -> Vapid:
    if "-----BEGIN" in private_key:
        return Vapid.from_pem(private_key.encode())
    return Vapid.from_string(private_key)


def signer() -> Vapid | None:
    """The key that signs pushes, or ``None`` when push is off."""
    key = current_app.config.get("VAPID_PRIVATE_KEY")
    if not key or not current_app.config.get("VAPID_SUBJECT"):
        return None
    return _vapid(key)


def push_enabled() -> bool:
    """Whether this server can send pushes (it has a key and a subject)."""
    return signer() is not None


def public_key() -> str | None:
    """The public key for ``pushManager.subscribe`` (base64url, uncompressed point), or ``None``."""
    vapid = signer()
    if vapid is None:
        return None
    point = vapid.public_key.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    return _b64url(point)
