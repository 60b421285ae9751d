"""Sign-ups: each person named becomes a registration, unless already registered or something is missing."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from parsers.models import Person
from rules.admission import admit
from rules.authority import from_looks_forged
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
            work.view(), email=email, name=person.name, organisation=parsed.organisation, registered_by=sender
        )
        if existing is not None:
            existing = work.own(existing)
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
