"""What the limit and data-safety attack tests share: one running service per test module, mailed by hand.

The hands (send, wait, digest) are the organiser scenario's `Scene`; this kit only starts the service
before the deadline, with whatever `ANMALAN_` settings a threat needs, and builds raw messages that the
well-behaved builders in tests/e2e/mails.py cannot (raw 8-bit headers).
"""

from __future__ import annotations

import html
import json
import time
from collections.abc import Iterable, Iterator

import pytest

from tests.e2e.mails import at
from tests.e2e.stack import Stack
from tests.e2e.test_organiser_by_reply import Scene

NOW = "2024-08-13T10:00:00+02:00"  # ten days before the deadline: sign-ups get seats
MAILBOX = "anmalan.dalalab@regiondalarna.se"


def open_scene(
    tmp_path_factory,
    dovecot,
    smtp_server,
    redis_server,
    *,
    name: str,
    settings: dict[str, str] | None = None,
    waiting: Iterable[tuple[bytes, str]] = (),
) -> Iterator[Scene]:
    """Start `anmalan watch` and `anmalan worker` against the test servers; stop them afterwards.
    `waiting` (raw, arrival) is appended before the service starts: a backlog."""
    dovecot.clear()
    smtp_server.clear()
    for raw, arrived in waiting:
        dovecot.append(raw, internaldate=at(arrived))
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


def wait_for_digest_item(scene: Scene, words: str, timeout: float = 30.0) -> None:
    """Until the digest, as `anmalan digest --preview` renders it without sending, shows `words`: so a
    test reads the digest after the service has decided the messages it is about."""
    preview = scene.stack.tmp / "digest-preview.html"
    deadline = time.monotonic() + timeout
    while True:
        scene.stack.cli("digest", "--preview", str(preview))
        if words in html.unescape(preview.read_text(encoding="utf-8")):
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"{words!r} not in the digest after {timeout} s\n{scene.stack.logs()}")
        time.sleep(0.5)


def listed(scene: Scene) -> dict[str, dict]:
    """`anmalan list --json` by address."""
    out = scene.stack.cli("list", "--json").stdout
    return {r["email"]: r for r in map(json.loads, filter(str.strip, out.splitlines()))}
