"""Rows to people: each structured row becomes one participant with its own meetings and food needs."""

from __future__ import annotations

import datetime as dt
import re

from parsers import meetings as meeting_refs
from parsers.diet import diet_in
from parsers.models import Diet, MeetingDate, Role
from parsers.people import Mention
from parsers.roles import role_of, title_in
from parsers.structure import Row, no_diet
from parsers.text import proper_name

# A meetings cell of bare numbers ("1, 3", "1-4") names meetings only because of its column.
_BARE_NUMBERS = re.compile(r"^[\divxIVX\s,.&+/–-]+(?:(?:och|and|&)\s*[\divxIVX]+)?$")
_EVERY = re.compile(r"^(alla|samtliga|all|alla fyra|hela|hela serien|x|ja|yes)$", re.I)


def _diet(text: str | None) -> list[Diet] | None:
    if text is None:
        return None
    if no_diet(text):
        return []
    found = diet_in(text)
    return found if found is not None else ["other"]


def _meetings(
    text: str | None, dates: tuple[MeetingDate, ...], sent: dt.date | None, intent: str
) -> list[int] | None:
    if not text or not dates:
        return None
    cell = text.strip()
    if _EVERY.match(cell):
        return sorted(m.number for m in dates)
    if _BARE_NUMBERS.match(cell):
        cell = f"träff {cell}"
    return meeting_refs.select(cell.split("; "), dates, sent, intent, anchored=True).meetings


def _role(text: str | None) -> Role | None:
    if not text:
        return None
    found = title_in(text)
    return role_of(text) or (found[1] if found else None)


def mentions(
    rows: tuple[Row, ...], dates: tuple[MeetingDate, ...], sent: dt.date | None, intent: str
) -> list[Mention]:
    """One qualified mention per row, ordered before any prose mention (rows come first in the text)."""
    out: list[Mention] = []
    for i, row in enumerate(rows):
        person = Mention(
            proper_name(row.name) if row.name else None,
            row.email,
            _role(row.role),
            # in a list of changes an empty cell changes nothing ("tomt fält = ingen ändring")
            None if intent == "update" and row.diet is not None and not row.diet.strip() else _diet(row.diet),
            start=-len(rows) + i,
            source="list",
            qualified=True,
        )
        person.meetings = _meetings(row.meetings, dates, sent, intent)
        out.append(person)
    _the_rest(rows, out, dates, sent, intent)
    return out


def _the_rest(
    rows: tuple[Row, ...],
    people: list[Mention],
    dates: tuple[MeetingDate, ...],
    sent: dt.date | None,
    intent: str,
) -> None:
    """A cell "övriga" / "resten" is what the other rows take by name (not the whole series)."""
    everyone = {m.number for m in dates}
    for i, row in enumerate(rows):
        cell = (row.meetings or "").strip()
        if not cell or not meeting_refs.reference(cell, dates, sent, anchored=True).rest:
            continue
        taken: set[int] = set()
        for j, other in enumerate(people):
            if j != i and other.meetings and set(other.meetings) != everyone:
                taken |= set(other.meetings)
        chosen = meeting_refs.select([cell], dates, sent, intent, frozenset(taken), anchored=True)
        people[i].meetings = chosen.meetings if taken else None


def unread_cells(rows: tuple[Row, ...], people: list[Mention]) -> list[str]:
    """A row's meetings cell that names no meeting ("efter nyår", "?", "övriga" when no other row names
    any) leaves that person's meetings unknown: the organiser reads it, rather than guessing."""
    return [
        f"träffhänvisning som inte kunde tolkas: «{row.meetings.strip()}»"
        for row, person in zip(rows, people, strict=False)
        if row.meetings and row.meetings.strip() and person.meetings is None
    ]
