"""Mailbox sources: an IMAP folder (imap-tools, IDLE when offered) and a Maildir (embedded default).

A source never changes the mailbox: no \\Seen, no moves, no deletes. Our cursor decides what is new.
"""

from __future__ import annotations

import contextlib
import logging
import mailbox
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from imap_tools import A, BaseMailBox, MailBox, MailBoxStartTls, MailBoxUnencrypted, U

from worker.oauth import tokens_for
from worker.oauthlogin import imap_login
from worker.settings import Settings

log = logging.getLogger(__name__)

FETCH_CHUNK = 50
_UID = re.compile(rb"UID (\d+)")
_INTERNALDATE = re.compile(rb'INTERNALDATE "([^"]+)"')


@dataclass(frozen=True)
class Fetched:
    uid: str
    raw: bytes
    internaldate: datetime


class MaildirSource:
    """Files in a Maildir's new/ and cur/; the unique part of the file name is the UID, UIDVALIDITY 0.

    Files are read where they lie and never moved, so a mail program may read the Maildir too.
    """

    uidvalidity = 0

    def __init__(self, path: Path) -> None:
        self.path = path
        mailbox.Maildir(path, create=True)  # creates new/, cur/, tmp/

    def fetch_new(self, known: set[str]) -> Iterator[Fetched]:
        files = [
            f for sub in ("new", "cur") for f in (self.path / sub).iterdir() if not f.name.startswith(".")
        ]
        # Arrival order: delivery time, then name (Maildir names do not sort by time within a second).
        for file in sorted(files, key=_arrival_order):
            key = file.name.split(":", 1)[0]
            if key in known:
                continue
            try:
                raw = file.read_bytes()
                stamp = datetime.fromtimestamp(file.stat().st_mtime, UTC)
            except FileNotFoundError:
                continue  # moved between listing and reading; seen next time under its new name
            yield Fetched(uid=key, raw=raw, internaldate=stamp)


def _arrival_order(file: Path) -> tuple[int, str]:
    try:
        return file.stat().st_mtime_ns, file.name
    except FileNotFoundError:
        return 0, file.name


def parse_internaldate(fetch_header: bytes) -> datetime:
    match = _INTERNALDATE.search(fetch_header)
    if not match:
        return datetime.now(UTC)
    return datetime.strptime(match.group(1).decode().strip(), "%d-%b-%Y %H:%M:%S %z")


class ImapSource:
    """One IMAP folder. `connect()` logs in and selects; `fetch_new(after_uid)` yields what is new."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.box: BaseMailBox | None = None
        self.uidvalidity = 0

    def connect(self) -> None:
        s = self.settings
        port = s.imap_port_or_default
        assert s.imap_host and s.imap_user  # Settings.check() refuses an IMAP host without a login
        box: BaseMailBox
        if s.imap_ssl:
            box = MailBox(s.imap_host, port, timeout=60)
        elif s.imap_starttls:
            box = MailBoxStartTls(s.imap_host, port, timeout=60)
        else:
            box = MailBoxUnencrypted(s.imap_host, port, timeout=60)
        if s.imap_auth == "oauth2":
            imap_login(box, tokens_for(s), s.imap_user, s.imap_host, port)
        else:
            assert s.imap_password is not None  # Settings.check(): a password login needs one
            box.login(s.imap_user, s.imap_password.get_secret_value(), initial_folder=None)
        box.folder.set(s.imap_folder, readonly=True)  # read-only: the server cannot set \Seen for us
        status = box.folder.status(s.imap_folder, ["UIDVALIDITY"])
        self.uidvalidity = int(status["UIDVALIDITY"])
        self.box = box

    @property
    def supports_idle(self) -> bool:
        return self.box is not None and "IDLE" in self.box.client.capabilities

    def fetch_new(self, after_uid: int) -> Iterator[Fetched]:
        assert self.box is not None
        uids = [u for u in self.box.uids(A(uid=U(str(after_uid + 1), "*"))) if int(u) > after_uid]
        # imap-tools does not ask for INTERNALDATE, and the deadline is judged by arrival, not by the
        # sender's Date header: so the fetch itself is a plain UID FETCH with BODY.PEEK (never \Seen).
        for start in range(0, len(uids), FETCH_CHUNK):
            chunk = sorted(uids[start : start + FETCH_CHUNK], key=int)
            typ, data = self.box.client.uid("FETCH", ",".join(chunk), "(UID INTERNALDATE BODY.PEEK[])")
            if typ != "OK":
                raise ConnectionError(f"UID FETCH answered {typ}")
            for item in data:
                if not isinstance(item, tuple):
                    continue
                header, raw = item
                uid = _UID.search(header)
                if uid:
                    yield Fetched(uid=uid.group(1).decode(), raw=raw, internaldate=parse_internaldate(header))

    def heard_of_new_mail(self) -> bool:
        """Whether the server slipped an EXISTS into the answer to another command (during our own
        FETCH, say). IDLE will not repeat it, so the caller must look again now."""
        assert self.box is not None
        return bool(self.box.client.untagged_responses.pop("EXISTS", None))

    def wait(self, timeout: float) -> bool:
        """Block until the server says something changed (IDLE) or the timeout passes; True on news."""
        assert self.box is not None
        responses = self.box.idle.wait(timeout=timeout)
        return any(b"EXISTS" in r for r in responses)

    def close(self) -> None:
        if self.box is not None:
            with contextlib.suppress(Exception):  # the connection may already be gone
                self.box.logout()
            self.box = None
