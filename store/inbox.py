"""Raw messages in, before anything else: positions, Message-IDs and the mailbox cursors."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from email.parser import BytesHeaderParser
from email.policy import compat32
from typing import Any, Protocol, TypeVar

from sqlalchemy import Select, func, or_, select, update
from sqlalchemy.orm import Session, defer

from store.tables import InboxMessage, MailboxCursor

_headers = BytesHeaderParser(policy=compat32)


class _Sized(Protocol):
    @property
    def size(self) -> int | None: ...


_R = TypeVar("_R", bound=_Sized)
_Q = TypeVar("_Q", bound=Select)


def message_id_of(raw: bytes) -> str | None:
    """The Message-ID without angle brackets, or None; never raises on a broken header block."""
    try:
        value = _headers.parsebytes(raw[:65536]).get("Message-ID")
    except Exception:
        return None
    if not value:
        return None
    value = str(value).strip().strip("<>").strip()
    return value[:998] or None


def store_raw(
    session: Session,
    *,
    mailbox: str,
    uidvalidity: int,
    uid: str,
    raw: bytes,
    received_at: datetime,
    now: datetime,
) -> InboxMessage | None:
    """Store one message; None when this position was stored before.

    A message whose Message-ID we already hold (seen again after UIDVALIDITY changed, or delivered
    twice) is kept too, as `duplicate`, so nothing is lost and nothing is processed twice.
    """
    exists = session.execute(
        select(InboxMessage.id).where(
            InboxMessage.mailbox == mailbox, InboxMessage.uidvalidity == uidvalidity, InboxMessage.uid == uid
        )
    ).first()
    if exists:
        return None
    message_id = message_id_of(raw)
    duplicate = (
        message_id is not None
        and session.execute(select(InboxMessage.id).where(InboxMessage.message_id == message_id)).first()
        is not None
    )
    row = InboxMessage(
        mailbox=mailbox,
        uidvalidity=uidvalidity,
        uid=uid,
        message_id=message_id,
        received_at=received_at,
        stored_at=now,
        raw=raw,
        size=len(raw),
        status="duplicate" if duplicate else "new",
        reason="samma Message-ID har redan tagits emot" if duplicate else None,
    )
    session.add(row)
    session.flush()
    return row


def cursor(session: Session, mailbox: str) -> MailboxCursor | None:
    return session.get(MailboxCursor, mailbox)


def advance_cursor(session: Session, mailbox: str, uidvalidity: int, last_uid: int) -> None:
    row = session.get(MailboxCursor, mailbox)
    if row is None:
        session.add(MailboxCursor(mailbox=mailbox, uidvalidity=uidvalidity, last_uid=last_uid))
    elif row.uidvalidity != uidvalidity:
        row.uidvalidity, row.last_uid = uidvalidity, last_uid
    else:
        row.last_uid = max(row.last_uid, last_uid)


def known_uids(session: Session, mailbox: str, uidvalidity: int) -> set[str]:
    return set(
        session.execute(
            select(InboxMessage.uid).where(
                InboxMessage.mailbox == mailbox, InboxMessage.uidvalidity == uidvalidity
            )
        ).scalars()
    )


def unprocessed_ids(
    session: Session, *, older_than: datetime | None = None, events: Collection[str] | None = None
) -> list[int]:
    """Rows still `new`; with `events`, those routed to one of them or not routed yet (a row routed to an
    event no longer configured waits, stored, until its file is back)."""
    query = select(InboxMessage.id).where(InboxMessage.status == "new").order_by(InboxMessage.id)
    if older_than is not None:
        query = query.where(InboxMessage.stored_at < older_than)
    if events is not None:
        query = query.where(or_(InboxMessage.event.is_(None), InboxMessage.event.in_(list(events))))
    return list(session.execute(query).scalars())


def waiting_by_event(session: Session, up_to: int, events: Collection[str]) -> dict[str, int]:
    """For each event with routed rows still `new` up to this id: its last such row."""
    query = (
        select(InboxMessage.event, func.max(InboxMessage.id))
        .where(InboxMessage.status == "new", InboxMessage.id <= up_to, InboxMessage.event.in_(list(events)))
        .group_by(InboxMessage.event)
    )
    return {event: last for event, last in session.execute(query).all() if event is not None}


def event_of(session: Session, inbox_id: int) -> str | None:
    return session.scalar(select(InboxMessage.event).where(InboxMessage.id == inbox_id))


def unrouted(session: Session, *, limit: int) -> list[tuple[int, str]]:
    """(id, mailbox) of rows not routed yet, oldest first, locked: two workers never route one row twice."""
    query = (
        select(InboxMessage.id, InboxMessage.mailbox)
        .where(InboxMessage.status == "new", InboxMessage.event.is_(None))
        .order_by(InboxMessage.id)
        .limit(limit)
        .with_for_update()
    )
    return [(row_id, mailbox) for row_id, mailbox in session.execute(query).all()]


def route_all_to(session: Session, event: str) -> int:
    """With one event there is nothing to tell apart: every row not routed yet is its."""
    result = session.execute(
        update(InboxMessage)
        .where(InboxMessage.status == "new", InboxMessage.event.is_(None))
        .values(event=event)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def claim_waiting(
    session: Session, *, event: str, limit: int, budget: int, skip: Collection[int] = ()
) -> list[InboxMessage]:
    """Rows still `new`, oldest arrival first, locked for this transaction, their raw bytes not loaded:
    up to `limit` rows and `budget` bytes (at least one row). Rows another run holds are waited for,
    never skipped: a later message must not be decided while an earlier one is still being decided."""
    query = (
        _waiting(select(InboxMessage), event, limit, skip).options(defer(InboxMessage.raw)).with_for_update()
    )
    # Rows beyond the budget stay locked until commit, and are decided by the next batch: no harm.
    return _within(budget, list(session.execute(query).scalars()))


def waiting_ids(
    session: Session, *, event: str, limit: int, budget: int, skip: Collection[int] = ()
) -> list[int]:
    """The ids claim_waiting would take now, without locking them: to read them ahead of the lock."""
    query = _waiting(select(InboxMessage.id, InboxMessage.size), event, limit, skip)
    rows: list[Any] = list(session.execute(query))
    return [row.id for row in _within(budget, rows)]


def _waiting(query: _Q, event: str, limit: int, skip: Collection[int]) -> _Q:
    """An event's rows still `new`, in arrival order: decisions about one event are taken in that order."""
    query = query.where(InboxMessage.status == "new", InboxMessage.event == event)
    query = query.order_by(InboxMessage.received_at, InboxMessage.id)
    query = query.limit(limit)
    return query.where(InboxMessage.id.not_in(list(skip))) if skip else query


def _within(budget: int, rows: list[_R]) -> list[_R]:
    """The first rows whose sizes add up to at most `budget` (at least one)."""
    kept: list[_R] = []
    total = 0
    for row in rows:
        if kept and total + (row.size or 0) > budget:
            break
        kept.append(row)
        total += row.size or 0
    return kept


def is_new(session: Session, inbox_id: int) -> bool:
    return session.scalar(select(InboxMessage.status).where(InboxMessage.id == inbox_id)) == "new"


def raws_of(session: Session, inbox_ids: list[int]) -> dict[int, bytes]:
    """The raw bytes of these rows, by id, read in one query and not kept in the session."""
    query = select(InboxMessage.id, InboxMessage.raw).where(InboxMessage.id.in_(inbox_ids))
    return {row_id: raw or b"" for row_id, raw in session.execute(query)}


def mark(session: Session, inbox_id: int, status: str, reason: str | None, now: datetime) -> None:
    session.execute(
        update(InboxMessage)
        .where(InboxMessage.id == inbox_id)
        .values(status=status, reason=reason, processed_at=now)
    )
