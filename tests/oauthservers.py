"""Dovecot and an SMTP server that take OAuth2 bearer tokens, checked against the test token server."""

from __future__ import annotations

import base64
import collections
import json
import os
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword

from tests.servers import DovecotServer, SmtpServer, _Recorder
from tests.tokenserver import TokenServer


class OAuthDovecotServer(DovecotServer):
    """Dovecot with its `oauth2` passdb (`introspection_mode = post`) asking the token server whether a
    token is current; LOGIN with the password still works, for the fixtures' own APPENDs."""

    def __init__(
        self, tmpdir: str | os.PathLike[str], tokens: TokenServer, mechanisms: str = "xoauth2 oauthbearer"
    ) -> None:
        super().__init__(tmpdir, user=tokens.user)
        self.tokens = tokens
        self.mechanisms = mechanisms

    def _auth_config(self, passwd: Path) -> str:
        # Beside passwd, which the auth process (user `dovecot` when we are root) can read.
        oauth = passwd.with_name("dovecot-oauth2.conf.ext")
        oauth.write_text(
            f"introspection_mode = post\n"
            f"introspection_url = {self.tokens.introspection_url}\n"
            "username_attribute = username\n"
            "active_attribute = active\n"
            "active_value = true\n"
            "force_introspection = yes\n"
        )
        oauth.chmod(0o644)
        return f"""auth_mechanisms = plain login {self.mechanisms}
passdb {{
  driver = oauth2
  mechanisms = {self.mechanisms}
  args = {oauth}
}}
passdb {{
  driver = passwd-file
  mechanisms = plain login
  args = scheme=PLAIN username_format=%u {passwd}
}}
userdb {{
  driver = passwd-file
  args = username_format=%u {passwd}
}}
"""


class _OAuthRecorder(_Recorder):
    """Records mail as _Recorder does, and takes AUTH XOAUTH2 / OAUTHBEARER for the current token only."""

    tokens: TokenServer
    logins: list[tuple[str, str]]  # (mechanism, user) of each accepted AUTH
    refusals: int
    smtp_auth_disabled = False  # as Exchange answers for a mailbox with SmtpClientAuthenticationDisabled

    async def auth_XOAUTH2(self, server: Any, args: list[str]) -> AuthResult:
        return await self._bearer(server, args, _xoauth2_fields, "XOAUTH2")

    async def auth_OAUTHBEARER(self, server: Any, args: list[str]) -> AuthResult:
        return await self._bearer(server, args, _oauthbearer_fields, "OAUTHBEARER")

    async def _bearer(self, server: Any, args: list[str], fields: Any, mechanism: str) -> AuthResult:
        blob = base64.b64decode(args[1]) if len(args) > 1 else await server.challenge_auth("")
        user, token = fields(blob.decode(errors="replace"))
        if self.smtp_auth_disabled:
            return AuthResult(
                success=False,
                handled=False,
                message="535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled "
                "for the Mailbox.",
            )
        if self.tokens.is_current(token, user):
            self.logins.append((mechanism, user))
            return AuthResult(success=True, auth_data=LoginPassword(user.encode(), b""))
        self.refusals += 1
        # As Exchange and Gmail do: the error as a JSON challenge, then 535 after the client's answer.
        await server.challenge_auth(json.dumps({"status": "401", "schemes": "bearer"}).encode())
        return AuthResult(success=False, handled=False, message="535 5.7.3 Authentication unsuccessful")


def _xoauth2_fields(text: str) -> tuple[str, str]:
    parts = dict(p.split("=", 1) for p in text.split("\x01") if "=" in p)
    return parts.get("user", ""), parts.get("auth", "").removeprefix("Bearer ")


def _oauthbearer_fields(text: str) -> tuple[str, str]:
    gs2, _, rest = text.partition("\x01")
    user = next((p[2:] for p in gs2.split(",") if p.startswith("a=")), "")
    parts = dict(p.split("=", 1) for p in rest.split("\x01") if "=" in p)
    return user.replace("=2C", ",").replace("=3D", "="), parts.get("auth", "").removeprefix("Bearer ")


# RFC 4954 section 4: an AUTH line of up to 12288 octets; Entra ID's tokens alone are 1.5-3 KB.
AUTH_LINE = 12288


class _LongAuthSMTP(SMTP):
    line_length_limit = AUTH_LINE

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # aiosmtpd keeps the limits in a dict on the class; this server's own, so others keep 512.
        self.command_size_limits = collections.defaultdict(lambda: SMTP.command_size_limit, AUTH=AUTH_LINE)


class _LongAuthController(Controller):
    def factory(self) -> SMTP:
        return _LongAuthSMTP(self.handler, **self.SMTP_kwargs)


class OAuthSmtpServer(SmtpServer):
    """An aiosmtpd server that offers only XOAUTH2 and OAUTHBEARER and requires one of them."""

    _controller_class = _LongAuthController

    def __init__(self, tokens: TokenServer, mechanisms: tuple[str, ...] = ("XOAUTH2", "OAUTHBEARER")) -> None:
        super().__init__()
        self.tokens = tokens
        self.mechanisms = mechanisms
        recorder = _OAuthRecorder()
        recorder.tokens = tokens
        recorder.logins = []
        recorder.refusals = 0
        self._recorder = recorder

    @property
    def logins(self) -> list[tuple[str, str]]:
        return list(self._recorder.logins)  # type: ignore[attr-defined]

    @property
    def refusals(self) -> int:
        """How many AUTH attempts carried a token that was not current."""
        return self._recorder.refusals  # type: ignore[attr-defined]

    def clear(self) -> None:
        super().clear()
        self._recorder.logins.clear()  # type: ignore[attr-defined]
        self._recorder.refusals = 0  # type: ignore[attr-defined]

    def disable_smtp_auth(self, disabled: bool = True) -> None:
        self._recorder.smtp_auth_disabled = disabled  # type: ignore[attr-defined]

    def _auth_options(self) -> dict[str, Any]:
        others = {"PLAIN", "LOGIN", "XOAUTH2", "OAUTHBEARER"} - set(self.mechanisms)
        return {"auth_require_tls": False, "auth_required": True, "auth_exclude_mechanism": sorted(others)}
