"""Scheduled jobs, each a pure rules function run over the stored state under the event lock."""

from __future__ import annotations

import logging
from datetime import timedelta

from rules.event import Meeting
from rules.schedule import due_reminders, expired_personal_data, info_followups, meeting_change_notices
from store import scheduled as memory
from worker.bootstrap import Service
from worker.pipeline import run_scheduled
from worker.transaction import decision_transaction

log = logging.getLogger(__name__)


def reminders(svc: Service) -> list[int]:
    return run_scheduled(svc, lambda _session, state, now: due_reminders(svc.event, state, now))


def followups(svc: Service) -> list[int]:
    def job(session, state, now):
        asked, reminded, escalated = memory.info_request_history(session, svc.event.slug)
        return info_followups(svc.event, state, now, asked, reminded, escalated)

    return run_scheduled(svc, job)


def meeting_changes(svc: Service) -> list[int]:
    """Compare the meetings in the event file with those last seen; tell attendees what changed."""
    with decision_transaction(svc) as tx:
        row = tx.event_row
        current = [m.model_dump(mode="json") for m in svc.event.meetings]
        if row.meetings_snapshot is None:
            row.meetings_snapshot = current  # first start: nothing to compare with
            return []
        if row.meetings_snapshot == current:
            return []
        old = svc.event.model_copy(
            update={"meetings": [Meeting.model_validate(m) for m in row.meetings_snapshot]}
        )
        ids = tx.apply(meeting_change_notices(old, svc.event, tx.state, tx.now))
        row.meetings_snapshot = current
        log.info("meetings changed in %s: %d notice(s)", svc.event_path, len(ids))
        return ids


def retention(svc: Service) -> int:
    """Forget the event's people once its retention period is over, and old raw mail in any case."""
    with decision_transaction(svc) as tx:
        refs = expired_personal_data(svc.event, tx.state, tx.now)
        forgotten = memory.forget_registrations(tx.session, svc.event.slug, refs, tx.now)
        before = tx.now - timedelta(days=svc.event.retention_days)
        memory.forget_old_messages(tx.session, before, event=svc.event.slug)
    if forgotten:
        log.info("retention: %s: forgot %d registration(s)", svc.event.slug, forgotten)
    return forgotten


def retention_of_unrouted(svc: Service) -> int:
    """Raw mail of no event (stored before events were told apart, or never routed) is kept as long as
    the longest retention of the events: an organiser may still route it, and no event's promise is cut."""
    days = max(event.retention_days for event in svc.events.values())
    with svc.db.unit_of_work() as session:
        return memory.forget_old_messages(session, svc.clock.now() - timedelta(days=days), event=None)
