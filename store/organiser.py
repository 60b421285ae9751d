"""What the organiser side reads from the store: open reviews, changes, failing addresses, our digests."""

from __future__ import annotations

from datetime import datetime
from typing import cast

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from parsers.models import Language
from rules.audit import CHANGE_KINDS, AuditRule
from rules.decision import ReviewKind
from rules.digest import ChangeRecord, FailingAddress, OpenReview
from store.tables import AuditRow, InboxMessage, OutboxRow, RegistrationRow, ReviewRow
from store.tables import FailingAddress as FailingRow


def open_reviews(session: Session, event: str) -> dict[int, OpenReview]:
    rows = session.execute(
        select(ReviewRow, InboxMessage.message_id)
        .outerjoin(InboxMessage, InboxMessage.id == ReviewRow.inbox_id)
        .where(ReviewRow.event == event, ReviewRow.status == "open")
        .order_by(ReviewRow.id)
    ).all()
    return {
        row.id: OpenReview(
            number=row.id,
            kind=cast(ReviewKind, row.kind),  # the column holds what ReviewItem.kind allowed
            ref=row.registration_ref,
            summary=row.summary,
            quote=row.quote,
            created_at=row.created_at,
            sender=row.sender,
            language=cast(Language, row.language),
            message_id=message_id,
        )
        for row, message_id in rows
    }


def close_reviews(session: Session, numbers: list[int], now: datetime) -> None:
    if numbers:
        session.execute(
            update(ReviewRow).where(ReviewRow.id.in_(numbers)).values(status="done", resolved_at=now)
        )


def changes_since(session: Session, event: str, since: datetime | None) -> list[ChangeRecord]:
    query = select(AuditRow).where(AuditRow.event == event, AuditRow.rule.in_(CHANGE_KINDS))
    if since is not None:
        query = query.where(AuditRow.at > since)
    return [
        ChangeRecord(
            at=row.at,
            kind=CHANGE_KINDS[cast(AuditRule, row.rule)],
            ref=row.registration_ref or "",
            summary=row.detail,
        )
        for row in session.execute(query.order_by(AuditRow.id)).scalars()
        if row.registration_ref
    ]


def failing_addresses(session: Session) -> list[FailingAddress]:
    return [
        FailingAddress(email=row.email, reason=row.reason, at=row.at)
        for row in session.execute(select(FailingRow).order_by(FailingRow.at)).scalars()
    ]


def addresses_of(session: Session, event: str) -> set[str]:
    """Every address an event registered or wrote to: whose failing mail its organisers need to hear of."""
    registered = select(RegistrationRow.email).where(RegistrationRow.event == event)
    by = select(RegistrationRow.registered_by).where(RegistrationRow.event == event)
    written = select(OutboxRow.recipient).where(OutboxRow.event == event)
    found = set(session.execute(registered.union(by, written)).scalars())
    return {a.lower() for a in found if a}


def answers_a_digest(session: Session, event: str, message_ids: list[str]) -> bool:
    """Whether In-Reply-To/References name a digest we sent (a lookup by the unique Message-ID)."""
    return bool(digests_answered(session, event, message_ids))


def digests_answered(session: Session, event: str, message_ids: list[str]) -> list[tuple[str, datetime]]:
    """(recipient, sent at) of each digest that In-Reply-To/References name."""
    if not message_ids:
        return []
    rows = session.execute(
        select(OutboxRow.recipient, OutboxRow.created_at).where(
            OutboxRow.event == event, OutboxRow.template == "digest", OutboxRow.message_id.in_(message_ids)
        )
    ).all()
    return [(recipient, created_at) for recipient, created_at in rows]
