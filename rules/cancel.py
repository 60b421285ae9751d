"""Cancellations: the whole series or some meetings; freed seats go to the first in line."""

from __future__ import annotations

from typing import TYPE_CHECKING

from parsers.models import Person
from rules.capacity import capped_key, promote
from rules.model import Registration, Seat
from rules.signup import duplicate
from rules.targets import not_found, permitted, target

if TYPE_CHECKING:
    from rules.work import Work


def handle(work: Work) -> None:
    parsed = work.parsed
    assert parsed is not None
    people: list[Person | None] = [*parsed.people] or [None]
    for person in people:
        reg = target(work, person)
        if reg is None:
            who = person.name or person.email if person else parsed.sender
            not_found(
                work,
                about="change",
                summary=f"Avbokning från {parsed.sender}: hittar ingen anmälan för {who}",
            )
            continue
        if permitted(work, reg, "cancel"):
            cancel(work, reg, person.meetings if person else None)


def cancel(work: Work, reg: Registration, meetings: list[int] | None) -> None:
    held = sorted(m for m, s in reg.seats.items() if s.status != "cancelled")
    which = held if meetings is None else [m for m in held if m in meetings]
    if reg.status == "active" and not which:
        work.note("cancel", reg.ref, f"inget att avboka: inte anmäld till träff {meetings}")
        duplicate(work, reg)
        return
    freed = []
    for m in which:
        if reg.seats[m].status == "confirmed":
            freed.append(m)
        reg.seats[m] = Seat(status="cancelled", since=work.received_at)
    whole = reg.status != "active" or all(s.status == "cancelled" for s in reg.seats.values())
    if whole:
        reg.status = "cancelled"
        reg.requested = []
        reg.pending_question = None
    work.put(reg)
    work.note("cancel", reg.ref, "hela serien" if whole else "träff " + ", ".join(map(str, which)))
    context = {"cancelled": which, "whole": whole}
    work.mail("cancellation_receipt", reg.contact, ref=reg.ref, context=context)
    sender = work.parsed.sender if work.parsed else None
    if sender and sender != reg.contact:
        work.mail("cancellation_receipt", sender, ref=reg.ref, context=context)
    for m in freed:
        promote(work, capped_key(work.event, reg), m)
