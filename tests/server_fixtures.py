"""Pytest plugin: session-wide real Dovecot, SMTP and Redis servers (load with pytest_plugins)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.servers import DovecotServer, MissingServerBinary, RedisServer, SmtpServer

# Credentials the session SMTP server accepts for AUTH PLAIN/LOGIN; sending without AUTH works too.
SMTP_USER = "anmalan-smtp"
SMTP_PASSWORD = "smtp-test-password"


def _serve(server):
    """Start, hand over, stop. A missing server is a broken test machine, not a reason to skip: fail and
    say what to install."""
    try:
        server.start()
    except MissingServerBinary as error:
        pytest.fail(str(error), pytrace=False)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def dovecot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DovecotServer]:
    """A private Dovecot IMAP server shared by the session; see DovecotServer for its API."""
    yield from _serve(DovecotServer(tmp_path_factory.mktemp("dovecot")))


@pytest.fixture
def imap(dovecot: DovecotServer) -> DovecotServer:
    """The session Dovecot with an empty INBOX and no other folders."""
    dovecot.clear()
    return dovecot


@pytest.fixture(scope="session")
def smtp_server() -> Iterator[SmtpServer]:
    """An aiosmtpd server shared by the session that records every message it accepts."""
    with SmtpServer(user=SMTP_USER, password=SMTP_PASSWORD) as server:
        yield server


@pytest.fixture
def smtp(smtp_server: SmtpServer) -> Iterator[SmtpServer]:
    """The session SMTP server with no recorded messages and no pending failures."""
    smtp_server.clear()
    yield smtp_server
    smtp_server.clear()


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    """A private redis-server shared by the session (never the machine's own Redis on 6379)."""
    yield from _serve(RedisServer(tmp_path_factory.mktemp("redis")))
