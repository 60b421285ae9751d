"""Deliver one outbox row and record the outcome; the Celery task and the CLI both call this."""

from __future__ import annotations

import logging
from typing import Literal

from store import outbox
from worker import verp
from worker.bootstrap import Service
from worker.delivery import PermanentFailure, TemporaryFailure, transport_for

log = logging.getLogger(__name__)

Outcome = Literal["sent", "failed", "retry", "skipped"]


def deliver(svc: Service, outbox_id: int, *, last_try: bool = False) -> Outcome:
    """Safe to run twice: a row that is not waiting to be sent is left alone."""
    with svc.db.unit_of_work() as session:
        envelope = outbox.claim(session, outbox_id, svc.clock.now())
    if envelope is None:
        return "skipped"
    transport = transport_for(svc.settings)
    sender = (
        verp.envelope_sender(svc.event.mailbox, envelope.message_id)
        if svc.settings.verp
        else svc.event.mailbox
    )
    try:
        transport.send(sender, envelope.recipient, envelope.raw, name=f"{outbox_id:06d}")
    except PermanentFailure as exc:
        with svc.db.unit_of_work() as session:
            outbox.mark_failed(session, outbox_id, svc.clock.now(), str(exc))
        log.warning("outbox %s failed for good: %s", outbox_id, exc)
        return "failed"
    except TemporaryFailure as exc:
        with svc.db.unit_of_work() as session:
            (outbox.mark_failed if last_try else outbox.mark_retry)(
                session, outbox_id, svc.clock.now(), str(exc)
            )
        log.info("outbox %s: %s", outbox_id, exc)
        return "failed" if last_try else "retry"
    with svc.db.unit_of_work() as session:
        outbox.mark_sent(session, outbox_id, svc.clock.now())
    log.info("outbox %s sent", outbox_id)
    return "sent"
