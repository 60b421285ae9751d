"""Hand a rendered mail to the world: an SMTP server, or a folder of .eml files (embedded default)."""

from __future__ import annotations

import smtplib
import ssl
from pathlib import Path
from typing import Protocol

from worker.settings import Settings

TIMEOUT = 30  # seconds; every IO call has one


class TemporaryFailure(Exception):
    """Try again later: 4xx, a dropped connection, a timeout."""


class PermanentFailure(Exception):
    """Do not try again: 5xx, the recipient was refused."""


class Transport(Protocol):
    def send(self, sender: str, recipient: str, raw: bytes, *, name: str) -> None:
        """`name` identifies the mail (the outbox row); a folder uses it as the file name."""


class FolderTransport:
    """Writes each mail as <outbox id or Message-ID>.eml; a reader opens them in any mail program."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def send(self, sender: str, recipient: str, raw: bytes, *, name: str = "mail") -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        tmp = self.folder / f".{name}.tmp"
        tmp.write_bytes(raw)
        tmp.rename(self.folder / f"{name}.eml")


class SmtpTransport:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def connect(self) -> smtplib.SMTP:
        s = self.settings
        host, port = s.smtp_host, s.smtp_port_or_default
        assert host is not None  # only made when uses_smtp
        if s.smtp_ssl:
            client: smtplib.SMTP = smtplib.SMTP_SSL(
                host, port, timeout=TIMEOUT, context=ssl.create_default_context()
            )
        else:
            client = smtplib.SMTP(host, port, timeout=TIMEOUT)
            if s.smtp_starttls:
                client.starttls(context=ssl.create_default_context())
        if s.smtp_user and s.smtp_password:
            client.login(s.smtp_user, s.smtp_password.get_secret_value())
        return client

    def send(self, sender: str, recipient: str, raw: bytes, *, name: str = "mail") -> None:
        try:
            with self.connect() as client:
                client.sendmail(sender, [recipient], raw)
        except smtplib.SMTPRecipientsRefused as exc:
            code, text = next(iter(exc.recipients.values()))
            raise _classify(code, text) from None
        except smtplib.SMTPResponseException as exc:
            raise _classify(exc.smtp_code, exc.smtp_error) from None
        except UnicodeEncodeError:
            # smtplib sends AUTH in ASCII only: a setting to fix, not a failure that time will mend.
            raise PermanentFailure(
                "ANMALAN_SMTP_USER or ANMALAN_SMTP_PASSWORD holds non-ASCII characters"
            ) from None
        except (TimeoutError, smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError, OSError) as exc:
            raise TemporaryFailure(f"ingen kontakt med {self.settings.smtp_host}: {exc}") from None


def _classify(code: int, text: bytes | str) -> Exception:
    message = text.decode(errors="replace") if isinstance(text, bytes) else str(text)
    detail = f"{code} {message}".strip()
    return PermanentFailure(detail) if 500 <= code < 600 else TemporaryFailure(detail)


def transport_for(settings: Settings) -> SmtpTransport | FolderTransport:
    return SmtpTransport(settings) if settings.uses_smtp else FolderTransport(settings.outgoing_dir)
