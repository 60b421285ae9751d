"""Deliver what is due in the outbox over this process's one connection, and record each outcome.

The Celery tasks, the sweeper and the CLI all call this. Rows are leased a few at a time, so two
workers share the work without sending anything twice; a worker that dies leaves leases that end.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from datetime import datetime, timedelta
from typing import Literal

from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from store import outbox
from worker import liveness, verp
from worker.bootstrap import Service
from worker.delivery import TIMEOUT, PermanentFailure, TemporaryFailure, Withdrawn
from worker.render import render_decided

log = logging.getLogger(__name__)

Outcome = Literal["sent", "failed", "retry", "skipped"]

# A lease covers one SMTP attempt (connect, then send, each under TIMEOUT) with room to record it.
LEASE = timedelta(seconds=2 * TIMEOUT)
BATCH = 10  # rows leased at a time: enough to keep the connection busy, few enough to share the work
MAX_PER_RUN = 500  # one task does not hold a worker for ever while more keeps coming
# Seconds to the next attempt after the n-th temporary failure: every few seconds for the first half
# minute (a dropped connection, a server restarting: answered within seconds once it is back), then
# slow (a greylisting server); after the last, the mail is failed and organisers see it.
RETRY_AFTER = (2, 3, 5, 5, 5, 5, 5, 10, 30, 60, 300, 900, 1800, 3600)


def retry_after(attempts: int) -> timedelta | None:
    """When to try again after `attempts` tries, or None: give up."""
    return timedelta(seconds=RETRY_AFTER[attempts - 1]) if attempts <= len(RETRY_AFTER) else None


def deliver_due(svc: Service, *, only: int | None = None) -> Counter[Outcome]:
    """Send every row that is due now (or just row `only`), a batch of leases at a time."""
    outcomes: Counter[Outcome] = Counter()
    claimant = liveness.me()
    while outcomes.total() < MAX_PER_RUN:
        with svc.db.unit_of_work() as session:
            batch = outbox.claim_due(
                session, svc.clock.now(), lease=LEASE, claimant=claimant, limit=BATCH, only=only
            )
        if not batch:
            break
        # Mails the server accepted, recorded together once the batch is through: one transaction for
        # the batch rather than one a mail. Until then each is noted as handed over, so a worker that dies
        # meanwhile leaves them to be counted as sent (outbox.settle_handed_over), never sent again.
        sent: list[int] = []
        try:
            for n, envelope in enumerate(batch):
                if svc.clock.now() + timedelta(seconds=TIMEOUT) > envelope.claimed_until:
                    # The batch ran slow: hand back what we can no longer send within our lease.
                    rest = [e.id for e in batch[n:]]
                    with svc.db.unit_of_work() as session:
                        outbox.release(session, rest, svc.clock.now(), claimant=claimant)
                    break
                outcomes[_send_one(svc, envelope, claimant, sent)] += 1
        finally:
            if sent:
                _record(svc, _mark_all_sent, sent, claimant=claimant)
        if only is not None:
            break
    return outcomes


def deliver(svc: Service, outbox_id: int) -> Outcome:
    """One row, if it is due; safe to run twice: a row that is not waiting to be sent is left alone."""
    outcomes = deliver_due(svc, only=outbox_id)
    return next(iter(outcomes), "skipped")


def _send_one(svc: Service, envelope: outbox.Envelope, claimant: str, sent: list[int]) -> Outcome:
    """Send one leased row; a temporary or permanent failure is recorded at once, a success is added to
    `sent` for the caller to record. A row holding what was decided is rendered here, outside the event
    lock; the bytes are kept on the row when they are handed over, so the row records what was sent."""
    raw, rendered = envelope.raw, None
    if envelope.event not in svc.events:  # its event file was taken away: nothing to send it as
        _record(
            svc,
            outbox.mark_failed,
            envelope.id,
            f"evenemanget {envelope.event} finns inte",
            claimant=claimant,
        )
        log.error("outbox %s: event %r is not configured", envelope.id, envelope.event)
        return "failed"
    svc = svc.at(envelope.event)
    if not raw and envelope.decided is None:  # erased meanwhile (forget_person): nothing is left to send
        _record(svc, outbox.mark_failed, envelope.id, "inget att skicka", claimant=claimant)
        return "failed"
    if envelope.decided is not None:
        try:
            raw = rendered = render_decided(svc, envelope.message_id, envelope.decided)
        except Exception as exc:  # a template that cannot render this mail will not render it later either
            kind = type(exc).__name__
            _record(svc, outbox.mark_failed, envelope.id, f"kunde inte skapas ({kind})", claimant=claimant)
            log.error("outbox %s could not be rendered: %s", envelope.id, kind)
            return "failed"

    def completing() -> bool:
        # Noted before the server gets the mail's last line: a worker that dies after this point is
        # not followed by a second copy (the row is settled as sent); one that dies before it is.
        with svc.db.unit_of_work() as session:
            return outbox.hand_over(session, envelope.id, svc.clock.now(), claimant=claimant, raw=rendered)

    sender = (
        verp.envelope_sender(svc.event.mailbox, envelope.message_id)
        if svc.settings.verp
        else svc.event.mailbox
    )
    try:
        svc.transport().send(
            sender, envelope.recipient, raw, name=f"{envelope.id:06d}", completing=completing
        )
    except Withdrawn:
        log.warning("outbox %s: our lease had ended; left to the run that took it over", envelope.id)
        return "skipped"
    except PermanentFailure as exc:
        _record(svc, outbox.mark_failed, envelope.id, str(exc), claimant=claimant)
        log.warning("outbox %s failed for good: %s", envelope.id, exc)
        return "failed"
    except TemporaryFailure as exc:
        delay = retry_after(envelope.attempts)
        if delay is None:
            _record(svc, outbox.mark_failed, envelope.id, str(exc), claimant=claimant)
            log.warning("outbox %s failed after %s attempts: %s", envelope.id, envelope.attempts, exc)
            return "failed"
        retry_at = svc.clock.now() + delay
        _record(svc, outbox.mark_retry, envelope.id, str(exc), retry_at=retry_at, claimant=claimant)
        log.info("outbox %s: %s; next attempt in %s s", envelope.id, exc, int(delay.total_seconds()))
        return "retry"
    sent.append(envelope.id)
    log.info("outbox %s sent", envelope.id)
    return "sent"


def _mark_all_sent(session: Session, outbox_ids: list[int], now: datetime, *, claimant: str) -> bool:
    taken = outbox.mark_all_sent(session, outbox_ids, now, claimant=claimant)
    if taken:
        log.warning("outbox %s: our lease had ended; another run finishes them", taken)
    return True


def _record(svc: Service, mark, outbox_id, *args, **kwargs) -> None:
    """Record an outcome even if the database is away for a while: a sent mail left `inflight` would
    be sent again once its lease ran out. Tried again quickly, for about the lease's length."""
    deadline = time.monotonic() + LEASE.total_seconds()
    delay = 0.2
    while True:
        try:
            with svc.db.unit_of_work() as session:
                if not mark(session, outbox_id, svc.clock.now(), *args, **kwargs):
                    log.warning("outbox %s: our lease had ended; another run finishes it", outbox_id)
                return
        except OperationalError as exc:
            if time.monotonic() > deadline:
                raise
            log.warning("outbox %s: cannot record the outcome yet (%s); trying again", outbox_id, exc.orig)
            time.sleep(delay)
            delay = min(delay * 2, 2.0)
