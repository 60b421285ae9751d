"""Seats: the cap per municipality and meeting, the waitlist in arrival order, and promotion when a seat frees."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from parsers.models import Organisation
from rules.event import Event
from rules.model import Registration, Seat

if TYPE_CHECKING:
    from rules.work import Work


def org_key(org: Organisation | None) -> str | None:
    """Who shares a cap: the same kind and code (or, lacking a code, the same name)."""
    if org is None:
        return None
    return f"{org.kind}:{(org.code or org.name).strip().casefold()}"


def capped_key(event: Event, reg: Registration) -> str | None:
    """The cap this registration counts against, or None when its organisation is not capped."""
    org = reg.organisation
    return org_key(org) if org is not None and event.is_capped(org.kind) else None


def confirmed_count(event: Event, regs: list[Registration], key: str, meeting: int) -> int:
    """Seats taken: confirmed seats of active registrations (pending ones hold none)."""
    return sum(
        1
        for r in regs
        if r.status == "active" and r.seat_status(meeting) == "confirmed" and capped_key(event, r) == key
    )


def waitlist(event: Event, regs: list[Registration], key: str, meeting: int) -> list[Registration]:
    """Those waiting for a seat, first come first served (Seat.since is the arrival of their message)."""
    waiting = [
        r
        for r in regs
        if r.status == "active" and r.seat_status(meeting) == "waitlisted" and capped_key(event, r) == key
    ]
    return sorted(waiting, key=waiting_order(meeting))


def waiting_order(meeting: int) -> Callable[[Registration], tuple[datetime, datetime, str]]:
    """The one order of a waitlist, shared by promotion and LISTA: arrival, then creation, then reference.

    Two messages can arrive in the same second; created_at and ref break the tie the same way everywhere,
    so the person LISTA shows first is the one promoted first.
    """
    return lambda r: (r.seats[meeting].since, r.created_at, r.ref)


def place_in_line(regs: list[Registration], reg: Registration, meeting: int, event: Event) -> int | None:
    key = capped_key(event, reg)
    if key is None:
        return None
    line = waitlist(event, regs, key, meeting)
    return next((i + 1 for i, r in enumerate(line) if r.ref == reg.ref), None)


def seat_for(work: Work, reg: Registration, meeting: int, since) -> Seat:
    """A new seat for reg at meeting: confirmed while the cap has room, else waitlisted."""
    key = capped_key(work.event, reg)
    if key is None:
        return Seat(status="confirmed", since=since)
    # Anyone already waiting goes first (seats can be free with a queue if an organiser raised the cap):
    # a newcomer never overtakes someone in line.
    promote(work, key, meeting)
    if confirmed_count(work.event, work.capped(key), key, meeting) < work.event.cap_per_municipality:
        return Seat(status="confirmed", since=since)
    work.note(
        "cap",
        reg.ref,
        f"träff {meeting}: {work.event.cap_per_municipality} platser för {reg.organisation.name if reg.organisation else '?'} är tagna; väntelista",
    )
    return Seat(status="waitlisted", since=since)


def promote(work: Work, key: str | None, meeting: int) -> list[str]:
    """Fill freed seats from the waitlist, first in line first; each promoted person is told."""
    if key is None:
        return []
    promoted = []
    while confirmed_count(work.event, work.capped(key), key, meeting) < work.event.cap_per_municipality:
        line = waitlist(work.event, work.capped(key), key, meeting)
        if not line:
            break
        first = work.own(line[0])
        first.seats[meeting] = Seat(status="confirmed", since=first.seats[meeting].since)
        work.touch(first)
        work.note("promotion", first.ref, f"träff {meeting}: plats ledig, först i kön får den")
        tell_promoted(work, first, meeting)
        promoted.append(first.ref)
    return promoted


def tell_promoted(work: Work, reg: Registration, meeting: int) -> None:
    """One `promoted` mail per person per decision: a later meeting joins the mail already queued.

    A whole-series cancellation frees a seat at every meeting, and four mails in one second saying
    "Du har fått en plats" read like a fault; one mail listing the meetings (an .ics each) does not.
    """
    to = (reg.contact or "").lower()
    queued = next(
        (m for m in work.mails if m.template == "promoted" and m.registration_ref == reg.ref and m.to == to),
        None,
    )
    if queued is None:
        work.mail(
            "promoted", reg.contact, ref=reg.ref, context={"promoted_meetings": [meeting]}, calendar=[meeting]
        )
        return
    queued.context["promoted_meetings"] = sorted({*queued.context["promoted_meetings"], meeting})
    queued.calendar_meetings = sorted({*queued.calendar_meetings, meeting})
