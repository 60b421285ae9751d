"""The outbox's state machine and its schedule: queued → inflight → sent | awaiting_retry | failed.

When a row is due lives in the row (`next_attempt_at`), and who is sending it, until when, too (the
lease `claimed_until`): the broker only rings the bell, so losing it or a worker loses no mail.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session

from store.tables import AuditRow, OutboxRow

DELIVERABLE = ("queued", "awaiting_retry")


@dataclass(frozen=True)
class Envelope:
    """What the sender needs, detached from the session."""

    id: int
    recipient: str
    raw: bytes  # empty while only `decided` is held: the sender renders it
    attempts: int
    message_id: str
    claimed_until: datetime
    decided: dict[str, Any] | None = None
    event: str = ""  # whose mail it is: its sender address and its texts


def _due(now: datetime):
    """Waiting rows whose time has come, and rows whose sender's lease ran out (it died mid-send)."""
    return and_(
        or_(OutboxRow.raw.is_not(None), OutboxRow.decided.is_not(None)),  # neither: erased (forget_person)
        or_(
            and_(
                OutboxRow.status.in_(DELIVERABLE),
                or_(OutboxRow.next_attempt_at.is_(None), OutboxRow.next_attempt_at <= now),
            ),
            and_(
                OutboxRow.status == "inflight",
                OutboxRow.handed_over_at.is_(None),  # those are settled, not sent again
                or_(OutboxRow.claimed_until.is_(None), OutboxRow.claimed_until < now),
            ),
        ),
    )


def claim_due(
    session: Session,
    now: datetime,
    *,
    lease: timedelta,
    claimant: str,
    limit: int,
    only: int | None = None,
) -> list[Envelope]:
    """Lease up to `limit` due rows, oldest first (or just row `only`); rows another run holds are
    skipped, never waited for, so two workers take different rows."""
    query = select(OutboxRow).where(_due(now)).order_by(OutboxRow.id).limit(limit)
    if only is not None:
        query = query.where(OutboxRow.id == only)
    rows = session.execute(query.with_for_update(skip_locked=True)).scalars().all()
    until = now + lease
    for row in rows:
        row.status, row.attempts, row.updated_at = "inflight", row.attempts + 1, now
        row.claimed_until, row.claimed_by = until, claimant
    return [
        Envelope(
            r.id,
            r.recipient,
            r.raw or b"",
            r.attempts,
            r.message_id,
            until,
            None if r.raw else r.decided,
            r.event,
        )
        for r in rows
    ]


def claim(
    session: Session, outbox_id: int, now: datetime, *, lease: timedelta, claimant: str
) -> Envelope | None:
    """Lease one row if it is due; None if it was sent, failed, is not yet due or is held by another."""
    found = claim_due(session, now, lease=lease, claimant=claimant, limit=1, only=outbox_id)
    return found[0] if found else None


def _finish(
    session: Session,
    outbox_id: int,
    now: datetime,
    status: str,
    error: str | None,
    *,
    claimant: str,
    retry_at: datetime | None = None,
) -> bool:
    """Record an outcome if our lease still stands (after it ran out another run may have taken the
    row over); False if it did not. One UPDATE, so that the moment between the SMTP server's answer
    and its record (the window in docs/operations.md) stays as short as the database allows."""
    finished = session.execute(
        update(OutboxRow)
        .where(OutboxRow.id == outbox_id, OutboxRow.status == "inflight", OutboxRow.claimed_by == claimant)
        .values(_finished(now, status, error, retry_at))
        .returning(OutboxRow.event, OutboxRow.registration_ref, OutboxRow.template)
    ).first()
    if finished is None:
        return False
    if status != "awaiting_retry":
        session.add(
            AuditRow(
                event=finished.event,
                at=now,
                rule=f"mail_{status}",
                registration_ref=finished.registration_ref,
                detail=f"{finished.template} (utkorg {outbox_id})" + (f": {error}" if error else ""),
            )
        )
    return True


def _finished(now: datetime, status: str, error: str | None, retry_at: datetime | None) -> dict[str, Any]:
    """The columns of a row whose attempt ended: the lease let go, the outcome noted."""
    values: dict[str, Any] = {
        "status": status,
        "updated_at": now,
        "last_error": error,
        "claimed_until": None,
        "claimed_by": None,
        "handed_over_at": None,
        "next_attempt_at": retry_at,
    }
    if status == "sent":
        values["sent_at"] = now
    return values


def mark_sent(session: Session, outbox_id: int, now: datetime, *, claimant: str) -> bool:
    """False when our lease was taken over meanwhile (the row is then someone else's to finish)."""
    return not mark_all_sent(session, [outbox_id], now, claimant=claimant)


