"""OAuth2 login against real servers: Dovecot's oauth2 passdb and an SMTP server asking a local token server.

Tokens come through the real flows (a token URL; MSAL pointed at the same server over HTTPS), the
servers check them by introspection, and renewal, the one retry and the clear error are what they see.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.oauthservers import OAuthDovecotServer, OAuthSmtpServer
from tests.tokenserver import TENANT, TokenServer, self_signed
from worker.delivery import SmtpTransport, TemporaryFailure
from worker.oauth import MicrosoftSource, TokenError, Tokens, TokenUrlSource, microsoft_credential
from worker.oauthlogin import OAuthLoginError
from worker.settings import MICROSOFT_SCOPE, Settings
from worker.sources import ImapSource

pytestmark = pytest.mark.servers

SIGNUP = b"From: karin.strom@mora.se\r\nSubject: Anmalan\r\nMessage-ID: <oauth-1@mora.se>\r\n\r\nHej\r\n"


@pytest.fixture(autouse=True)
def no_cached_tokens(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts with an empty process-wide token cache, as a new process would."""
    monkeypatch.setattr("worker.oauth._shared", {})


def oauth_settings(tokens: TokenServer, imap=None, smtp=None, secret: str | None = None) -> Settings:
    values: dict[str, object] = {
        "oauth_token_url": tokens.token_url,
        "oauth_client_id": tokens.client_id,
        "oauth_client_secret": secret or tokens.client_secret,
        "oauth_scope": "mail",
    }
    if imap is not None:
        values |= {"imap_host": imap.host, "imap_port": imap.port, "imap_user": tokens.user}
        values |= {"imap_ssl": False, "imap_auth": "oauth2"}
    if smtp is not None:
        values |= {"smtp_host": smtp.host, "smtp_port": smtp.port, "smtp_user": tokens.user}
        values |= {"smtp_starttls": False, "smtp_auth": "oauth2"}
    settings = Settings(**values)
    settings.check()
    return settings


def introspected(tokens: TokenServer) -> list[str]:
    return [form["token"] for path, form in tokens.requests if path == "/introspect"]


def read_mailbox(settings: Settings) -> list[bytes]:
    source = ImapSource(settings)
    source.connect()
    try:
        return [f.raw for f in source.fetch_new(0)]
    finally:
        source.close()


def send_one(settings: Settings) -> None:
    """One mail on a connection of its own, as delivery makes after an idle spell."""
    transport = SmtpTransport(settings)
    try:
        transport.send(str(settings.smtp_user), "karin.strom@mora.se", SIGNUP, name="1")
    finally:
        transport.close()


def test_the_mailbox_is_read_with_a_token_dovecot_checked(oauth_imap, token_server) -> None:
    oauth_imap.append(SIGNUP)
    settings = oauth_settings(token_server, imap=oauth_imap)
    assert [raw.replace(b"\r\n", b"\n") for raw in read_mailbox(settings)] == [SIGNUP.replace(b"\r\n", b"\n")]
    [request] = token_server.token_requests()
    assert request["grant_type"] == "client_credentials" and request["scope"] == "mail"
    # Dovecot asked the token server about exactly the token that was issued (OAUTHBEARER: offered).
    assert introspected(token_server) == [token_server.issued[0].token]


def test_xoauth2_where_the_server_offers_only_that(tmp_path: Path, token_server) -> None:
    with OAuthDovecotServer(tmp_path / "dovecot", token_server, mechanisms="xoauth2") as dovecot:
        dovecot.append(SIGNUP)
        settings = oauth_settings(token_server, imap=dovecot)
        assert len(read_mailbox(settings)) == 1
        assert introspected(token_server) == [token_server.issued[0].token]
        token_server.revoke_access()  # the refusal, too, goes through imap-tools' xoauth2 login
        with pytest.raises(OAuthLoginError, match=r"\[AUTHENTICATIONFAILED\].*Add-MailboxPermission"):
            read_mailbox(settings)


