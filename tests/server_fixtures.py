"""Pytest plugin: session-wide real Dovecot, SMTP and Redis servers (load with pytest_plugins)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.oauthservers import OAuthDovecotServer, OAuthSmtpServer
from tests.servers import DovecotServer, MissingServerBinary, RedisServer, SmtpServer
from tests.tokenserver import TokenServer

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


@pytest.fixture(scope="session")
def token_server_session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TokenServer]:
    server = TokenServer(user="anmalan.dalalab@regiondalarna.se").start(tmp_path_factory.mktemp("tokens"))
    yield server
    server.stop()


@pytest.fixture
def token_server(token_server_session: TokenServer) -> TokenServer:
    """The local OAuth2 token and introspection server, with no tokens issued and nothing revoked."""
    token_server_session.reset()
    return token_server_session


@pytest.fixture(scope="session")
def oauth_dovecot_session(
    tmp_path_factory: pytest.TempPathFactory, token_server_session: TokenServer
) -> Iterator[OAuthDovecotServer]:
    yield from _serve(OAuthDovecotServer(tmp_path_factory.mktemp("dovecot-oauth"), token_server_session))


@pytest.fixture
def oauth_imap(oauth_dovecot_session: OAuthDovecotServer, token_server: TokenServer) -> OAuthDovecotServer:
    """Dovecot checking bearer tokens with the token server (XOAUTH2 and OAUTHBEARER), empty INBOX."""
    oauth_dovecot_session.clear()
    return oauth_dovecot_session


@pytest.fixture(scope="session")
def oauth_smtp_session(token_server_session: TokenServer) -> Iterator[OAuthSmtpServer]:
    # XOAUTH2 only, as Exchange Online offers; Dovecot offers OAUTHBEARER too, so both are in use.
    with OAuthSmtpServer(token_server_session, mechanisms=("XOAUTH2",)) as server:
        yield server


@pytest.fixture
def oauth_smtp(oauth_smtp_session: OAuthSmtpServer, token_server: TokenServer) -> Iterator[OAuthSmtpServer]:
    """An SMTP server that takes AUTH XOAUTH2 for the token server's current tokens only."""
    oauth_smtp_session.clear()
    oauth_smtp_session.disable_smtp_auth(False)
    yield oauth_smtp_session
    oauth_smtp_session.clear()
