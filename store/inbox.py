"""Raw messages in, before anything else: positions, Message-IDs and the mailbox cursors."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from email.parser import BytesHeaderParser
from email.policy import compat32
from typing import Any, Protocol, TypeVar

from sqlalchemy import Select, select, update
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


def unprocessed_ids(session: Session, *, older_than: datetime | None = None) -> list[int]:
    query = select(InboxMessage.id).where(InboxMessage.status == "new").order_by(InboxMessage.id)
    if older_than is not None:
        query = query.where(InboxMessage.stored_at < older_than)
    return list(session.execute(query).scalars())


def claim_waiting(
    session: Session, *, limit: int, budget: int, skip: Collection[int] = ()
) -> list[InboxMessage]:
    """Rows still `new`, oldest arrival first, locked for this transaction, their raw bytes not loaded:
    up to `limit` rows and `budget` bytes (at least one row). Rows another run holds are waited for,
    never skipped: a later message must not be decided while an earlier one is still being decided."""
    query = _waiting(select(InboxMessage), limit, skip).options(defer(InboxMessage.raw)).with_for_update()
    # Rows beyond the budget stay locked until commit, and are decided by the next batch: no harm.
    return _within(budget, list(session.execute(query).scalars()))


def waiting_ids(session: Session, *, limit: int, budget: int, skip: Collection[int] = ()) -> list[int]:
    """The ids claim_waiting would take now, without locking them: to read them ahead of the lock."""
    rows: list[Any] = list(session.execute(_waiting(select(InboxMessage.id, InboxMessage.size), limit, skip)))
    return [row.id for row in _within(budget, rows)]


def _waiting(query: _Q, limit: int, skip: Collection[int]) -> _Q:
    query = query.where(InboxMessage.status == "new").order_by(InboxMessage.received_at, InboxMessage.id)
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
