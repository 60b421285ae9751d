"""Missing information: one clear question to the sender, and the reply that completes the registration."""

from __future__ import annotations

from typing import TYPE_CHECKING

from parsers.models import Person
from rules.admission import admit
from rules.authority import referenced
from rules.diet import merged_diet
from rules.event import Event
from rules.model import Registration

if TYPE_CHECKING:
    from rules.work import Work

# Asked in this order, one at a time: a mail with one question gets answered.
QUESTIONS = ("organisation", "name", "meetings", "confirm")


def invalid_meetings(event: Event, meetings: list[int] | None) -> list[int]:
    return sorted({m for m in meetings or [] if m not in event.meeting_numbers})


def missing(event: Event, reg: Registration, invalid: list[int]) -> str | None:
    if reg.organisation is None:
        return "organisation"
    if not reg.name:
        return "name"
    if invalid or not reg.requested:
        # An empty list means every meeting named was one that does not exist: we do not know which they meant.
        return "meetings"
    return None


def ask(work: Work, regs: list[Registration], *, invalid: list[int], template: str = "info_request") -> None:
    """One mail per question to the sender, naming everyone it concerns (a shared organisation is asked once)."""
    parsed = work.parsed
    sender = parsed.sender if parsed else None
    for question in QUESTIONS:
        concerned = [r for r in regs if r.pending_question == question]
        if not concerned:
            continue
        context = {
            "question": question,
            "people": [{"ref": r.ref, "name": r.name} for r in concerned],
            "invalid_meetings": invalid,
            "meeting_numbers": work.event.meeting_numbers,
        }
        work.mail(template, sender or concerned[0].contact, ref=concerned[0].ref, context=context)


def replied_to(work: Work) -> list[Registration]:
    """Pending registrations this message answers for (by ref or In-Reply-To), with their siblings of one message."""
    parsed = work.parsed
    if parsed is None:
        return []
    refs = referenced(parsed, work.state)
    hits = [work.regs[ref] for ref in refs if ref in work.regs and work.regs[ref].status == "pending_info"]
    sources = {r.source_message_id for r in hits if r.source_message_id}
    siblings = [
        work.own(r) for r in work.view() if r.status == "pending_info" and r.source_message_id in sources
    ]
    return list({r.ref: r for r in hits + siblings}.values())


def complete(work: Work, regs: list[Registration]) -> None:
    """Merge what the reply says into the pending registrations; admit the complete ones, ask again for the rest."""
    parsed = work.parsed
    assert parsed is not None
    still: list[Registration] = []
    invalid_all: set[int] = set()
    for index, reg in enumerate(regs):
        person = _person_for(reg, parsed.people, index, len(regs))
        if parsed.organisation is not None and (
            reg.organisation is None or reg.pending_question == "organisation"
        ):
            reg.organisation = parsed.organisation
        invalid: list[int] = []
        if person is not None:
            reg.name = reg.name or person.name
            reg.email = reg.email or (person.email.lower() if person.email else None)
            reg.role = person.role or reg.role
            reg.diet = reg.diet if person.diet is None else merged_diet(reg.diet, person)
            if person.meetings:
                invalid = invalid_meetings(work.event, person.meetings)
                reg.requested = sorted(set(person.meetings) - set(invalid))
        if reg.pending_question == "meetings" and not invalid and not reg.requested:
            reg.requested = list(work.event.meeting_numbers)
        work.note("info_reply", reg.ref, f"svar på frågan om {reg.pending_question}")
        question = missing(work.event, reg, invalid)
        if question:
            reg.pending_question = question
            work.put(reg)
            still.append(reg)
            invalid_all.update(invalid)
            continue
        # The original arrival counts for the deadline and the waitlist: they wrote in time, we asked.
        admit(work, reg, arrived=reg.created_at)
    ask(work, still, invalid=sorted(invalid_all))


def _person_for(reg: Registration, people: list[Person], index: int, count: int) -> Person | None:
    if reg.name:
        named = next((p for p in people if p.name and p.name.casefold() == reg.name.casefold()), None)
        if named is not None:
            return named
    if len(people) == count:
        return people[index]
    return people[0] if len(people) == 1 else None
