"""Attachments that carry facts: calendar replies and requests (.ics) and business cards (.vcf).

A calendar reply says which meeting by its DTSTART and whether the sender comes (PARTSTAT); a
business card gives the sender's title and address. Both are read with maintained libraries
(icalendar, vobject), never by hand; a file either cannot read is ignored, not fatal.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from parsers.models import Intent, MeetingDate

# A calendar or card part beyond this is not one a person made by hand; it is not read.
MAX_PART_BYTES = 200_000
CALENDAR_TYPES = frozenset({"text/calendar", "application/ics", "text/x-vcalendar"})
CARD_TYPES = frozenset({"text/vcard", "text/x-vcard", "text/directory"})


@dataclass(frozen=True)
class CalendarEvent:
    """One VEVENT: the method of its calendar (REQUEST, REPLY, CANCEL), the day, and the answer given."""

    method: str
    start: dt.date | None
    partstat: str | None = None  # ACCEPTED, DECLINED, TENTATIVE, NEEDS-ACTION; the replying attendee's
    attendees: tuple[str, ...] = ()  # addresses, lower-case


@dataclass(frozen=True)
class Card:
    """What a vCard says of one person."""

    name: str | None = None
    email: str | None = None
    title: str | None = None
    organisation: str | None = None


def _address(value: object) -> str | None:
    text = str(value or "")
    if text.lower().startswith("mailto:"):
        text = text[7:]
    return text.strip().lower() or None if "@" in text else None


def _day(value: object) -> dt.date | None:
    when = getattr(value, "dt", None)
    if isinstance(when, dt.datetime):
        return when.date()
    return when if isinstance(when, dt.date) else None


def read_calendar(data: bytes) -> list[CalendarEvent]:
    """The events of an iCalendar file; an empty list when it does not parse."""
    from icalendar import Calendar

    if len(data) > MAX_PART_BYTES:
        return []
    try:
        calendar = Calendar.from_ical(data)
    except Exception:
        return []
    method = str(calendar.get("METHOD") or "").upper()
    out: list[CalendarEvent] = []
    for event in calendar.walk("VEVENT"):
        raw = event.get("ATTENDEE")
        attendees = raw if isinstance(raw, list) else [raw] if raw is not None else []
        statuses = [str(a.params.get("PARTSTAT", "")).upper() for a in attendees if hasattr(a, "params")]
        answered = [s for s in statuses if s and s != "NEEDS-ACTION"]
        out.append(
            CalendarEvent(
                method=method,
                start=_day(event.get("DTSTART")),
                partstat=answered[0] if method == "REPLY" and answered else None,
                attendees=tuple(a for a in (_address(x) for x in attendees) if a),
            )
        )
    return out


def read_cards(data: bytes) -> list[Card]:
    """The people of a vCard file (one or more cards); an empty list when it does not parse."""
    import vobject

    if len(data) > MAX_PART_BYTES:
        return []
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("cp1252", "replace")
    out: list[Card] = []
    try:
        for card in vobject.readComponents(text):
            contents = card.contents
            org = contents.get("org", [None])[0]
            out.append(
                Card(
                    name=_text(contents.get("fn", [None])[0]),
                    email=_address(_text(contents.get("email", [None])[0])),
                    title=_text(contents.get("title", [None])[0]),
                    organisation=" ".join(org.value)
                    if org is not None and isinstance(org.value, list)
                    else None,
                )
            )
    except Exception:
        return out
    return out


def _text(line: object) -> str | None:
    value = getattr(line, "value", None)
    return " ".join(str(value).split()) or None if value else None


def meeting_of(event: CalendarEvent, meetings: tuple[MeetingDate, ...]) -> int | None:
    """The meeting whose day is the event's DTSTART."""
    return next((m.number for m in meetings if event.start == m.date), None)


def calendar_intent(events: list[CalendarEvent]) -> Intent | None:
    """What a calendar reply says by itself: declined is a cancellation, accepted a sign-up."""
    answers = {e.partstat for e in events if e.method == "REPLY" and e.partstat}
    if answers == {"DECLINED"}:
        return "cancel"
    if answers and answers <= {"ACCEPTED", "TENTATIVE"}:
        return "signup"
    return None


def calendar_meetings(events: list[CalendarEvent], meetings: tuple[MeetingDate, ...]) -> list[int]:
    """The meetings the calendar parts are about (their DTSTART days), in order."""
    found = {
        meeting_of(e, meetings) for e in events if e.method in {"REPLY", "REQUEST", "PUBLISH", "COUNTER"}
    }
    return sorted(n for n in found if n is not None)


def card_of(cards: list[Card], email: str | None, names: tuple[str, ...], only: bool = False) -> Card | None:
    """The sender's own card: the one with their address, or their name.

    From a shared mailbox (``only``) the writer may sign with a first name: the card whose first name it
    is, or the only card when the writer signs with no name at all.
    """
    folded = {" ".join(n.casefold().split()) for n in names if n and " " in n}
    for card in cards:
        if (email and card.email == email) or (
            card.name and " ".join(card.name.casefold().split()) in folded
        ):
            return card
    if not only:
        return None
    firsts = {n.casefold() for n in names if n and " " not in n}
    by_first = [c for c in cards if c.name and c.name.split()[0].casefold() in firsts]
    if len(by_first) == 1:
        return by_first[0]
    return cards[0] if len(cards) == 1 and not names else None
