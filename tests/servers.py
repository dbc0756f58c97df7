"""Closer under gunicorn on 127.0.0.1, for the tests that need a real server (browser, several servers)."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def free_port() -> int:
    """A port nobody listens on right now, on the loopback interface."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class LiveServer:
    """Closer under gunicorn on 127.0.0.1, stopped and started by its own process id."""

    database_url: str
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None
    extra_env: dict = field(default_factory=dict)
    # gunicorn calls the factory with literal arguments: "webapp:create_app({'KEY': 'value'})".
    app_spec: str = "webapp:create_app()"
    log_path: str | None = None  # gunicorn's output goes here when set (else nowhere)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def env(self) -> dict:
        return {
            **os.environ,
            "CLOSER_ENV": "testing",
            "SECRET_KEY": "browser-test-secret",
            "DATABASE_URL": self.database_url,
            "RATELIMIT_ENABLED": "false",
            **self.extra_env,
        }

    def migrate(self) -> None:
        subprocess.run(
            [sys.executable, "-m", "flask", "--app", "webapp", "db", "upgrade"],
            cwd=ROOT,
            env=self.env(),
            check=True,
            capture_output=True,
            timeout=120,
        )

    def start(self) -> None:
        self._log = open(self.log_path, "ab") if self.log_path else None  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                "2",
                "--threads",
                "4",
                "--access-logfile",
                "-",
                self.app_spec,
            ],
            cwd=ROOT,
            env=self.env(),
            stdout=self._log or subprocess.DEVNULL,
            stderr=self._log or subprocess.DEVNULL,
        )
        # Generous: on a busy two-core machine a worker can take many seconds to import the app.
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(self.url + "/login", timeout=5).read()
                return
            except OSError:
                if self.process.poll() is not None:
                    raise RuntimeError("the test server exited while starting") from None
                time.sleep(0.1)
        raise RuntimeError("the test server did not start within 60 s")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.kill(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.process = None
        if getattr(self, "_log", None):
            self._log.close()
            self._log = None

    def log_tail(self, lines: int = 40) -> str:
        """The end of gunicorn's output (with ``log_path``), for a failing test's message."""
        if not self.log_path or not os.path.exists(self.log_path):
            return ""
        with open(self.log_path, "rb") as fh:
            return "\n".join(fh.read().decode("utf-8", "replace").splitlines()[-lines:])

    def request(
        self, method: str, path: str, headers: dict | None = None, body: bytes | None = None
    ) -> tuple[int, http.client.HTTPMessage, bytes]:
        """One request to this server: (status, headers, body). No cookie jar: pass ``Cookie`` yourself."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.request(method, path, body=body, headers={"User-Agent": "closer-tests/1", **(headers or {})})
            response = conn.getresponse()
            return response.status, response.headers, response.read()
        finally:
            conn.close()