def test_a_wrong_client_secret_is_named_without_showing_it(oauth_imap, token_server) -> None:
    settings = oauth_settings(token_server, imap=oauth_imap, secret="fel-hemlighet")
    with pytest.raises(TokenError) as caught:
        read_mailbox(settings)
    assert caught.value.step == "secret" and "ANMALAN_OAUTH_CLIENT_SECRET" in str(caught.value)
    assert "fel-hemlighet" not in str(caught.value)


@pytest.mark.parametrize(
    ("offered", "used"),
    [(("XOAUTH2",), "XOAUTH2"), (("XOAUTH2", "OAUTHBEARER"), "OAUTHBEARER")],
    ids=["exchange-xoauth2", "oauthbearer"],
)
def test_mail_is_sent_with_a_token_the_smtp_server_takes(token_server, offered, used) -> None:
    with OAuthSmtpServer(token_server, mechanisms=offered) as smtp:
        send_one(oauth_settings(token_server, smtp=smtp))
        [mail] = smtp.wait_for(count=1)
        assert smtp.logins == [(used, token_server.user)]
    assert mail.authenticated_as == token_server.user and mail.rcpt_tos == ("karin.strom@mora.se",)


def test_a_refresh_token_is_used_and_dropped_when_the_server_no_longer_takes_it(token_server) -> None:
    token_server.give_refresh_tokens = True
    source = TokenUrlSource(
        token_server.token_url, token_server.client_id, token_server.client_secret, "mail"
    )
    first, _ = source.fetch()
    second, _ = source.fetch()
    token_server.reset()  # the server forgets its refresh tokens (restart, revocation)
    third, _ = source.fetch()
    grants = [r["grant_type"] for r in token_server.token_requests()]
    assert grants == ["refresh_token", "client_credentials"]  # after the reset: refused, then credentials
    assert len({first, second, third}) == 3 and token_server.is_current(third, token_server.user)


def test_an_expiring_token_is_renewed_before_it_runs_out(oauth_imap, oauth_smtp, token_server) -> None:
    token_server.lifetime = 4.0  # renewed at half its life, as 300 s are more than it has
    settings = oauth_settings(token_server, imap=oauth_imap, smtp=oauth_smtp)
    tokens = Tokens(
        TokenUrlSource(token_server.token_url, token_server.client_id, token_server.client_secret, "")
    )
    first = tokens.current()
    assert tokens.current() == first  # cached
    time.sleep(2.2)
    second = tokens.current()
    assert second != first and token_server.is_current(first, token_server.user)  # renewed before expiry
    # The real path, over the same minutes: reading and sending keep working as tokens come and go.
    oauth_imap.append(SIGNUP)
    for _round in range(3):
        assert len(read_mailbox(settings)) == 1
        send_one(settings)
        time.sleep(2.2)
    assert len(oauth_smtp.wait_for(count=3)) == 3
    assert len(token_server.token_requests()) >= 2 + 3  # the two above, and at least one per round


def test_a_token_refused_early_gets_one_fresh_token_and_one_retry(
    oauth_imap, oauth_smtp, token_server
) -> None:
    settings = oauth_settings(token_server, imap=oauth_imap, smtp=oauth_smtp)
    oauth_imap.append(SIGNUP)
    assert len(read_mailbox(settings)) == 1
    token_server.expire_all()  # the server no longer takes the token we still hold as valid
    assert len(read_mailbox(settings)) == 1
    token_server.expire_all()
    send_one(settings)
    assert len(oauth_smtp.wait_for(count=1)) == 1
    assert len(token_server.token_requests()) == 3  # the first, and one fresh token per refusal


