"""Celery tasks, thin like views: take ids, call a plain function, queue what follows after commit."""

from __future__ import annotations

import logging

from worker import sweeper
from worker.bootstrap import service
from worker.celery_app import app
from worker.pipeline import process
from worker.send import deliver_due

log = logging.getLogger(__name__)


@app.task(name="anmalan.process_message", acks_late=True, reject_on_worker_lost=True)
def process_message(inbox_id: int) -> None:
    svc = service()
    if process(svc, inbox_id):
        # The answer goes out at once, over this worker's connection, rather than queueing behind
        # decisions still waiting: what is due is also found by the sweeper if this worker dies now.
        deliver_due(svc)


def ring() -> None:
    """Wake a worker to send what is due; if the broker is away, the sweeper finds the rows anyway."""
    try:
        deliver_mail.delay()
    except Exception as exc:
        log.warning("could not queue delivery (%s); the sweeper sends it", exc)


@app.task(name="anmalan.deliver_mail", acks_late=True, reject_on_worker_lost=True)
def deliver_mail(outbox_id: int | None = None) -> None:
    """A doorbell: sends whatever is due, the row it names among them. The schedule of retries is in
    the outbox rows, so nothing waits in the broker."""
    deliver_due(service())


@app.task(name="anmalan.sweep")
def sweep() -> None:
    """Do what a lost task or a dead worker left behind (see worker.sweeper)."""
    sweeper.sweep(service())


@app.task(name="anmalan.digest")
def digest() -> None:
    """Runs every quarter hour; sends the morning digest once, from the configured time."""
    from worker.organiser import send_digest

    # Each event's organisers get their own digest, at their event's hour.
    if [outbox_id for svc in service().each() for outbox_id in send_digest(svc)]:
        ring()


@app.task(name="anmalan.scheduled_mail")
def scheduled_mail() -> None:
    """Hourly: reminders before meetings, follow-ups of unanswered questions, notices of changed meetings."""
    from worker import scheduled

    jobs = (scheduled.meeting_changes, scheduled.reminders, scheduled.followups)
    if [outbox_id for svc in service().each() for job in jobs for outbox_id in job(svc)]:
        ring()


@app.task(name="anmalan.prune_broker")
def prune_broker() -> None:
    """Hourly: the embedded broker's consumed messages, which kombu keeps, are deleted."""
    from worker.brokerfix import prune_consumed

    pruned = prune_consumed(service().settings.broker())
    if pruned:
        log.info("broker: %s consumed message(s) deleted", pruned)


@app.task(name="anmalan.retention")
def retention() -> None:
    from worker import scheduled

    svc = service()
    for view in svc.each():
        scheduled.retention(view)
    scheduled.retention_of_unrouted(svc)
