"""What a mail says about a registration, as plain JSON values the renderer turns into words."""

from __future__ import annotations

from typing import Any

from rules.capacity import place_in_line
from rules.event import Event
from rules.model import Registration


def summary(event: Event, regs: list[Registration], reg: Registration) -> dict[str, Any]:
    """The registration as its mails show it; meeting details (date, place) come from the event at render time."""
    meetings = []
    for number in sorted(reg.seats):
        seat = reg.seats[number]
        if seat.status == "cancelled":
            continue
        place = place_in_line(regs, reg, number, event) if seat.status == "waitlisted" else None
        meetings.append({"number": number, "status": seat.status, "place_in_line": place})
    return {
        "ref": reg.ref,
        "name": reg.name,
        "email": reg.email,
        "organisation": reg.organisation.name if reg.organisation else None,
        "role": reg.role,
        "diet": list(reg.diet) if reg.diet is not None else None,
        "status": reg.status,
        "meetings": meetings,
        "requested": sorted(reg.requested),
    }