def test_revoked_access_gives_a_clear_error_after_one_retry(oauth_imap, oauth_smtp, token_server) -> None:
    settings = oauth_settings(token_server, imap=oauth_imap, smtp=oauth_smtp)
    token_server.revoke_access()
    with pytest.raises(OAuthLoginError) as caught:
        ImapSource(settings).connect()
    message = str(caught.value)
    assert message.startswith(
        f"IMAP-servern {oauth_imap.host} nekade inloggningen med OAuth2 för {token_server.user}"
    )
    assert "även med en ny token" in message and "Add-MailboxPermission" in message
    assert len(token_server.token_requests()) == 2
    with pytest.raises(TemporaryFailure, match=r"SMTP-servern .* nekade inloggningen .*535 5\.7\.3"):
        send_one(settings)
    assert oauth_smtp.messages == []


def microsoft(token_server: TokenServer, secret: str | None = None, tenant: str = TENANT) -> Tokens:
    source = MicrosoftSource(
        tenant,
        token_server.client_id,
        secret or token_server.client_secret,
        MICROSOFT_SCOPE,
        login=token_server.login_host,
        verify=str(token_server.ca_file),
    )
    return Tokens(source)


def test_msal_gets_the_token_dovecot_takes(oauth_imap, token_server) -> None:
    tokens = microsoft(token_server)
    token = tokens.current()
    [request] = token_server.token_requests()
    assert request["grant_type"] == "client_credentials"
    assert request["scope"] == MICROSOFT_SCOPE and request["client_id"] == token_server.client_id
    assert token_server.is_current(token, token_server.user)
    assert tokens.current() == token and len(token_server.token_requests()) == 1  # MSAL's cache, then ours
    assert tokens.fresh() != token and len(token_server.token_requests()) == 2  # forget() empties MSAL's


def test_msal_errors_name_the_step_to_fix(token_server) -> None:
    with pytest.raises(TokenError) as unknown_tenant:
        microsoft(token_server, tenant="finns-inte").current()
    assert unknown_tenant.value.step == "tenant" and "ANMALAN_OAUTH_TENANT" in str(unknown_tenant.value)
    with pytest.raises(TokenError) as wrong_secret:
        microsoft(token_server, secret="fel").current()
    assert wrong_secret.value.step == "secret" and "klienthemligheten är fel" in str(wrong_secret.value)


def app_certificate(path: Path) -> bytes:
    """An RSA key and its certificate in one PEM file, as ANMALAN_OAUTH_CERT_FILE takes it; returns the
    certificate, which the admin uploads to the app registration."""
    certificate, key = self_signed(rsa.generate_private_key(public_exponent=65537, key_size=2048), "anmalan")
    path.write_bytes(key + certificate)
    return certificate


def test_msal_signs_in_with_the_app_certificate_instead_of_a_secret(tmp_path: Path, token_server) -> None:
    settings = Settings(
        oauth_tenant=TENANT,
        oauth_client_id=token_server.client_id,
        oauth_cert_file=tmp_path / "anmalan.pem",
        oauth_authority=token_server.login_host,
    )
    uploaded = app_certificate(settings.oauth_cert_file)
    app_certificate(tmp_path / "another.pem")
    settings.check()

    def tokens(credential_file: Path) -> Tokens:
        credential = microsoft_credential(settings.model_copy(update={"oauth_cert_file": credential_file}))
        return Tokens(
            MicrosoftSource(
                TENANT,
                token_server.client_id,
                credential,
                MICROSOFT_SCOPE,
                login=token_server.login_host,
                verify=str(token_server.ca_file),
            )
        )

    token_server.certificate = uploaded
    token = tokens(tmp_path / "anmalan.pem").current()
    assert token_server.is_current(token, token_server.user)
    [request] = token_server.token_requests()
    assert "client_secret" not in request and request["client_assertion_type"].endswith("jwt-bearer")
    with pytest.raises(TokenError) as caught:  # a certificate the app registration does not know
        tokens(tmp_path / "another.pem").current()
    assert caught.value.step == "secret" and "Certifikat och hemligheter" in str(caught.value)
