"""Substitutions: a colleague takes someone's seats at some or all meetings; the cap counts the substitute, not both."""

from __future__ import annotations

from typing import TYPE_CHECKING

from parsers.models import Person
from rules.capacity import capped_key, promote, seat_for
from rules.model import Registration, Seat
from rules.people import find, find_by_text
from rules.targets import not_found, permitted, target

if TYPE_CHECKING:
    from rules.work import Work


def handle(work: Work) -> None:
    parsed = work.parsed
    assert parsed is not None
    if not parsed.people:
        not_found(
            work, about="change", summary=f"Byte från {parsed.sender}: vem som kommer i stället framgår inte"
        )
        return
    for person in parsed.people:
        replaced = find_by_text(work.live(), person.replaces, organisation=parsed.organisation) or target(
            work, None
        )
        if replaced is None or replaced.status != "active":
            not_found(
                work, about="change", summary=f"Byte från {parsed.sender}: hittar inte vem som ska ersättas"
            )
            continue
        if not (person.name or person.email):
            not_found(work, about="change", summary=f"Byte från {parsed.sender}: ersättarens namn saknas")
            continue
        if permitted(work, replaced, "substitute"):
            substitute(work, replaced, person)


def substitute(work: Work, replaced: Registration, person: Person) -> None:
    parsed = work.parsed
    assert parsed is not None
    email = person.email.lower() if person.email else None
    organisation = replaced.organisation or parsed.organisation
    newcomer = find(work.live(), email=email, name=person.name, organisation=organisation)
    if newcomer is not None and newcomer.ref == replaced.ref:
        not_found(work, about="change", summary=f"Byte från {parsed.sender}: ersättaren är samma person")
        return
    if newcomer is None or newcomer.status != "active":
        newcomer = Registration(
            ref=work.new_ref(),
            name=person.name,
            email=email,
            organisation=organisation,
            role=person.role,
            diet=person.diet,
            registered_by=(parsed.sender or "").lower() or None,
            language=parsed.language,
            created_at=work.received_at,
            replaces=replaced.ref,
            source_message_id=parsed.message_id,
        )
    held = [m for m, s in sorted(replaced.seats.items()) if s.status != "cancelled"]
    which = [m for m in held if person.meetings is None or m in person.meetings]
    if not which:
        not_found(
            work,
            about="change",
            summary=f"Byte från {parsed.sender}: {replaced.name} har inga sådana träffar",
        )
        return
    same_cap = capped_key(work.event, newcomer) == capped_key(work.event, replaced)
    freed = []
    work.put(replaced)
    work.put(newcomer)
    for m in which:
        old = replaced.seats[m]
        replaced.seats[m] = Seat(status="cancelled", since=work.received_at)
        mine = newcomer.seats.get(m)
        if same_cap and (
            mine is None
            or mine.status == "cancelled"
            or (mine.status == "waitlisted" and old.status == "confirmed")
        ):
            # The seat is handed over, place in line and all: it never returns to the pool in between.
            newcomer.seats[m] = Seat(status=old.status, since=old.since)
            continue
        if mine is None or mine.status == "cancelled":
            newcomer.seats[m] = seat_for(work, newcomer, m, work.received_at)
        if old.status == "confirmed":
            freed.append(m)
    if all(s.status == "cancelled" for s in replaced.seats.values()):
        replaced.status = "cancelled"
    newcomer.status = "active"
    work.note("substitute", newcomer.ref, f"ersätter {replaced.ref} på träff " + ", ".join(map(str, which)))
    confirmed = [m for m in which if newcomer.seats[m].status == "confirmed"]
    work.mail(
        "substitution_receipt_new",
        newcomer.contact,
        ref=newcomer.ref,
        context={"replaced_name": replaced.name, "meetings_taken": which},
        calendar=confirmed,
    )
    work.mail(
        "substitution_receipt_replaced",
        replaced.contact,
        ref=replaced.ref,
        context={"substitute_name": newcomer.name, "meetings_given": which},
    )
    sender = parsed.sender
    if sender and sender not in {newcomer.contact, replaced.contact}:
        work.mail(
            "substitution_receipt_replaced",
            sender,
            ref=replaced.ref,
            context={"substitute_name": newcomer.name, "meetings_given": which},
        )
    for m in freed:
        promote(work, capped_key(work.event, replaced), m)
