"""What the limit and data-safety attack tests share: one running service per test module, mailed by hand.

The hands (send, wait, digest) are the organiser scenario's `Scene`; this kit only starts the service
before the deadline, with whatever `ANMALAN_` settings a threat needs, and builds raw messages that the
well-behaved builders in tests/e2e/mails.py cannot (raw 8-bit headers).
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from tests.e2e.stack import Stack
from tests.e2e.test_organiser_by_reply import Scene

NOW = "2024-08-13T10:00:00+02:00"  # ten days before the deadline: sign-ups get seats
MAILBOX = "anmalan.dalalab@regiondalarna.se"


def open_scene(
    tmp_path_factory, dovecot, smtp_server, redis_server, *, name: str, settings: dict[str, str] | None = None
) -> Iterator[Scene]:
    """Start `anmalan watch` and `anmalan worker` against the test servers; stop them afterwards."""
    dovecot.clear()
    smtp_server.clear()
    stack = Stack(tmp_path_factory.mktemp(name), dovecot, smtp_server, redis_server, now=NOW)
    stack.env.update(settings or {})
    stack.start().wait_ready()
    try:
        yield Scene(stack, dovecot, smtp_server)
    finally:
        stack.stop()


@pytest.fixture(scope="module", name="scene")
def running_scene(tmp_path_factory, dovecot, smtp_server, redis_server) -> Iterator[Scene]:
    """`scene`: one running service with default settings for each test module that imports this fixture."""
    yield from open_scene(tmp_path_factory, dovecot, smtp_server, redis_server, name="limits")


def raw_8bit(sender: str, subject: str, body: str, *, msgid: str, date: str) -> bytes:
    """A message whose headers are raw UTF-8 bytes, unencoded (RFC 6532), as some phones and webmail send."""
    lines = [
        f"From: {sender}",
        f"To: {MAILBOX}",
        f"Subject: {subject}",
        f"Date: {date}",
        f"Message-ID: <{msgid}>",
        "MIME-Version: 1.0",
        "Content-Type: text/plain; charset=utf-8",
        "Content-Transfer-Encoding: 8bit",
        "",
        body,
    ]
    return "\r\n".join(lines).encode("utf-8")


def listed(scene: Scene) -> dict[str, dict]:
    """`anmalan list --json` by address."""
    out = scene.stack.cli("list", "--json").stdout
    return {r["email"]: r for r in map(json.loads, filter(str.strip, out.splitlines()))}
