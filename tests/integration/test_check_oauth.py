"""`anmalan check` with OAuth2: a token, both logins, and for each failure the step an operator must fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.stack import Stack
from tests.integration.test_check import check

pytestmark = pytest.mark.servers


def oauth_env(tmp_path: Path, oauth_imap, oauth_smtp, redis_server, token_server) -> dict[str, str]:
    return Stack(tmp_path, oauth_imap, oauth_smtp, redis_server).use_oauth(token_server).env


def test_check_gets_a_token_and_logs_in_to_both_servers(
    tmp_path: Path, oauth_imap, oauth_smtp, redis_server, token_server
) -> None:
    done = check(oauth_env(tmp_path, oauth_imap, oauth_smtp, redis_server, token_server))
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"ok   oauth2: {token_server.token_url}: token för {token_server.client_id}" in done.stdout
    assert "ok   mailbox: imap://" in done.stdout and "ok   mail server: 127.0.0.1:" in done.stdout
    assert token_server.client_secret not in done.stdout
    assert len(token_server.token_requests()) == 1  # one token for the token step and both logins


def test_check_names_a_wrong_secret(
    tmp_path: Path, oauth_imap, oauth_smtp, redis_server, token_server
) -> None:
    env = oauth_env(tmp_path, oauth_imap, oauth_smtp, redis_server, token_server)
    env["ANMALAN_OAUTH_CLIENT_SECRET"] = "gammal-hemlighet"
    done = check(env)
    assert done.returncode == 1
    assert "FAIL oauth2:" in done.stdout and "fel i steget klienthemlighet/certifikat" in done.stdout
    assert "ANMALAN_OAUTH_CLIENT_SECRET" in done.stdout
    assert "gammal-hemlighet" not in done.stdout + done.stderr and "Traceback" not in done.stderr


def test_check_names_the_missing_mailbox_permission_and_disabled_smtp_auth(
    tmp_path: Path, oauth_imap, oauth_smtp, redis_server, token_server
) -> None:
    token_server.revoke_access()
    oauth_smtp.disable_smtp_auth()
    done = check(oauth_env(tmp_path, oauth_imap, oauth_smtp, redis_server, token_server))
    assert done.returncode == 1
    out = " ".join(done.stdout.split())  # rich may wrap long lines
    assert "ok oauth2:" in out
    assert "FAIL mailbox:" in out and "Add-MailboxPermission" in out
    assert "FAIL mail server:" in out and "-SmtpClientAuthenticationDisabled $false" in out
    assert "Traceback" not in done.stderr
