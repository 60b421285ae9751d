"""The mailbox watcher: store every new message durably, then hand its id to a Celery task."""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable, Iterable, Iterator

from store import inbox
from worker.bootstrap import Service, mailbox_settings
from worker.settings import Settings
from worker.sources import Fetched, ImapSource, MaildirSource

log = logging.getLogger(__name__)

IDLE_WAIT = 60.0  # seconds per IDLE round; RFC 2177 asks for a new IDLE within 29 minutes
RECONNECT_AFTER = 25 * 60.0
POLL_INTERVAL = 30.0  # when the server has no IDLE
MAILDIR_POLL = 1.0
MAX_BACKOFF = 30.0  # seconds; a server back from an outage is used again within about this
# Messages stored in one transaction: a burst costs a handful of commits, not one each; bounded in bytes
# too, so a batch held in memory follows the FETCH budget, not the backlog.
INTAKE_BATCH = 50
INTAKE_BYTES = 8_000_000


def _batches(items: Iterable[Fetched]) -> Iterator[list[Fetched]]:
    batch: list[Fetched] = []
    size = 0
    for item in items:
        batch.append(item)
        size += len(item.raw)
        if len(batch) >= INTAKE_BATCH or size >= INTAKE_BYTES:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def mailboxes(svc: Service) -> list[Settings]:
    """The folders to read, each once however many events share it: the settings that read each."""
    found: dict[str, Settings] = {}
    for slug in svc.slugs:
        settings = mailbox_settings(svc.settings, svc.events[slug])
        found.setdefault(settings.mailbox_name(), settings)
    return list(found.values())


def watchers(
    svc: Service,
    enqueue: Callable[[int], None],
    stop: threading.Event | None = None,
    on_stored: Callable[[], None] | None = None,
    *,
    ring_once: bool = False,
) -> list[Watcher]:
    """One watcher per folder; they share the stop signal."""
    stop = stop or threading.Event()
    return [
        Watcher(svc, enqueue, stop, on_stored, ring_once=ring_once, settings=settings)
        for settings in mailboxes(svc)
    ]


def run_all(found: list[Watcher]) -> None:
    """Run the watchers side by side until they stop; the first to fail stops the others too, so the
    process exits (and is restarted) rather than leaving a folder unread."""
    if len(found) == 1:
        found[0].run()
        return
    failed: list[BaseException] = []

    def one(watcher: Watcher) -> None:
        try:
            watcher.run()
        except BaseException as exc:
            failed.append(exc)
        finally:
            watcher.stop.set()

    threads = [threading.Thread(target=one, args=(w,), name=f"watch {w.mailbox}", daemon=True) for w in found]
    for thread in threads:
        thread.start()
    try:
        while any(t.is_alive() for t in threads):
            for thread in threads:
                thread.join(timeout=0.5)
    finally:
        found[0].stop.set()
    if failed:
        raise failed[0]


