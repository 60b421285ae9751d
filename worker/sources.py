"""Mailbox sources: an IMAP folder (imap-tools, IDLE when offered) and a Maildir (embedded default).

A source never changes the mailbox: no \\Seen, no moves, no deletes. Our cursor decides what is new.
"""

from __future__ import annotations

import contextlib
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from imap_tools import A, BaseMailBox, MailBox, MailBoxStartTls, MailBoxUnencrypted, U

from parsers.oversize import keep_text
from worker.oauth import tokens_for
from worker.oauthlogin import imap_login
from worker.settings import Settings

log = logging.getLogger(__name__)

FETCH_CHUNK = 50
# A FETCH answer is held in memory whole: so messages are fetched together only up to this many bytes,
# and a larger one alone. Memory then follows the largest message (capped), never the backlog.
FETCH_BYTES = 8_000_000
# Of a message over the storage cap only the first bytes are fetched and kept as headers and text
# (parsers.oversize): they come first in mail people write, and a sign-up's text is a few kB.
OVERSIZE_READ = 2_000_000
_UID = re.compile(rb"UID (\d+)")
_SIZE = re.compile(rb"UID (\d+) RFC822\.SIZE (\d+)|RFC822\.SIZE (\d+) UID (\d+)")
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

    def __init__(self, path: Path, max_bytes: int = 25_000_000) -> None:
        self.path = path
        self.max_bytes = max_bytes
        # mailbox.Maildir(create=True) makes new/, cur/ and tmp/ only for a folder that does not exist yet;
        # an existing empty folder (made by hand, or a fresh volume) needs them too.
        for sub in ("new", "cur", "tmp"):
            (path / sub).mkdir(parents=True, exist_ok=True)

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
                stat = file.stat()
                oversize = stat.st_size > self.max_bytes
                read = min(self.max_bytes, OVERSIZE_READ) if oversize else stat.st_size
                with file.open("rb") as handle:
                    raw = handle.read(read)
                if oversize:
                    raw = keep_text(raw, original_size=stat.st_size, limit=read)
                stamp = datetime.fromtimestamp(stat.st_mtime, UTC)
            except FileNotFoundError:
                continue  # moved between listing and reading; seen next time under its new name
            yield Fetched(uid=key, raw=raw, internaldate=stamp)


def _arrival_order(file: Path) -> tuple[int, str]:
    try:
        return file.stat().st_mtime_ns, file.name
    except FileNotFoundError:
        return 0, file.name


def fetch_plan(uids: list[str], sizes: dict[str, int], *, budget: int, count: int) -> Iterator[list[str]]:
    """UIDs in order, grouped so that no FETCH asks for more than `budget` bytes or `count` messages; a
    message larger than the budget is fetched alone."""
    batch: list[str] = []
    total = 0
    for uid in uids:
        size = sizes.get(uid, 0)
        if batch and (total + size > budget or len(batch) >= count):
            yield batch
            batch, total = [], 0
        batch.append(uid)
        total += size
    if batch:
        yield batch


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
        # Settings.check() refuses an IMAP host without a user, and without a password unless OAuth2.
        assert s.imap_host and s.imap_user
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
            assert s.imap_password is not None
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
        uids = sorted(
            (u for u in self.box.uids(A(uid=U(str(after_uid + 1), "*"))) if int(u) > after_uid), key=int
        )
        limit = self.settings.max_message_bytes
        sizes = self._sizes(uids)
        # imap-tools does not ask for INTERNALDATE, and the deadline is judged by arrival, not by the
        # sender's Date header: so the fetch itself is a plain UID FETCH with BODY.PEEK (never \Seen).
        for batch in fetch_plan(uids, sizes, budget=min(FETCH_BYTES, limit), count=FETCH_CHUNK):
            size = sizes.get(batch[0], 0)
            read = min(limit, OVERSIZE_READ)
            body = f"BODY.PEEK[]<0.{read}>" if size > limit else "BODY.PEEK[]"
            typ, data = self.box.client.uid("FETCH", ",".join(batch), f"(UID INTERNALDATE {body})")
            if typ != "OK":
                raise ConnectionError(f"UID FETCH answered {typ}")
            for item in data:
                if not isinstance(item, tuple):
                    continue
                header, raw = item
                uid = _UID.search(header)
                if uid:
                    if size > limit:
                        raw = keep_text(raw, original_size=size, limit=read)
                    yield Fetched(uid=uid.group(1).decode(), raw=raw, internaldate=parse_internaldate(header))
            del data  # the batch's bytes go before the next batch is fetched

    def _sizes(self, uids: list[str]) -> dict[str, int]:
        """RFC822.SIZE of each message, asked for before any message is fetched."""
        assert self.box is not None
        sizes: dict[str, int] = {}
        for start in range(0, len(uids), 500):
            typ, data = self.box.client.uid("FETCH", ",".join(uids[start : start + 500]), "(UID RFC822.SIZE)")
            if typ != "OK":
                raise ConnectionError(f"UID FETCH RFC822.SIZE answered {typ}")
            for item in data:
                line = item[0] if isinstance(item, tuple) else item
                found = _SIZE.search(line) if isinstance(line, bytes) else None
                if found:
                    uid, size = (
                        (found.group(1), found.group(2))
                        if found.group(1)
                        else (found.group(4), found.group(3))
                    )
                    sizes[uid.decode()] = int(size)
        return sizes

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
