"""Table definitions. Registrations are stored flat so an organiser's SQL reads naturally."""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import DateTime, ForeignKey, Integer, LargeBinary, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

from store.clean import CleanJSON, CleanString, CleanText


class UTCDateTime(TypeDecorator):
    """Aware datetimes in, aware UTC datetimes out, on SQLite (which forgets the offset) as on PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime stored; pass an aware one")
        from datetime import UTC

        return value.astimezone(UTC)

    def process_result_value(self, value, dialect):
        from datetime import UTC

        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict] = {
        datetime: UTCDateTime,
        dict[str, Any]: CleanJSON,
        list[Any]: CleanJSON,
    }


class EventRow(Base):
    """One row per event: the lock that serialises seat decisions, and what the digest last saw."""

    __tablename__ = "events"
    slug: Mapped[str] = mapped_column(CleanString(64), primary_key=True)
    meetings_snapshot: Mapped[list[Any] | None] = mapped_column(CleanJSON, default=None)
    last_digest_at: Mapped[datetime | None] = mapped_column(default=None)
    digest_day: Mapped[str | None] = mapped_column(CleanString(10), default=None)  # last local day considered
    version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")  # bumped by every write


class InboxMessage(Base):
    """Every message as it came, stored before anything else is done with it."""

    __tablename__ = "inbox"
    __table_args__ = (UniqueConstraint("mailbox", "uidvalidity", "uid", name="uq_inbox_position"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    mailbox: Mapped[str] = mapped_column(CleanString(255))
    uidvalidity: Mapped[int] = mapped_column(Integer)
    uid: Mapped[str] = mapped_column(CleanString(255))
    message_id: Mapped[str | None] = mapped_column(CleanString(998), index=True)
    received_at: Mapped[datetime]
    stored_at: Mapped[datetime]
    raw: Mapped[bytes | None] = mapped_column(LargeBinary)  # None once retention has forgotten it
    size: Mapped[int] = mapped_column(Integer, default=0)
    # The event it is about: set when it is routed (rules.routing), before it is parsed; None until then,
    # and for a message no event could be told for (status `unrouted`, waiting for an organiser).
    event: Mapped[str | None] = mapped_column(CleanString(64), index=True, default=None)
    # new -> processed | ignored | poison | unrouted; duplicate when the same Message-ID was already seen
    status: Mapped[str] = mapped_column(CleanString(16), default="new", index=True)
    # failed tries; the second sets the message aside as poison so it never blocks the ones after it
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    reason: Mapped[str | None] = mapped_column(CleanText)
    intent: Mapped[str | None] = mapped_column(CleanString(16))
    sender: Mapped[str | None] = mapped_column(CleanString(320))
    subject: Mapped[str | None] = mapped_column(CleanText)
    parsed: Mapped[dict[str, Any] | None] = mapped_column(CleanJSON)
    processed_at: Mapped[datetime | None]


class MailboxCursor(Base):
    """How far a mailbox folder has been read: our cursor, so nothing on the server needs to change."""

    __tablename__ = "mailbox_cursors"
    mailbox: Mapped[str] = mapped_column(CleanString(255), primary_key=True)
    uidvalidity: Mapped[int] = mapped_column(Integer)
    last_uid: Mapped[int] = mapped_column(Integer, default=0)


class RegistrationRow(Base):
    __tablename__ = "registrations"
    __table_args__ = (UniqueConstraint("event", "ref", name="uq_registration_ref"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event: Mapped[str] = mapped_column(CleanString(64), ForeignKey("events.slug"), index=True)
    ref: Mapped[str] = mapped_column(CleanString(16))
    name: Mapped[str | None] = mapped_column(CleanString(255))
    email: Mapped[str | None] = mapped_column(CleanString(320), index=True)
    org_kind: Mapped[str | None] = mapped_column(CleanString(32))
    org_code: Mapped[str | None] = mapped_column(CleanString(16))
    org_name: Mapped[str | None] = mapped_column(CleanString(255))
    role: Mapped[str | None] = mapped_column(CleanString(16))
    diet: Mapped[list[Any] | None] = mapped_column(CleanJSON)
    status: Mapped[str] = mapped_column(CleanString(24))
    registered_by: Mapped[str | None] = mapped_column(CleanString(320))
    language: Mapped[str] = mapped_column(CleanString(2), default="sv")
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    replaces: Mapped[str | None] = mapped_column(CleanString(16))
    source_message_id: Mapped[str | None] = mapped_column(CleanString(998))
    requested: Mapped[list[Any] | None] = mapped_column(CleanJSON)  # meetings asked for while pending
    pending_question: Mapped[str | None] = mapped_column(CleanString(32))
    seats: Mapped[list[SeatRow]] = relationship(
        back_populates="registration", cascade="all, delete-orphan", order_by="SeatRow.meeting"
    )


class SeatRow(Base):
    __tablename__ = "seats"
    __table_args__ = (UniqueConstraint("registration_id", "meeting", name="uq_seat"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("registrations.id", ondelete="CASCADE"))
    meeting: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(CleanString(16))
    since: Mapped[datetime]
    registration: Mapped[RegistrationRow] = relationship(back_populates="seats")


class AuditRow(Base):
    """Which named rule did what, when, to which registration. References only, never message bodies."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event: Mapped[str] = mapped_column(CleanString(64), index=True)
    at: Mapped[datetime] = mapped_column(index=True)
    inbox_id: Mapped[int | None] = mapped_column(Integer)
    rule: Mapped[str] = mapped_column(CleanString(64))
    registration_ref: Mapped[str | None] = mapped_column(CleanString(16))
    detail: Mapped[str] = mapped_column(CleanText, default="")


