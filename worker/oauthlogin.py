"""Log in to IMAP and SMTP with an OAuth2 token (SASL XOAUTH2 or OAUTHBEARER), retrying once on a fresh one.

A server that refuses a token we still thought valid (it expired early, or was revoked) gets one new
token and one more try; a second refusal is a setup problem, and the error says what to check.
"""

from __future__ import annotations

import imaplib
import smtplib
from collections.abc import Callable
from typing import Literal

from imap_tools import BaseMailBox, MailboxLoginError

from worker.oauth import Tokens

Mechanism = Literal["OAUTHBEARER", "XOAUTH2"]

MAILBOX_PERMISSION = (
    "appen saknar behörighet till brevlådan: i Microsoft 365 registrera appens tjänsthuvudnamn i Exchange "
    "(New-ServicePrincipal) och ge det brevlådan med Add-MailboxPermission, se docs/microsoft-365.md"
)
SMTP_AUTH_DISABLED = (
    "SMTP AUTH är avstängt för brevlådan: kör Set-CASMailbox -Identity <brevlådan> "
    "-SmtpClientAuthenticationDisabled $false, se docs/microsoft-365.md"
)


def advice(server_answer: str) -> str:
    """What an operator should do about a refusal, from the server's own words."""
    if "5.7.139" in server_answer or "SmtpClientAuthentication is disabled" in server_answer:
        return SMTP_AUTH_DISABLED
    return MAILBOX_PERMISSION


class LoginRefused(Exception):
    """The server said no to a token."""


class OAuthLoginError(Exception):
    """The server refused a fresh token as well: the message (Swedish) names the server and what to check."""

    def __init__(self, message: str, server_answer: str) -> None:
        super().__init__(message)
        self.server_answer = server_answer


def mechanism(offered: set[str]) -> Mechanism:
    """OAUTHBEARER (RFC 7628) where offered; else XOAUTH2, which Microsoft and Google speak."""
    return "OAUTHBEARER" if "OAUTHBEARER" in offered else "XOAUTH2"


def xoauth2(user: str, token: str) -> str:
    return f"user={user}\x01auth=Bearer {token}\x01\x01"


def oauthbearer(user: str, token: str, host: str, port: int) -> str:
    # RFC 7628 section 3.1; a "," in the authzid is escaped as RFC 5801 says.
    authzid = user.replace("=", "=3D").replace(",", "=2C")
    return f"n,a={authzid},\x01host={host}\x01port={port}\x01auth=Bearer {token}\x01\x01"


def with_retry(tokens: Tokens, where: str, user: str, login: Callable[[str], None]) -> None:
    """`login(token)` raises LoginRefused when the server says no."""
    try:
        login(tokens.current())
        return
    except LoginRefused:
        pass  # perhaps expired or revoked since we cached it: one new token, one more try
    try:
        login(tokens.fresh())
    except LoginRefused as exc:
        raise OAuthLoginError(
            f"{where} nekade inloggningen med OAuth2 för {user} även med en ny token ({exc}): {advice(str(exc))}",
            str(exc),
        ) from None


def imap_login(box: BaseMailBox, tokens: Tokens, user: str, host: str, port: int) -> None:
    offered = {c.split("=", 1)[1].upper() for c in box.client.capabilities if c.upper().startswith("AUTH=")}
    chosen = mechanism(offered)

    def login(token: str) -> None:
        try:
            if chosen == "XOAUTH2":
                box.xoauth2(user, token, initial_folder=None)
            else:
                _imap_oauthbearer(box, oauthbearer(user, token, host, port))
        except (imaplib.IMAP4.error, MailboxLoginError) as exc:  # imaplib raises on NO itself
            raise LoginRefused(str(exc).splitlines()[0][:200]) from None

    with_retry(tokens, f"IMAP-servern {host}", user, login)


def _imap_oauthbearer(box: BaseMailBox, initial: str) -> None:
    sent: list[bool] = []

    def respond(challenge: bytes) -> bytes:
        # After a refusal the server sends its JSON error as a challenge; RFC 7628 answers with ^A.
        reply = b"\x01" if sent else initial.encode()
        sent.append(True)
        return reply

    box.login_result = box.client.authenticate("OAUTHBEARER", respond)  # type: ignore[assignment]


def smtp_login(client: smtplib.SMTP, tokens: Tokens, user: str, host: str, port: int) -> None:
    client.ehlo_or_helo_if_needed()
    offered = set(client.esmtp_features.get("auth", "").upper().split())
    chosen = mechanism(offered)

    def login(token: str) -> None:
        initial = xoauth2(user, token) if chosen == "XOAUTH2" else oauthbearer(user, token, host, port)
        final = "" if chosen == "XOAUTH2" else "\x01"

        def respond(challenge: bytes | None = None) -> str:
            # smtplib asks once for the initial response, then once per challenge (the error JSON).
            return initial if challenge is None else final

        try:
            client.auth(chosen, respond)
        except smtplib.SMTPAuthenticationError as exc:
            said = (
                exc.smtp_error.decode(errors="replace")
                if isinstance(exc.smtp_error, bytes)
                else exc.smtp_error
            )
            raise LoginRefused(f"{exc.smtp_code} {said}") from None

    with_retry(tokens, f"SMTP-servern {host}", user, login)
