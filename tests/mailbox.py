"""A real SMTP server on 127.0.0.1 (aiosmtpd) that keeps what arrives, for tests that read the emails sent."""

from __future__ import annotations

import email
import time
from email.message import EmailMessage
from email.policy import default

from aiosmtpd.controller import Controller

from tests.servers import free_port


class Mailbox:
    """An SMTP server on a free port of the loopback interface; ``messages`` are the parsed emails received."""

    def __init__(self) -> None:
        self.port = free_port()
        self.envelopes: list = []
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 - aiosmtpd's hook name
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    def start(self) -> None:
        self._controller.start()

    def stop(self) -> None:
        self._controller.stop()

    @property
    def messages(self) -> list[EmailMessage]:
        return [email.message_from_bytes(e.original_content, policy=default) for e in self.envelopes]  # type: ignore[misc]

    def wait_for(self, count: int, timeout: float = 10.0) -> list[EmailMessage]:
        """The first ``count`` messages, once they arrived (a sender may be another process)."""
        deadline = time.monotonic() + timeout
        while len(self.envelopes) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(self.envelopes) >= count, f"{len(self.envelopes)} emails arrived, expected {count}"
        return self.messages[:count]

    def settings(self) -> dict:
        """The app settings that send email here."""
        return {
            "MAIL_SERVER": "127.0.0.1",
            "MAIL_PORT": self.port,
            "MAIL_USE_TLS": False,
            "MAIL_USE_SSL": False,
            "MAIL_DEFAULT_SENDER": "Closer <closer@example.com>",
            "PUBLIC_URL": "https://closer.example.com",
        }


def text_of(message: EmailMessage) -> str:
    """The plain-text part."""
    return message.get_body(("plain",)).get_content()


def html_of(message: EmailMessage) -> str:
    """The HTML part."""
    return message.get_body(("html",)).get_content()
