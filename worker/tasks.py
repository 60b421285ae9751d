"""Celery tasks, thin like views: take ids, call a plain function, queue what follows after commit."""

from __future__ import annotations

import logging
from datetime import timedelta

from store import inbox, outbox
from worker.bootstrap import service
from worker.celery_app import app
from worker.pipeline import process
from worker.send import deliver

log = logging.getLogger(__name__)

# Seconds between delivery attempts after a temporary failure: quick, then slow; all below the
# broker's visibility timeout.
BACKOFF = (10, 30, 60, 120, 300, 600, 1200, 1800)
STUCK_AFTER = timedelta(minutes=15)
LOST_AFTER = timedelta(minutes=2)


@app.task(name="anmalan.process_message", acks_late=True, reject_on_worker_lost=True)
def process_message(inbox_id: int) -> None:
    for outbox_id in process(service(), inbox_id):
        deliver_mail.delay(outbox_id)


@app.task(
    name="anmalan.deliver_mail",
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=len(BACKOFF),
)
def deliver_mail(self, outbox_id: int) -> None:
    outcome = deliver(service(), outbox_id, last_try=self.request.retries >= len(BACKOFF))
    if outcome == "retry":
        countdown = BACKOFF[self.request.retries]
        log.info("outbox %s: retrying in %s s", outbox_id, countdown)
        raise self.retry(countdown=countdown)


@app.task(name="anmalan.sweep")
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


@app.task(name="anmalan.digest")
def digest() -> None:
    """Runs every quarter hour; sends the morning digest once, from the configured time."""
    from worker.organiser import send_digest

    for outbox_id in send_digest(service()):
        deliver_mail.delay(outbox_id)


@app.task(name="anmalan.scheduled_mail")
def scheduled_mail() -> None:
    """Hourly: reminders before meetings, follow-ups of unanswered questions, notices of changed meetings."""
    from worker import scheduled

    svc = service()
    for job in (scheduled.meeting_changes, scheduled.reminders, scheduled.followups):
        for outbox_id in job(svc):
            deliver_mail.delay(outbox_id)


@app.task(name="anmalan.retention")
def retention() -> None:
    from worker import scheduled

    scheduled.retention(service())
