"""Hand a rendered mail to the world: an SMTP server, or a folder of .eml files (embedded default)."""

from __future__ import annotations

import contextlib
import re
import smtplib
import socket
import ssl
import time
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from worker.oauth import TokenError, tokens_for
from worker.oauthlogin import OAuthLoginError, smtp_login
from worker.settings import Settings

TIMEOUT = 30  # seconds; every IO call has one
_LEADING_DOT = re.compile(rb"(?m)^\.")  # RFC 5321 4.5.2: a line's leading dot is doubled
REUSE_WITHIN = 10.0  # seconds; a connection idle longer is made anew rather than trusted


class TemporaryFailure(Exception):
    """Try again later: 4xx, a dropped connection, a timeout."""


class PermanentFailure(Exception):
    """Do not try again: 5xx, the recipient was refused."""


class Withdrawn(Exception):
    """The mail was not completed because `completing` said no: the row is no longer ours to send."""


def _always() -> bool:
    return True


class Transport(Protocol):
    def send(
        self, sender: str, recipient: str, raw: bytes, *, name: str, completing: Callable[[], bool]
    ) -> None:
        """`name` identifies the mail (the outbox row); a folder uses it as the file name. `completing`
        is asked just before the step that makes the mail delivered; it may record that, or refuse."""


class FolderTransport:
    """Writes each mail as <outbox id or Message-ID>.eml; a reader opens them in any mail program."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def send(
        self, sender: str, recipient: str, raw: bytes, *, name: str = "mail", completing=_always
    ) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        tmp = self.folder / f".{name}.tmp"
        tmp.write_bytes(raw)
        if not completing():
            tmp.unlink()
            raise Withdrawn(name)
        tmp.rename(self.folder / f"{name}.eml")


class SmtpTransport:
    """One SMTP connection per process, reused for mail after mail; made again after an error or a
    pause, since servers drop idle connections and a mail must not go out on a dead one."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._client: smtplib.SMTP | None = None
        self._last_used = 0.0

    def connect(self) -> smtplib.SMTP:
        s = self.settings
        host, port = s.smtp_host, s.smtp_port_or_default
        assert host is not None  # only made when uses_smtp
        if s.smtp_ssl:
            client: smtplib.SMTP = smtplib.SMTP_SSL(
                host, port, timeout=TIMEOUT, context=ssl.create_default_context()
            )
            _no_delay(client)
        else:
            client = smtplib.SMTP(host, port, timeout=TIMEOUT)
            _no_delay(client)
            if s.smtp_starttls:
                client.starttls(context=ssl.create_default_context())
        try:
            if s.smtp_auth == "oauth2":
                smtp_login(client, tokens_for(s), s.smtp_user or "", host, port)
            elif s.smtp_user and s.smtp_password:
                client.login(s.smtp_user, s.smtp_password.get_secret_value())
        except BaseException:
            client.close()  # a refused login must not leave the connection open
            raise
        return client

    def _connection(self) -> smtplib.SMTP:
        if self._client is not None and time.monotonic() - self._last_used > REUSE_WITHIN:
            self.close()
        if self._client is None:
            self._client = self.connect()
        return self._client

    def close(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            with contextlib.suppress(smtplib.SMTPException, OSError):
                client.quit()
            with contextlib.suppress(OSError):
                client.close()

    def send(
        self, sender: str, recipient: str, raw: bytes, *, name: str = "mail", completing=_always
    ) -> None:
        try:
            _transact(self._connection(), sender, recipient, raw, completing)
        except smtplib.SMTPRecipientsRefused as exc:
            # The transaction was reset; the connection serves the next mail, unless the server is closing.
            code, text = next(iter(exc.recipients.values()))
            if code == 421:
                self.close()
            raise _classify(code, text) from None
        except smtplib.SMTPResponseException as exc:
            if exc.smtp_code == 421 or self._client is None or not _in_transaction(exc):
                self.close()  # refused at connect or login, or the server is closing: start afresh
            raise _classify(exc.smtp_code, exc.smtp_error) from None
        except (TokenError, OAuthLoginError) as exc:
            # The mail is fine; the login is not. Retried with back-off while someone mends the setup.
            raise TemporaryFailure(str(exc)) from None
        except UnicodeEncodeError:
            self.close()
            # smtplib sends AUTH in ASCII only: a setting to fix, not a failure that time will mend.
            raise PermanentFailure(
                "ANMALAN_SMTP_USER or ANMALAN_SMTP_PASSWORD holds non-ASCII characters"
            ) from None
        except (TimeoutError, smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError, OSError) as exc:
            self.close()
            raise TemporaryFailure(f"ingen kontakt med {self.settings.smtp_host}: {exc}") from None
        except BaseException:
            self.close()  # mid-DATA: the server discards the unfinished mail when the connection ends
            raise
        finally:
            self._last_used = time.monotonic()


def _no_delay(client: smtplib.SMTP) -> None:
    """Send each write at once. A mail ends with a short write of its own (the final "." after
    `completing`), which Nagle's algorithm holds back until the server acknowledges the body, and the
    server delays that acknowledgement (about 40 ms on Linux): without this, 40 ms a mail."""
    sock = getattr(client, "sock", None)
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


def _transact(
    client: smtplib.SMTP, sender: str, recipient: str, raw: bytes, completing: Callable[[], bool]
) -> None:
    """smtplib's sendmail, with `completing` asked before the final "." of DATA: until the server has
    that line it discards the mail, so a crash before it never leaves a mail delivered but unrecorded."""
    client.ehlo_or_helo_if_needed()
    code, reply = client.mail(sender)
    if code != 250:
        client.rset()
        raise smtplib.SMTPSenderRefused(code, reply, sender)
    code, reply = client.rcpt(recipient)
    if code not in (250, 251):
        client.rset()
        raise smtplib.SMTPRecipientsRefused({recipient: (code, reply)})
    code, reply = client.docmd("DATA")
    if code != 354:
        client.rset()
        raise smtplib.SMTPDataError(code, reply)
    body = _LEADING_DOT.sub(b"..", raw)
    client.send(body if body.endswith(b"\r\n") else body + b"\r\n")
    if not completing():
        raise Withdrawn(recipient)
    client.send(b".\r\n")
    code, reply = client.getreply()
    if code != 250:
        raise smtplib.SMTPDataError(code, reply)


def _in_transaction(exc: smtplib.SMTPResponseException) -> bool:
    """Refusals of one mail (sender, data) leave the connection usable; smtplib reset it."""
    return isinstance(exc, smtplib.SMTPSenderRefused | smtplib.SMTPDataError)


def _classify(code: int, text: bytes | str) -> Exception:
    message = text.decode(errors="replace") if isinstance(text, bytes) else str(text)
    detail = f"{code} {message}".strip()
    return PermanentFailure(detail) if 500 <= code < 600 else TemporaryFailure(detail)


def transport_for(settings: Settings) -> SmtpTransport | FolderTransport:
    return SmtpTransport(settings) if settings.uses_smtp else FolderTransport(settings.outgoing_dir)
