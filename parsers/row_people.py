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
    return meeting_refs.select([cell], dates, sent, intent, anchored=True).meetings


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
            _diet(row.diet),
            start=-len(rows) + i,
            source="list",
            qualified=True,
        )
        person.meetings = _meetings(row.meetings, dates, sent, intent)
        out.append(person)
    return out


def unread_cells(
    rows: tuple[Row, ...], dates: tuple[MeetingDate, ...], sent: dt.date | None, intent: str
) -> list[str]:
    """A row's meetings cell that names no meeting ("efter sommaren", "?") leaves that person's meetings
    unknown: the organiser reads it, rather than the person getting the group's meetings or none."""
    return [
        f"träffhänvisning som inte kunde tolkas: «{row.meetings.strip()}»"
        for row in rows
        if row.meetings and row.meetings.strip() and _meetings(row.meetings, dates, sent, intent) is None
    ]