class ReviewRow(Base):
    """Something an organiser must decide or answer; numbered by id in the digest."""

    __tablename__ = "reviews"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event: Mapped[str] = mapped_column(CleanString(64), index=True)
    created_at: Mapped[datetime]
    inbox_id: Mapped[int | None] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(CleanString(24))
    registration_ref: Mapped[str | None] = mapped_column(CleanString(16))
    summary: Mapped[str] = mapped_column(CleanText)
    quote: Mapped[str] = mapped_column(CleanText, default="")
    sender: Mapped[str | None] = mapped_column(CleanString(320))
    language: Mapped[str] = mapped_column(CleanString(2), default="sv")
    status: Mapped[str] = mapped_column(CleanString(16), default="open")  # open | done
    resolved_at: Mapped[datetime | None]


class FailingAddress(Base):
    __tablename__ = "failing_addresses"
    email: Mapped[str] = mapped_column(CleanString(320), primary_key=True)
    reason: Mapped[str] = mapped_column(CleanText, default="")
    at: Mapped[datetime]


class OutboxRow(Base):
    """A rendered mail waiting to be delivered (transactional outbox, statuses as in pretix)."""

    __tablename__ = "outbox"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event: Mapped[str] = mapped_column(CleanString(64), index=True)
    created_at: Mapped[datetime] = mapped_column(index=True)
    key: Mapped[str | None] = mapped_column(CleanString(255), unique=True)
    template: Mapped[str] = mapped_column(CleanString(64))
    recipient: Mapped[str] = mapped_column(CleanString(320), index=True)
    subject: Mapped[str] = mapped_column(CleanText)
    message_id: Mapped[str] = mapped_column(CleanString(998), unique=True)
    registration_ref: Mapped[str | None] = mapped_column(CleanString(16))
    inbox_id: Mapped[int | None] = mapped_column(Integer)
    # The thread of the message this answers (rules.model.Conversation), for the per-thread answer limit.
    thread: Mapped[str | None] = mapped_column(CleanString(998), index=True)
    raw: Mapped[bytes | None] = mapped_column(LargeBinary)
    # What was decided, to be rendered by the sender outside the event lock (the mail as decided and the
    # instant it was decided: {"mail": OutgoingMail, "sent_at": ISO}); raw is written when it is handed over.
    # SQL NULL when absent (not JSON null), so "IS NULL" finds the rows without one.
    decided: Mapped[dict[str, Any] | None] = mapped_column(CleanJSON(none_as_null=True), default=None)
    # queued -> inflight -> sent | awaiting_retry | failed
    status: Mapped[str] = mapped_column(CleanString(16), default="queued", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(CleanText)
    updated_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]
    # The retry schedule lives here, not in the broker: a row is due from this instant on.
    next_attempt_at: Mapped[datetime | None] = mapped_column(index=True)
    # The lease of the worker sending it (about one SMTP attempt); once over, another may take it.
    claimed_until: Mapped[datetime | None]
    claimed_by: Mapped[str | None] = mapped_column(CleanString(64))  # host:pid:start of the claimant
    # Set just before the last line of DATA goes to the server: after a crash, a row with it set was
    # most likely accepted, and is not sent again (docs/operations.md, "the window that remains").
    handed_over_at: Mapped[datetime | None]


class ClockOrigin(Base):
    """With ANMALAN_NOW: the one instant every process's clock is shifted from (a single row)."""

    __tablename__ = "clock_origin"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    real_start: Mapped[datetime]
    shifted_start: Mapped[datetime]
