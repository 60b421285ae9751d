"""Sign-ups: each person named becomes a registration, unless already registered or something is missing."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from parsers.models import Person
from rules import claims
from rules.authority import from_looks_forged
from rules.capacity import seat_for
from rules.deadline import admit_late, is_late
from rules.group import keep
from rules.info import ask, complete, invalid_meetings, missing
from rules.model import Registration
from rules.people import find

if TYPE_CHECKING:
    from rules.work import Work


def handle(work: Work) -> None:
    parsed = work.parsed
    assert parsed is not None
    sender = (parsed.sender or "").lower() or None
    # A message that signs up nobody by name signs up its sender.
    people = parsed.people or [Person(name=parsed.sender_name, email=sender)]
    asking: list[Registration] = []
    made: set[str] = set()
    for position, person in enumerate(people):
        email = person.email.lower() if person.email else None
        existing = find(
            work.live(), email=email, name=person.name, organisation=parsed.organisation, registered_by=sender
        )
        if existing is not None and existing.ref in made:
            work.note("duplicate", existing.ref, "samma person två gånger i ett meddelande")
            continue
        if existing is not None and existing.status == "pending_info" and existing.registered_by == sender:
            # They wrote again instead of replying to our question: the new message completes the old one.
            complete(work, [existing])
            continue
        if existing is not None:
            duplicate(work, existing)
            continue
        meetings = person.meetings or work.event.meeting_numbers
        reg = Registration(
            ref=work.new_ref(),
            name=person.name,
            email=email,
            organisation=parsed.organisation,
            role=person.role,
            diet=person.diet,
            registered_by=sender,
            language=parsed.language,
            created_at=work.received_at,
            source_message_id=parsed.message_id,
            requested=sorted(set(meetings) - set(invalid_meetings(work.event, meetings))),
        )
        made.add(reg.ref)
        question = missing(work.event, reg, invalid_meetings(work.event, meetings)) or (
            "confirm" if parsed.needs_review else None
        )
        if question:
            reg.status = "pending_info"
            reg.pending_question = question
            work.put(reg)
            work.note("missing_info", reg.ref, f"frågar om {question}")
            asking.append(reg)
            continue
        # People in one message arrived together; a microsecond apart keeps the waitlist in their written order.
        admit(work, reg, arrived=work.received_at + timedelta(microseconds=position))
    ask(work, asking, invalid=_all_invalid(work, people))


def _all_invalid(work: Work, people: list[Person]) -> list[int]:
    return sorted({m for p in people for m in invalid_meetings(work.event, p.meetings or [])})


def admit(work: Work, reg: Registration, *, arrived: datetime) -> None:
    """Deadline, then seats (cap and waitlist), then the answer: the path every complete sign-up takes."""
    work.put(reg)
    if is_late(work, arrived) and not admit_late(work, reg):
        return
    if claims.from_outside(work, reg):
        claims.hold(work, reg)
        return
    reg.status = "active"
    reg.pending_question = None
    for meeting in reg.requested or work.event.meeting_numbers:
        reg.seats[meeting] = seat_for(work, reg, meeting, arrived)
    reg.requested = []
    work.note("signup", reg.ref, "anmäld till träff " + ", ".join(str(m) for m in sorted(reg.seats)))
    announce(work, reg)


def announce(work: Work, reg: Registration) -> None:
    """Confirmation (or waitlist notice) to the person; whoever signed them up gets one summary (rules.group)."""
    held = [m for m, s in reg.seats.items() if s.status != "cancelled"]
    confirmed = [m for m in held if reg.seats[m].status == "confirmed"]
    template = "confirmation" if confirmed else "waitlisted"
    work.mail(template, reg.contact, ref=reg.ref, calendar=confirmed)
    keep(work, reg)


def duplicate(work: Work, existing: Registration) -> None:
    """Already registered: change nothing; only the person, or whoever registered them, hears how it stands.

    Anyone else learns nothing, not even that the person is registered: they are told, as for any sign-up of
    someone else, that the answer goes to that person.
    """
    work.note("duplicate", existing.ref, "redan anmäld; inget ändras")
    parsed = work.parsed
    sender = ((parsed.sender if parsed else None) or "").lower()
    entitled = {a.lower() for a in (existing.email, existing.registered_by) if a}
    if sender in entitled and not (parsed and from_looks_forged(parsed)):
        work.mail("duplicate_notice", sender, ref=existing.ref)
        return
    work.mail("duplicate_notice", existing.contact, ref=existing.ref)
    if sender and sender != (existing.contact or "").lower():
        work.mail("question_ack", sender, ref=None, context={"about": "signup"})
