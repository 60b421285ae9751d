"""`anmalan check` with OAuth2: a token, both logins, and for each failure the step an operator must fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.stack import Stack
from tests.integration.test_check import check
from tests.tokenserver import TENANT
from worker.settings import MICROSOFT_SCOPE

pytestmark = pytest.mark.servers


def oauth_env(tmp_path: Path, oauth_imap, oauth_smtp, redis_server, token_server) -> dict[str, str]:
    return Stack(tmp_path, oauth_imap, oauth_smtp, redis_server).use_oauth(token_server).env


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


def microsoft_env(tmp_path: Path, oauth_imap, oauth_smtp, redis_server, token_server) -> dict[str, str]:
    """Microsoft 365 settings, with MSAL sent to the local token server instead of Entra ID."""
    env = oauth_env(tmp_path, oauth_imap, oauth_smtp, redis_server, token_server)
    del env["ANMALAN_OAUTH_TOKEN_URL"], env["ANMALAN_OAUTH_SCOPE"]
    env["ANMALAN_OAUTH_TENANT"] = TENANT
    env["ANMALAN_OAUTH_AUTHORITY"] = token_server.login_host
    env["REQUESTS_CA_BUNDLE"] = str(token_server.ca_file)  # MSAL's requests trusts the test server
    return env


@pytest.mark.parametrize("microsoft", [False, True], ids=["token-url", "msal"])
def test_check_gets_a_token_and_logs_in_to_both_servers(
    tmp_path: Path, oauth_imap, oauth_smtp, redis_server, token_server, microsoft: bool
) -> None:
    env = (microsoft_env if microsoft else oauth_env)(
        tmp_path, oauth_imap, oauth_smtp, redis_server, token_server
    )
    done = check(env)
    assert done.returncode == 0, done.stdout + done.stderr
    where = f"Microsoft 365 {TENANT}" if microsoft else token_server.token_url
    assert f"ok   oauth2: {where}: token för {token_server.client_id}" in done.stdout
    assert "ok   mailbox: imap://" in done.stdout and "ok   mail server: 127.0.0.1:" in done.stdout
    assert token_server.client_secret not in done.stdout
    [request] = token_server.token_requests()  # one token for the token step and both logins
    assert request["grant_type"] == "client_credentials"
    assert request["scope"] == (MICROSOFT_SCOPE if microsoft else "mail")


@pytest.mark.parametrize(
    ("setup", "step", "advice"),
    [
        ({"ANMALAN_OAUTH_TENANT": "finns-inte.se"}, "hyresgäst (tenant)", "ANMALAN_OAUTH_TENANT"),
        ({"ANMALAN_OAUTH_CLIENT_SECRET": "hemlighetens-id"}, "klienthemlighet/certifikat", "Value"),
        ({"roles": ()}, "medgivande (consent)", "IMAP.AccessAsApp, SMTP.SendAsApp"),
        ({"roles": ("SMTP.SendAsApp",)}, "medgivande (consent)", "Bevilja administratörsmedgivande"),
    ],
    ids=["tenant", "secret", "consent", "imap-consent"],
)
def test_check_names_the_microsoft_step_that_failed(
    tmp_path: Path, oauth_imap, oauth_smtp, redis_server, token_server, setup, step, advice
) -> None:
    env = microsoft_env(tmp_path, oauth_imap, oauth_smtp, redis_server, token_server)
    token_server.roles = setup.pop("roles", token_server.roles)
    env.update(setup)
    done = check(env)
    assert done.returncode == 1
    out = " ".join(done.stdout.split())
    assert f"FAIL oauth2: Microsoft 365 {env['ANMALAN_OAUTH_TENANT']}: fel i steget {step}:" in out
    assert advice in out
    assert "Traceback" not in done.stderr
