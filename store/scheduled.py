"""What the scheduled jobs need to remember: which questions were asked, reminded and escalated."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from store import statecache
from store.db import changed_rows
from store.tables import AuditRow, InboxMessage, OutboxRow, RegistrationRow, ReviewRow


def info_request_history(session: Session, event: str) -> tuple[dict[str, datetime], set[str], set[str]]:
    """(when each ref was first asked, refs already reminded, refs already handed to an organiser)."""
    asked = dict(
        session.execute(
            select(OutboxRow.registration_ref, func.min(OutboxRow.created_at))
            .where(OutboxRow.event == event, OutboxRow.template == "info_request")
            .group_by(OutboxRow.registration_ref)
        ).all()
    )
    reminded = set(
        session.execute(
            select(OutboxRow.registration_ref).where(
                OutboxRow.event == event, OutboxRow.template == "info_reminder"
            )
        ).scalars()
    )
    escalated = set(
        session.execute(
            select(ReviewRow.registration_ref).where(
                ReviewRow.event == event, ReviewRow.kind == "info_timeout"
            )
        ).scalars()
    )
    return (
        {k: v for k, v in asked.items() if k},
        {ref for ref in reminded if ref},
        {ref for ref in escalated if ref},
    )


def forget_registrations(session: Session, event: str, refs: list[str], now: datetime) -> int:
    """Remove people's data for good: registrations, the raw mails about them, what we sent them."""
    if not refs:
        return 0
    rows = (
        session.execute(
            select(RegistrationRow).where(RegistrationRow.event == event, RegistrationRow.ref.in_(refs))
        )
        .scalars()
        .all()
    )
    for row in rows:
        session.delete(row)
    statecache.bump(session, event, forgotten=True)
    session.execute(
        update(OutboxRow)
        .where(OutboxRow.event == event, OutboxRow.registration_ref.in_(refs))
        .values(raw=None, recipient="", subject="")
    )
    session.execute(
        update(ReviewRow)
        .where(ReviewRow.event == event, ReviewRow.registration_ref.in_(refs))
        .values(quote="", sender=None, status="done", resolved_at=now)
    )
    # The audit log keeps the fact that something happened, by reference only.
    session.execute(
        update(AuditRow).where(AuditRow.event == event, AuditRow.registration_ref.in_(refs)).values(detail="")
    )
    return len(rows)


def forget_old_messages(session: Session, before: datetime, *, event: str | None) -> int:
    """Raw messages (bodies, addresses) of an event older than its retention limit are dropped; their
    position stays. `event` None: the messages routed to no event, and the review items of none."""
    whose = InboxMessage.event.is_(None) if event is None else InboxMessage.event == event
    forgotten = changed_rows(
        session,
        update(InboxMessage)
        .where(whose, InboxMessage.stored_at < before, InboxMessage.raw.is_not(None))
        .values(raw=None, sender=None, subject=None, parsed=None),
    )
    if event is not None:
        session.execute(
            delete(ReviewRow).where(
                ReviewRow.event == event, ReviewRow.created_at < before, ReviewRow.status == "done"
            )
        )
    return forgotten
