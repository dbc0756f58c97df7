"""A push service stand-in on 127.0.0.1, and a browser's side of a push subscription.

The stand-in records every request it receives and answers with the
statuses a test queued (201 by default). ``BrowserKeys`` makes a P-256 key
pair and an auth secret as a browser does, so a test can decrypt what the
server sent (RFC 8291, aes128gcm) and check its VAPID signature (RFC 8292)
with the server's public key: the encryption and signing are proven, not mocked.
"""

from __future__ import annotations

import base64
import json
import os
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import http_ece
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class Received:
    """One request as the push service saw it."""

    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class PushStandIn:
    """A tiny HTTP server standing in for a browser vendor's push service."""

    received: list[Received] = field(default_factory=list)
    answers: list[tuple[int, dict[str, str]]] = field(default_factory=list)

    def start(self) -> PushStandIn:
        standin = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (the http.server API)
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                standin.received.append(Received(self.path, {k.lower(): v for k, v in self.headers.items()}, body))
                status, headers = standin.answers.pop(0) if standin.answers else (201, {})
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def endpoint(self, name: str = "") -> str:
        return f"{self.origin}/push/{name or b64url(os.urandom(12))}"

    def answer(self, status: int, **headers: str) -> None:
        """Queue the answer to the next request."""
        self.answers.append((status, headers))

    def wait_for(self, count: int, timeout: float = 5.0) -> list[Received]:
        deadline = time.monotonic() + timeout
        while len(self.received) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return self.received


@dataclass
class BrowserKeys:
    """What a browser keeps for one subscription: a P-256 key pair and a 16-byte auth secret."""

    endpoint: str
    private_key: ec.EllipticCurvePrivateKey = field(default_factory=lambda: ec.generate_private_key(ec.SECP256R1()))
    auth: bytes = field(default_factory=lambda: os.urandom(16))

    def subscription(self) -> dict:
        """``PushSubscription.toJSON()`` as the page sends it."""
        public = self.private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return {
            "endpoint": self.endpoint,
            "expirationTime": None,
            "keys": {"p256dh": b64url(public), "auth": b64url(self.auth)},
        }

    def decrypt(self, body: bytes) -> dict:
        """The payload, decrypted with this subscription's own keys (aes128gcm)."""
        return json.loads(
            http_ece.decrypt(body, private_key=self.private_key, auth_secret=self.auth, version="aes128gcm")
        )


def verify_vapid(authorization: str, server_public_key: str) -> dict:
    """Check ``vapid t=<jwt>,k=<key>``: the key is the server's and the ES256 signature holds; return the claims."""
    scheme, _, params = authorization.partition(" ")
    assert scheme.lower() == "vapid", authorization
    parts = dict(part.split("=", 1) for part in params.split(","))
    assert parts["k"] == server_public_key
    header_b64, claims_b64, signature_b64 = parts["t"].split(".")
    assert json.loads(unb64url(header_b64))["alg"] == "ES256"
    signature = unb64url(signature_b64)
    der = encode_dss_signature(int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big"))
    public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64url(server_public_key))
    public.verify(der, f"{header_b64}.{claims_b64}".encode(), ec.ECDSA(hashes.SHA256()))  # raises if forged
    return json.loads(unb64url(claims_b64))
