"""The outbox's state machine: queued → inflight → sent | awaiting_retry | failed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from store.tables import AuditRow, OutboxRow

DELIVERABLE = ("queued", "awaiting_retry")


@dataclass(frozen=True)
class Envelope:
    """What the sender needs, detached from the session."""

    id: int
    recipient: str
    raw: bytes
    attempts: int
    message_id: str


def claim(session: Session, outbox_id: int, now: datetime) -> Envelope | None:
    """Lock the row and mark it inflight; None if it was sent, failed or taken by another run."""
    row = session.execute(
        select(OutboxRow).where(OutboxRow.id == outbox_id).with_for_update()
    ).scalar_one_or_none()
    if row is None or row.status not in DELIVERABLE or row.raw is None:
        return None
    row.status, row.attempts, row.updated_at = "inflight", row.attempts + 1, now
    return Envelope(row.id, row.recipient, row.raw, row.attempts, row.message_id)


def _finish(session: Session, outbox_id: int, now: datetime, status: str, error: str | None) -> None:
    row = session.get(OutboxRow, outbox_id)
    if row is None:  # forgotten (`anmalan forget`) while it was being sent: nothing left to record
        return
    row.status, row.updated_at, row.last_error = status, now, error
    if status == "sent":
        row.sent_at = now
    if status != "awaiting_retry":
        session.add(
            AuditRow(
                event=row.event,
                at=now,
                rule=f"mail_{status}",
                registration_ref=row.registration_ref,
                detail=f"{row.template} (utkorg {row.id})" + (f": {error}" if error else ""),
            )
        )


def mark_sent(session: Session, outbox_id: int, now: datetime) -> None:
    _finish(session, outbox_id, now, "sent", None)


def mark_retry(session: Session, outbox_id: int, now: datetime, error: str) -> None:
    _finish(session, outbox_id, now, "awaiting_retry", error)


def mark_failed(session: Session, outbox_id: int, now: datetime, error: str) -> None:
    _finish(session, outbox_id, now, "failed", error)


def requeue_stuck(session: Session, *, inflight_before: datetime, now: datetime) -> list[int]:
    """Rows left inflight by a worker that died: back to queued (the send may repeat; the Message-ID
    stays the same, so a receiving server or person can tell)."""
    ids = list(
        session.execute(
            select(OutboxRow.id).where(OutboxRow.status == "inflight", OutboxRow.updated_at < inflight_before)
        ).scalars()
    )
    if ids:
        session.execute(
            update(OutboxRow).where(OutboxRow.id.in_(ids)).values(status="queued", updated_at=now)
        )
    return ids


def waiting_ids(session: Session, *, updated_before: datetime) -> list[int]:
    """Queued rows whose task may have been lost (the broker was down at commit time)."""
    return list(
        session.execute(
            select(OutboxRow.id).where(OutboxRow.status == "queued", OutboxRow.updated_at < updated_before)
        ).scalars()
    )
