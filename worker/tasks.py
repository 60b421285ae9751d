"""Celery tasks, thin like views: take ids, call a plain function, queue what follows after commit."""

from __future__ import annotations

import logging
from datetime import timedelta

from celery import shared_task

from store import inbox, outbox
from worker.bootstrap import service
from worker.delivery import FolderTransport, PermanentFailure, TemporaryFailure, transport_for
from worker.pipeline import process

log = logging.getLogger(__name__)

# Seconds between delivery attempts after a temporary failure: quick, then slow; all below the
# broker's visibility timeout.
BACKOFF = (10, 30, 60, 120, 300, 600, 1200, 1800)
STUCK_AFTER = timedelta(minutes=15)
LOST_AFTER = timedelta(minutes=2)


@shared_task(name="anmalan.process_message", acks_late=True, reject_on_worker_lost=True)
def process_message(inbox_id: int) -> None:
    for outbox_id in process(service(), inbox_id):
        deliver_mail.delay(outbox_id)


@shared_task(
    name="anmalan.deliver_mail",
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=len(BACKOFF),
)
def deliver_mail(self, outbox_id: int) -> None:
    svc = service()
    with svc.db.unit_of_work() as session:
        envelope = outbox.claim(session, outbox_id, svc.clock.now())
    if envelope is None:
        return  # sent, failed, or being sent by another run
    transport = transport_for(svc.settings)
    try:
        if isinstance(transport, FolderTransport):
            transport.send(svc.event.mailbox, envelope.recipient, envelope.raw, name=f"{outbox_id:06d}")
        else:
            transport.send(svc.event.mailbox, envelope.recipient, envelope.raw)
    except PermanentFailure as exc:
        with svc.db.unit_of_work() as session:
            outbox.mark_failed(session, outbox_id, svc.clock.now(), str(exc))
        log.warning("outbox %s failed for good: %s", outbox_id, exc)
        return
    except TemporaryFailure as exc:
        last_try = self.request.retries >= len(BACKOFF)
        with svc.db.unit_of_work() as session:
            mark = outbox.mark_failed if last_try else outbox.mark_retry
            mark(session, outbox_id, svc.clock.now(), str(exc))
        if last_try:
            return
        countdown = BACKOFF[self.request.retries]
        log.info("outbox %s: %s; retrying in %s s", outbox_id, exc, countdown)
        raise self.retry(countdown=countdown, exc=exc) from None
    with svc.db.unit_of_work() as session:
        outbox.mark_sent(session, outbox_id, svc.clock.now())
    log.info("outbox %s sent", outbox_id)


@shared_task(name="anmalan.sweep")
def sweep() -> None:
    """Hand over again what a lost task or a dead worker left behind."""
    svc = service()
    now = svc.clock.now()
    with svc.db.unit_of_work() as session:
        waiting = inbox.unprocessed_ids(session, older_than=now - LOST_AFTER)
        outbox.requeue_stuck(session, inflight_before=now - STUCK_AFTER, now=now)
        queued = outbox.waiting_ids(session, updated_before=now - LOST_AFTER)
    for inbox_id in waiting:
        process_message.delay(inbox_id)
    for outbox_id in queued:
        deliver_mail.delay(outbox_id)
