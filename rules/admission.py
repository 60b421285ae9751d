"""Admission: a complete sign-up past the deadline check gets its seats (or a place in line) and its answer.

Shared by a first sign-up (rules.signup) and one completed by a reply to our question (rules.info).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from rules import claims
from rules.capacity import seat_for
from rules.deadline import admit_late, is_late
from rules.group import keep
from rules.model import Registration

if TYPE_CHECKING:
    from rules.work import Work


def admit(work: Work, reg: Registration, *, arrived: datetime) -> None:
    """Deadline, then seats (cap and waitlist), then the answer: the path every complete sign-up takes."""
    work.put(reg)
    if is_late(work, arrived) and not admit_late(work, reg):
        return
    if claims.from_outside(work, reg):  # a capped seat claimed from outside the organisation's domains
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