def mark_all_sent(session: Session, outbox_ids: list[int], now: datetime, *, claimant: str) -> list[int]:
    """mark_sent for a leased batch in one UPDATE and one INSERT of their audit rows; returns the ids
    whose lease was taken over meanwhile (someone else's to finish)."""
    if not outbox_ids:
        return []
    done = session.execute(
        update(OutboxRow)
        .where(OutboxRow.id.in_(outbox_ids), OutboxRow.status == "inflight", OutboxRow.claimed_by == claimant)
        .values(_finished(now, "sent", None, None))
        .returning(OutboxRow.id, OutboxRow.event, OutboxRow.registration_ref, OutboxRow.template)
    ).all()
    finished = {row.id: row for row in done}
    session.add_all(
        AuditRow(
            event=row.event,
            at=now,
            rule="mail_sent",
            registration_ref=row.registration_ref,
            detail=f"{row.template} (utkorg {row.id})",
        )
        for row in (finished[i] for i in outbox_ids if i in finished)
    )
    return [i for i in outbox_ids if i not in finished]


def mark_retry(
    session: Session, outbox_id: int, now: datetime, error: str, *, retry_at: datetime, claimant: str
) -> bool:
    return _finish(session, outbox_id, now, "awaiting_retry", error, claimant=claimant, retry_at=retry_at)


def mark_failed(session: Session, outbox_id: int, now: datetime, error: str, *, claimant: str) -> bool:
    return _finish(session, outbox_id, now, "failed", error, claimant=claimant)


def hand_over(
    session: Session, outbox_id: int, now: datetime, *, claimant: str, raw: bytes | None = None
) -> bool:
    """Note that the mail is about to be completed at the server; False if our lease was taken over,
    and the mail must then not be completed by us. `raw`: the bytes the sender rendered from what was
    decided, kept as the row's record of what was sent (in the same UPDATE)."""
    result = session.execute(
        update(OutboxRow)
        .where(OutboxRow.id == outbox_id, OutboxRow.status == "inflight", OutboxRow.claimed_by == claimant)
        .values(handed_over_at=now, **({"raw": raw} if raw is not None else {}))
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def settle_handed_over(session: Session, now: datetime) -> list[int]:
    """Rows whose sender died between handing the mail over and recording the server's answer: the
    server almost always accepted it, so they count as sent (with a note), never as due again."""
    rows = session.execute(
        select(OutboxRow.id, OutboxRow.claimed_by).where(
            OutboxRow.status == "inflight",
            OutboxRow.handed_over_at.is_not(None),
            or_(OutboxRow.claimed_until.is_(None), OutboxRow.claimed_until <= now),
        )
    ).all()
    note = "arbetaren avbröts medan servern tog emot brevet; räknas som skickat"
    return [row.id for row in rows if _finish(session, row.id, now, "sent", note, claimant=row.claimed_by)]


def release(session: Session, outbox_ids: Collection[int], now: datetime, *, claimant: str) -> None:
    """Hand back leased rows that were never tried: due again at once, the attempt not counted."""
    session.execute(
        update(OutboxRow)
        .where(OutboxRow.id.in_(outbox_ids), OutboxRow.status == "inflight", OutboxRow.claimed_by == claimant)
        .values(
            status="queued",
            attempts=OutboxRow.attempts - 1,
            claimed_until=None,
            claimed_by=None,
            next_attempt_at=now,
            updated_at=now,
        )
    )


def recipients_of(session: Session, event: str, message_ids: list[str]) -> list[str]:
    """Recipients of our own mails with these Message-IDs: a bounce that returns one names them for certain."""
    if not message_ids:
        return []
    rows = session.execute(
        select(OutboxRow.recipient).where(OutboxRow.event == event, OutboxRow.message_id.in_(message_ids))
    ).scalars()
    return sorted({r.lower() for r in rows})


def claimants(session: Session) -> set[str]:
    """Who holds a lease now."""
    rows = session.execute(select(OutboxRow.claimed_by).where(OutboxRow.status == "inflight").distinct())
    return {claimant for claimant in rows.scalars() if claimant is not None}


def end_leases(session: Session, of: Collection[str], now: datetime) -> int:
    """End the leases of claimants known to be dead, so their rows are due now rather than when the
    lease would have run out."""
    result = session.execute(
        update(OutboxRow)
        .where(OutboxRow.status == "inflight", OutboxRow.claimed_by.in_(of))
        .values(claimed_until=now)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
