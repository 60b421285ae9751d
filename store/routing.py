"""What the store knows that tells a message's event: whose references it names, whose mail it answers."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.orm import Session

from store.tables import OutboxRow, RegistrationRow


def events_with_refs(session: Session, refs: Collection[str], among: Collection[str]) -> set[str]:
    """The events (of `among`) that hold a registration with one of these references."""
    if not refs:
        return set()
    query = select(RegistrationRow.event).where(
        RegistrationRow.ref.in_(list(refs)), RegistrationRow.event.in_(list(among))
    )
    return set(session.execute(query.distinct()).scalars())


def events_of_sent(session: Session, message_ids: Collection[str], among: Collection[str]) -> set[str]:
    """The events (of `among`) that sent a mail with one of these Message-IDs (a reply's In-Reply-To and
    References, a bounce's returned copy)."""
    if not message_ids:
        return set()
    query = select(OutboxRow.event).where(
        OutboxRow.message_id.in_(list(message_ids)), OutboxRow.event.in_(list(among))
    )
    return set(session.execute(query.distinct()).scalars())
