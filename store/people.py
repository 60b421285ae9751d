"""One person's data: everything we hold about an address, to export it or to forget it (GDPR art. 15, 17)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import Session

from rules.model import Registration
from store import redact, statecache
from store.db import changed_rows
from store.registrations import registrations
from store.scheduled import forget_registrations
from store.tables import AuditRow, FailingAddress, InboxMessage, OutboxRow, RegistrationRow, ReviewRow


def registrations_of(session: Session, event: str, address: str) -> list[Registration]:
    """The person's own registrations (not the colleagues they signed up: those are other people's data)."""
    address = address.strip().lower()
    return [r for r in registrations(session, event) if (r.email or "").lower() == address]


def _refs(session: Session, event: str, address: str) -> list[str]:
    return [r.ref for r in registrations_of(session, event, address)]


def export_person(session: Session, event: str, address: str) -> dict[str, Any]:
    address = address.strip().lower()
    everyone = registrations(session, event)
    regs = [r for r in everyone if (r.email or "").lower() == address]
    signed_up = [r.ref for r in everyone if (r.registered_by or "").lower() == address and r not in regs]
    messages = session.execute(
        select(InboxMessage).where(InboxMessage.sender == address).order_by(InboxMessage.id)
    ).scalars()
    sent = session.execute(
        select(OutboxRow)
        .where(OutboxRow.event == event, OutboxRow.recipient == address)
        .order_by(OutboxRow.id)
    ).scalars()
    reviews = session.execute(
        select(ReviewRow).where(ReviewRow.event == event, ReviewRow.sender == address).order_by(ReviewRow.id)
    ).scalars()
    failing = session.get(FailingAddress, address)
    return {
        "address": address,
        "registrations": [r.model_dump(mode="json") for r in regs],
        "signed_up_others": signed_up,  # references only: the rest is the other people's data
        "messages_received": [
            {
                "received_at": m.received_at.isoformat(),
                "subject": m.subject,
                "intent": m.intent,
                "read": m.parsed,
            }
            for m in messages
        ],
        "mails_sent": [
            {"at": o.created_at.isoformat(), "template": o.template, "subject": o.subject, "status": o.status}
            for o in sent
        ],
        "questions": [
            {"at": r.created_at.isoformat(), "summary": r.summary, "quote": r.quote} for r in reviews
        ],
        "failing_address": {"reason": failing.reason, "at": failing.at.isoformat()} if failing else None,
    }


def forget_person(session: Session, event: str, address: str, now: datetime) -> dict[str, int]:
    """Remove an address's registrations and every stored mail from, to or about it; positions and
    references stay, so the mailbox is not read again and the audit log still adds up."""
    address = address.strip().lower()
    refs = _refs(session, event, address)
    wanted = person_needles(session, event, address)
    mails = session.scalar(
        select(func.count())
        .select_from(OutboxRow)
        .where(
            OutboxRow.event == event,
            or_(OutboxRow.recipient == address, OutboxRow.registration_ref.in_(refs)),
        )
    )
    forgotten = forget_registrations(session, event, refs, now)
    # Colleagues this address signed up stay registered; only the address is removed from their records.
    session.execute(
        update(RegistrationRow)
        .where(RegistrationRow.event == event, func.lower(RegistrationRow.registered_by) == address)
        .values(registered_by=None)
    )
    statecache.bump(session, event, forgotten=True)
    inbox = changed_rows(
        session,
        update(InboxMessage)
        .where(InboxMessage.sender == address)
        .values(raw=None, sender=None, subject=None, parsed=None),
    )
    session.execute(
        update(OutboxRow)
        .where(OutboxRow.event == event, OutboxRow.recipient == address)
        .values(raw=None, recipient="", subject="")
    )
    session.execute(
        update(ReviewRow)
        .where(ReviewRow.event == event, ReviewRow.sender == address)
        .values(sender=None, quote="", status="done", resolved_at=now)
    )
    session.execute(delete(FailingAddress).where(FailingAddress.email == address))
    named = _blot_out(session, event, wanted)
    return {"registrations": forgotten, "messages": (inbox or 0) + named, "mails": mails or 0}


def person_needles(session: Session, event: str, address: str) -> list[str]:
    """What names the person in stored text: the address, and the names their registrations and their
    own messages gave them (see redact.needles)."""
    address = address.strip().lower()
    held: list[str | None] = [r.name for r in registrations_of(session, event, address)]
    for record in session.execute(
        select(InboxMessage.parsed).where(InboxMessage.sender == address)
    ).scalars():
        held += [p.get("name") for p in (record or {}).get("people", []) if p.get("email") == address]
    return redact.needles(address, held)


def _blot_out(session: Session, event: str, wanted: list[str]) -> int:
    """Every other stored trace that names the person: messages that mention them (also duplicates, which
    have no sender), parsed records, review items, audit details and sent mail with its attachments (the
    digests). Returns how many received messages were dropped."""
    dropped = 0
    for row_id in session.execute(select(InboxMessage.id)).scalars().all():
        # One row at a time: a mailbox of large messages must not be in memory at once.
        row = session.get(InboxMessage, row_id)
        assert row is not None
        if redact.mail_names(row.raw, wanted):
            row.raw, dropped = None, dropped + 1
        if redact.names(row.subject, wanted) or redact.names(row.reason, wanted):
            row.subject = redact.scrub(row.subject or "", wanted)
            row.reason = redact.scrub(row.reason, wanted) if row.reason else None
        if row.parsed and redact.names(json.dumps(row.parsed, ensure_ascii=False), wanted):
            row.parsed = redact.scrub_json(row.parsed, wanted)
        session.flush()
        session.expunge(row)
    for row_id in session.execute(select(OutboxRow.id).where(OutboxRow.event == event)).scalars().all():
        mail = session.get(OutboxRow, row_id)
        assert mail is not None
        decided = json.dumps(mail.decided, ensure_ascii=False) if mail.decided else None
        if redact.mail_names(mail.raw, wanted) or redact.names(decided, wanted):
            mail.raw, mail.decided = None, None  # nothing is left to send, nor to render it from
        if redact.names(mail.subject, wanted) or redact.names(mail.recipient, wanted):
            mail.subject = redact.scrub(mail.subject, wanted)
            mail.recipient = redact.scrub(mail.recipient, wanted)
        session.flush()
        session.expunge(mail)
    for review in session.execute(select(ReviewRow).where(ReviewRow.event == event)).scalars():
        if any(redact.names(t, wanted) for t in (review.summary, review.quote, review.sender)):
            review.summary = redact.scrub(review.summary, wanted)
            review.quote = redact.scrub(review.quote, wanted)
            review.sender = None if redact.names(review.sender, wanted) else review.sender
    for entry in session.execute(select(AuditRow).where(AuditRow.event == event)).scalars():
        if redact.names(entry.detail, wanted):
            entry.detail = redact.scrub(entry.detail, wanted)
    return dropped
