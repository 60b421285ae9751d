"""Updates to a registration: diet, meetings (new ones go through the cap), address, title."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from parsers.models import Person
from rules.capacity import capped_key, promote, seat_for
from rules.diet import merged_diet
from rules.info import invalid_meetings
from rules.model import Registration, Seat
from rules.targets import not_found, permitted, target

if TYPE_CHECKING:
    from rules.work import Work


def handle(work: Work) -> None:
    parsed = work.parsed
    assert parsed is not None
    people: list[Person | None] = [*parsed.people] or [None]
    for person in people:
        reg = target(work, person, new_address=True)
        if reg is None:
            not_found(work, about="change", summary=f"Ändring från {parsed.sender}: hittar ingen anmälan")
            continue
        new_address = bool(person and person.email and person.email.lower() != (reg.email or "").lower())
        if permitted(work, reg, "update", destructive=new_address):
            update(work, reg, person or Person())


def update(work: Work, reg: Registration, person: Person) -> None:
    changes: list[dict[str, Any]] = []
    old_email = reg.email
    diet = merged_diet(reg.diet, person)
    if diet is not None and diet != reg.diet:
        changes.append({"field": "diet", "old": reg.diet, "new": diet})
        reg.diet = diet
    if person.role and person.role != reg.role:
        changes.append({"field": "role", "old": reg.role, "new": person.role})
        reg.role = person.role
    if person.email and person.email.lower() != (reg.email or ""):
        changes.append({"field": "email", "old": reg.email, "new": person.email.lower()})
        reg.email = person.email.lower()
    if person.name and not reg.name:
        changes.append({"field": "name", "old": None, "new": person.name})
        reg.name = person.name
    freed: list[int] = []
    added: list[int] = []
    if person.meetings is not None:
        bad = invalid_meetings(work.event, person.meetings)
        if bad:
            work.note("unclear", reg.ref, f"träff {bad} finns inte; träffarna ändras inte")
            work.review("unclear", f"Ändring för {reg.name or reg.ref}: träff {bad} finns inte", ref=reg.ref)
        else:
            freed, added = _change_meetings(work, reg, sorted(set(person.meetings)), changes)
    work.put(reg)
    work.note("update", reg.ref, ", ".join(c["field"] for c in changes) or "inget att ändra")
    context = {"changes": changes}
    calendar = [m for m in added if reg.seat_status(m) == "confirmed"]
    work.mail("update_receipt", reg.contact, ref=reg.ref, context=context, calendar=calendar)
    # A changed address: the old one hears of it too, so a hijacked registration does not go unnoticed.
    recipients = {reg.contact}
    for extra in (old_email, work.parsed.sender if work.parsed else None):
        if extra and extra not in recipients:
            recipients.add(extra)
            work.mail("update_receipt", extra, ref=reg.ref, context=context)
    for m in freed:
        promote(work, capped_key(work.event, reg), m)


def _change_meetings(
    work: Work, reg: Registration, wanted: list[int], changes: list[dict[str, Any]]
) -> tuple[list[int], list[int]]:
    if reg.status != "active":
        if wanted != sorted(reg.requested):
            changes.append({"field": "meetings", "old": sorted(reg.requested), "new": wanted})
            reg.requested = wanted
        return [], []
    held = sorted(m for m, s in reg.seats.items() if s.status != "cancelled")
    if wanted == held:
        return [], []
    changes.append({"field": "meetings", "old": held, "new": wanted})
    freed = []
    for m in held:
        if m not in wanted:
            if reg.seats[m].status == "confirmed":
                freed.append(m)
            reg.seats[m] = Seat(status="cancelled", since=work.received_at)
    added = [m for m in wanted if m not in held]
    work.put(reg)
    for m in added:
        reg.seats[m] = seat_for(work, reg, m, work.received_at)
    return freed, added
