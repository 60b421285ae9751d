"""Registrations between the database and the rules: load a State, write a Decision."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from parsers.models import Organisation
from rules.decision import Decision, OutgoingMail
from rules.model import Registration, Seat, State
from store import statecache
from store.tables import AuditRow, FailingAddress, OutboxRow, RegistrationRow, ReviewRow, SeatRow


@dataclass(frozen=True)
class RenderedMail:
    """An OutgoingMail after rendering: what the outbox row holds. Either the bytes to send, or (`raw`
    None) what was decided, for the sender to render outside the event lock (worker.render.outgoing)."""

    mail: OutgoingMail
    message_id: str
    subject: str
    raw: bytes | None
    decided: dict[str, Any] | None = None


def registrations(session: Session, event: str) -> list[Registration]:
    """All of an event's registrations in arrival order.

    Two plain queries and unvalidated construction: this runs once per decision, over every
    registration of the event, and the rows were validated when they were written.
    """
    reg_table, seat_table = RegistrationRow.__table__, SeatRow.__table__
    rows = session.execute(
        select(reg_table).where(reg_table.c.event == event).order_by(reg_table.c.created_at, reg_table.c.id)
    ).all()
    seats: dict[int, dict[int, Seat]] = {}
    for reg_id, meeting, status, since in session.execute(
        select(seat_table.c.registration_id, seat_table.c.meeting, seat_table.c.status, seat_table.c.since)
        .join(reg_table, reg_table.c.id == seat_table.c.registration_id)
        .where(reg_table.c.event == event)
        .order_by(seat_table.c.meeting)
    ):
        seats.setdefault(reg_id, {})[meeting] = Seat.model_construct(status=status, since=since)
    return [
        Registration.model_construct(
            ref=row.ref,
            name=row.name,
            email=row.email,
            organisation=Organisation.model_construct(kind=row.org_kind, code=row.org_code, name=row.org_name)
            if row.org_kind and row.org_name
            else None,
            role=row.role,
            diet=row.diet,
            status=row.status,
            registered_by=row.registered_by,
            language=row.language,
            created_at=row.created_at,
            seats=seats.get(row.id, {}),
            replaces=row.replaces,
            source_message_id=row.source_message_id,
            requested=row.requested or [],
            pending_question=row.pending_question,
        )
        for row in rows
    ]


@dataclass
class DayCounts:
    """The day's answers per recipient and unknown references per sender, from local midnight: a batch of
    decisions reads them once and adds what each decision wrote (`add`), instead of querying per message."""

    day_start: datetime
    answers: dict[str, int]
    misses: dict[str, int]
    # Automatic answers in the hour before the batch's first conversation read it (store.conversation),
    # plus those the batch wrote since. The window's start is that first read's: a batch lasts seconds,
    # so the count can only be a few answers high, which holds back sooner, never later.
    last_hour: int | None = None

    def add(self, recipients: Iterable[str], misses: Iterable[str], automatic: int = 0) -> None:
        for recipient in recipients:
            self.answers[recipient] = self.answers.get(recipient, 0) + 1
        for detail in misses:
            self.misses[detail] = self.misses.get(detail, 0) + 1
        if self.last_hour is not None:
            self.last_hour += automatic


def day_counts(session: Session, event: str, day_start: datetime) -> DayCounts:
    today = dict(
        session.execute(
            select(OutboxRow.recipient, func.count())
            .where(OutboxRow.event == event, OutboxRow.created_at >= day_start)
            .group_by(OutboxRow.recipient)
        ).all()
    )
    misses = dict(
        session.execute(
            select(AuditRow.detail, func.count())
            .where(AuditRow.event == event, AuditRow.rule == "ref_miss", AuditRow.at >= day_start)
            .group_by(AuditRow.detail)
        ).all()
    )
    return DayCounts(day_start, today, misses)


def load_state(
    session: Session, event: str, *, day_start: datetime, counts: DayCounts | None = None
) -> State:
    """Everything decide() may know. `day_start` is local midnight, for the per-sender daily count;
    `counts`, the day's counts as a batch carries them (read here when not given, or of another day).

    Call it under the event lock (store.db.lock_event): the version it checks is then the latest."""
    memory = statecache.recall(session, event)
    if memory is None:
        mails = session.execute(
            select(OutboxRow.message_id, OutboxRow.registration_ref, OutboxRow.recipient).where(
                OutboxRow.event == event
            )
        ).all()
        memory = statecache.Memory(
            statecache.version(session, event) or 0,
            registrations(session, event),
            {m.message_id: m.registration_ref for m in mails},
            {m.message_id: m.recipient for m in mails},
        )
        statecache.remember(session, event, memory)
    if counts is None or counts.day_start != day_start:
        counts = day_counts(session, event, day_start)
    return State.model_construct(
        registrations=list(memory.registrations),
        sent_message_ids=dict(memory.sent),
        sent_to=dict(memory.sent_to),
        answers_today=dict(counts.answers),
        ref_misses_today=dict(counts.misses),
    )


def _write_registration(
    session: Session, event: str, reg: Registration, now: datetime, *, new: bool = False
) -> None:
    """`new`: the caller knows no row has this ref (the state read under the event lock lacks it)."""
    row = (
        None
        if new
        else session.execute(
            select(RegistrationRow)
            .where(RegistrationRow.event == event, RegistrationRow.ref == reg.ref)
            .options(selectinload(RegistrationRow.seats))
        ).scalar_one_or_none()
    )
    if row is None:
        row = RegistrationRow(event=event, ref=reg.ref, created_at=reg.created_at)
        session.add(row)
    org = reg.organisation
    row.name, row.email, row.role, row.diet = reg.name, reg.email, reg.role, reg.diet
    row.org_kind, row.org_code, row.org_name = (org.kind, org.code, org.name) if org else (None, None, None)
    row.status, row.registered_by, row.language = reg.status, reg.registered_by, reg.language
    row.replaces, row.source_message_id, row.updated_at = reg.replaces, reg.source_message_id, now
    row.requested, row.pending_question = list(reg.requested), reg.pending_question
    seats = {s.meeting: s for s in row.seats}
    for meeting, seat in reg.seats.items():
        if meeting in seats:
            seats[meeting].status, seats[meeting].since = seat.status, seat.since
        else:
            row.seats.append(SeatRow(meeting=meeting, status=seat.status, since=seat.since))
    for meeting, seat_row in seats.items():
        if meeting not in reg.seats:
            row.seats.remove(seat_row)


def apply_decision(
    session: Session,
    event: str,
    decision: Decision,
    rendered: Iterable[RenderedMail],
    *,
    now: datetime,
    inbox_id: int | None = None,
    written_to: list[str] | None = None,
    written_templates: list[str] | None = None,
    known: Collection[str] | None = None,
) -> list[int]:
    """Write a whole decision in the caller's transaction; returns the new outbox row ids to deliver
    (and adds their recipients, as stored, to `written_to`, and their templates to `written_templates`). `known`: every ref the event has, when the
    caller holds them under the event lock; a registration not among them is inserted without a lookup.

    A mail whose idempotency key is already in the outbox is skipped: a scheduled job that runs
    twice sends once.
    """
    for reg in decision.registrations:
        _write_registration(session, event, reg, now, new=known is not None and reg.ref not in known)
    # Decision items carry exactly the columns of their rows, plus where and when they happened.
    where = {"event": event, "inbox_id": inbox_id}
    session.add_all(AuditRow(at=now, **where, **entry.model_dump()) for entry in decision.audit)
    session.add_all(ReviewRow(created_at=now, **where, **item.model_dump()) for item in decision.reviews)
    for address in decision.failing_addresses:
        found = session.get(FailingAddress, address.lower())
        if found is None:
            session.add(FailingAddress(email=address.lower(), reason="studsade", at=now))
        else:
            found.at = now
    outbox_ids = []
    sent: dict[str, str | None] = {}
    sent_to: dict[str, str] = {}
    for item in rendered:
        if (
            item.mail.key
            and session.execute(select(OutboxRow.id).where(OutboxRow.key == item.mail.key)).first()
        ):
            continue
        row = OutboxRow(
            event=event,
            created_at=now,
            updated_at=now,
            next_attempt_at=now,
            key=item.mail.key,
            template=item.mail.template,
            recipient=item.mail.to.lower(),
            subject=item.subject,
            message_id=item.message_id,
            registration_ref=item.mail.registration_ref,
            inbox_id=inbox_id,
            thread=item.mail.thread,
            raw=item.raw,
            decided=item.decided,
        )
        session.add(row)
        session.flush()
        outbox_ids.append(row.id)
        sent[row.message_id] = row.registration_ref
        sent_to[row.message_id] = row.recipient
        if written_to is not None:
            written_to.append(row.recipient)
        if written_templates is not None:
            written_templates.append(row.template)
    session.flush()
    statecache.bump(session, event, decision.registrations, sent, sent_to)
    return outbox_ids


def local_midnight(now: datetime, tz) -> datetime:
    local = now.astimezone(tz)
    return local.replace(hour=0, minute=0, second=0, microsecond=0)