class Watcher:
    def __init__(
        self,
        svc: Service,
        enqueue: Callable[[int], None],
        stop: threading.Event | None = None,
        on_stored: Callable[[], None] | None = None,
        *,
        ring_once: bool = False,
        settings: Settings | None = None,
    ) -> None:
        self.svc = svc
        # The folder this watcher reads: ANMALAN_IMAP_* with an event's own folder or login (mailboxes()).
        self.settings = settings or svc.settings
        self.ring_once = ring_once
        self.on_stored = on_stored or (lambda: None)
        self.enqueue = enqueue
        self.stop = stop or threading.Event()
        self.mailbox = self.settings.mailbox_name()
        self._maildir_known: set[str] | None = None

    # -- intake ----------------------------------------------------------------------------------

    def intake(self, fetched: Iterable[Fetched], uidvalidity: int) -> list[int]:
        """Store messages a batch per transaction, the cursor with them, before anything else happens to
        them; then hand them over. A batch that fails is stored not at all, and its cursor not moved."""
        stored = []
        for batch in _batches(fetched):
            new_ids = []
            with self.svc.db.unit_of_work() as session:
                for item in batch:
                    row = inbox.store_raw(
                        session,
                        mailbox=self.mailbox,
                        uidvalidity=uidvalidity,
                        uid=item.uid,
                        raw=item.raw,
                        received_at=self.svc.clock.arrival(item.internaldate),
                        now=self.svc.clock.now(),
                    )
                    if item.uid.isdigit():
                        inbox.advance_cursor(session, self.mailbox, uidvalidity, int(item.uid))
                    if row is not None and row.status == "new":
                        new_ids.append(row.id)
            for _ in batch:
                self.on_stored()
            stored += new_ids
            # One task can decide the whole batch: process() takes every row that waits before the one
            # it names. Callers that count what was handed over get every id.
            for new_id in new_ids[-1:] if self.ring_once else new_ids:
                self._hand_over(new_id)
        return stored

    def _hand_over(self, inbox_id: int) -> None:
        try:
            self.enqueue(inbox_id)
        except Exception as exc:  # the row is safe; the sweeper hands it over again later
            log.warning("could not queue inbox %s (%s); the sweeper will retry", inbox_id, exc)

    def requeue_waiting(self) -> None:
        with self.svc.db.unit_of_work() as session:
            ids = inbox.unprocessed_ids(session, events=self.svc.slugs)
        for inbox_id in ids[-1:] if self.ring_once else ids:
            self._hand_over(inbox_id)

    # -- loops -----------------------------------------------------------------------------------

    def run(self) -> None:
        self.requeue_waiting()
        if self.settings.uses_imap:
            self._run_imap()
        else:
            self._run_maildir()

    def check_once(self) -> list[int]:
        """One pass over the mailbox (used by `backfill` and tests)."""
        if not self.settings.uses_imap:
            return self._maildir_pass(MaildirSource(self.settings.maildir, self.settings.max_message_bytes))
        source = ImapSource(self.settings)
        source.connect()
        try:
            return self._imap_pass(source)
        finally:
            source.close()

    def _maildir_pass(self, source: MaildirSource) -> list[int]:
        # What is stored is read from the database once per watcher, then kept up to date here: the
        # Maildir is looked at every second, and the inbox table may hold thousands of messages.
        if self._maildir_known is None:
            with self.svc.db.unit_of_work() as session:
                self._maildir_known = inbox.known_uids(session, self.mailbox, source.uidvalidity)
        known = self._maildir_known

        def remembered(items):
            for item in items:
                yield item
                known.add(item.uid)  # after intake stored it (the generator resumes only then)

        return self.intake(remembered(source.fetch_new(known)), source.uidvalidity)

    def _run_maildir(self) -> None:
        source = MaildirSource(self.settings.maildir, self.settings.max_message_bytes)
        log.info("watching Maildir %s", self.settings.maildir)
        while not self.stop.is_set():
            try:
                self._maildir_pass(source)
            except Exception as exc:  # the database away, a file in the way: try again, never stop
                log.warning("Maildir %s: %s; trying again", self.settings.maildir, exc)
                self._maildir_known = None  # read again what is stored: the last intake may not have been
                self.stop.wait(MAILDIR_POLL * 5)
            self.stop.wait(MAILDIR_POLL)

    def _imap_pass(self, source: ImapSource) -> list[int]:
        with self.svc.db.unit_of_work() as session:
            cur = inbox.cursor(session, self.mailbox)
            after = cur.last_uid if cur and cur.uidvalidity == source.uidvalidity else 0
            if cur and cur.uidvalidity != source.uidvalidity:
                # The server renumbered the folder: read it all again; Message-IDs keep us from
                # processing anything twice, and reading from UID 1 keeps us from skipping anything.
                log.warning(
                    "UIDVALIDITY of %s changed (%s → %s)", self.mailbox, cur.uidvalidity, source.uidvalidity
                )
        return self.intake(source.fetch_new(after), source.uidvalidity)

    def _imap_catch_up(self, source: ImapSource) -> None:
        """Pass until a pass finds nothing and no EXISTS came in meanwhile: mail that arrives while we
        fetch is announced in our FETCH's answer, not in the next IDLE, and must not wait for a timeout."""
        while self._imap_pass(source) or source.heard_of_new_mail():
            if self.stop.is_set():
                return

    def _run_imap(self) -> None:
        backoff = 1.0
        while not self.stop.is_set():
            source = ImapSource(self.settings)
            try:
                source.connect()
                log.info("connected to %s (IDLE: %s)", self.mailbox, source.supports_idle)
                backoff = 1.0
                connected_at = time.monotonic()
                self._imap_catch_up(source)
                while not self.stop.is_set() and time.monotonic() - connected_at < RECONNECT_AFTER:
                    if source.supports_idle:
                        source.wait(IDLE_WAIT)
                    else:
                        self.stop.wait(POLL_INTERVAL)
                    # A pass after every wait, news or not: cheap, and a lost EXISTS costs nothing.
                    self._imap_catch_up(source)
            except Exception as exc:  # network trouble: back off with jitter and reconnect
                log.warning("mailbox %s: %s; reconnecting in %.0f s", self.mailbox, exc, backoff)
                self.stop.wait(backoff * (0.8 + 0.4 * random.random()))
                # Growing by half, not doubling: the wait after a server comes back stays about half
                # the outage (10 s after 20 s down), and never more than MAX_BACKOFF.
                backoff = min(backoff * 1.5, MAX_BACKOFF)
            finally:
                source.close()
