"""The sweeper: whatever is due in the database gets done, whatever the broker lost or a worker left.

Beat runs it every few seconds and every worker once at start. Inbox rows still `new` are decided (in
arrival order), leases of workers that died on this host are ended, a mail its dying sender had
already handed over is counted as sent, and every due outbox row is sent.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from store import inbox, outbox
from worker import liveness
from worker.bootstrap import Service
from worker.pipeline import process
from worker.send import deliver_due

log = logging.getLogger(__name__)

EVERY = 3.0  # seconds between sweeps; a lost doorbell delays a mail by at most this
# A row stored this recently still has its own task on the way; the sweeper leaves it that moment.
INBOX_GRACE = timedelta(seconds=2)


def sweep(svc: Service) -> None:
    now = svc.clock.now()
    with svc.db.unit_of_work() as session:
        waiting = inbox.unprocessed_ids(session, older_than=now - INBOX_GRACE, events=svc.slugs)
        dead = liveness.gone(outbox.claimants(session))
        if dead:
            ended = outbox.end_leases(session, dead, now)
            log.info("ended %s lease(s) of worker(s) no longer running: %s", ended, ", ".join(sorted(dead)))
        settled = outbox.settle_handed_over(session, now)
        if settled:
            log.warning("outbox %s: the sender died as the server took the mail; counted as sent", settled)
    if waiting:
        log.info("sweeper: %s inbox row(s) waiting; deciding them", len(waiting))
        process(svc, waiting[-1])  # routes, then decides every earlier waiting row first, in arrival order
    outcomes = deliver_due(svc)
    if outcomes:
        log.info("sweeper: %s", dict(outcomes))
