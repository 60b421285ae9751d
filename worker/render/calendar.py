"""One .ics file per meeting: a VEVENT in the event's time zone with a stable UID, so updates replace it."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from icalendar import Calendar
from icalendar import Event as VEvent
from icalendar.parser import Contentline

from rules.event import Event

# Stand-ins for what differs per mail. Letters and digits only, so icalendar writes them unescaped.
_REF = "ANMALANREFX9"
_STAMP = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
_STAMP_LINE = "DTSTAMP:20000101T000000Z"


def meeting_ics(event: Event, meeting: int, *, ref: str | None, stamp: dt.datetime) -> bytes:
    """The meeting's .ics for one person: built once per meeting as it now reads (most of the cost is the
    time zone table), then only the reference (UID, description) and DTSTAMP are filled in."""
    stamp_line = f"DTSTAMP:{stamp.astimezone(dt.UTC):%Y%m%dT%H%M%SZ}"
    out = []
    for line in _unfolded(event, meeting, has_ref=ref is not None):
        line = stamp_line if line == _STAMP_LINE else line.replace(_REF, ref) if ref else line
        # RFC 5545 folds at 75 octets; most lines are shorter and skip icalendar's per-character walk.
        out.append(Contentline(line).to_ical() if len(line.encode("utf-8")) >= 75 else line.encode("utf-8"))
    return b"\r\n".join(out) + b"\r\n"


_built: dict[tuple[object, ...], tuple[str, ...]] = {}


def _unfolded(event: Event, meeting: int, *, has_ref: bool) -> tuple[str, ...]:
    m = event.meeting(meeting)
    # Everything the file shows is in the key, so a moved meeting or a renamed event is built anew.
    key: tuple[object, ...] = (event.slug, event.name, str(event.mailbox), event.timezone, meeting)
    key += (m.date, m.start, m.end, m.fika, m.place, m.theme, has_ref)
    lines = _built.get(key)
    if lines is None:
        if len(_built) > 256:  # a process serving many edits of an event stays small
            _built.clear()
        ics = _build(event, meeting, ref=_REF if has_ref else None, stamp=_STAMP).decode("utf-8")
        lines = _built[key] = tuple(ics.replace("\r\n ", "").removesuffix("\r\n").split("\r\n"))
    return lines


def _build(event: Event, meeting: int, *, ref: str | None, stamp: dt.datetime) -> bytes:
    m = event.meeting(meeting)
    tz = ZoneInfo(event.timezone)
    domain = str(event.mailbox).split("@", 1)[1]
    cal = Calendar()
    cal.add("prodid", f"-//anmalan//{event.slug}//SV")
    cal.add("version", "2.0")
    cal.add("method", "PUBLISH")
    vevent = VEvent()
    # Same UID in every mail about this person and meeting: a calendar updates the entry instead of adding one.
    vevent.add("uid", f"{ref or event.slug}-{meeting}@{domain}")
    vevent.add("dtstamp", stamp.astimezone(dt.UTC))
    if m.start is not None:
        start = dt.datetime.combine(m.date, m.start, tzinfo=tz)
        end = dt.datetime.combine(m.date, m.end, tzinfo=tz) if m.end else start + dt.timedelta(hours=5)
        vevent.add("dtstart", start)
        vevent.add("dtend", end)
    else:
        # Times not yet known: an all-day entry keeps the date in the calendar without inventing an hour.
        vevent.add("dtstart", m.date)
        vevent.add("dtend", m.date + dt.timedelta(days=1))
    vevent.add("summary", f"{event.name} – träff {meeting}")
    if m.place:
        vevent.add("location", m.place)
    lines = [m.theme] if m.theme else []
    if m.fika:
        lines.append(f"Fika från {m.fika:%H:%M}.")
    if ref:
        lines.append(f"Referens: {ref}")
    if lines:
        vevent.add("description", "\n".join(lines))
    cal.add_component(vevent)
    # Only the years around the meeting: the full 1970–2038 table would be most of the attachment.
    cal.add_missing_timezones(
        first_date=dt.date(m.date.year - 1, 1, 1), last_date=dt.date(m.date.year + 2, 1, 1)
    )
    return cal.to_ical()
