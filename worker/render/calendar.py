"""One .ics file per meeting: a VEVENT in the event's time zone with a stable UID, so updates replace it."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from icalendar import Calendar
from icalendar import Event as VEvent

from rules.event import Event


def meeting_ics(event: Event, meeting: int, *, ref: str | None, stamp: dt.datetime) -> bytes:
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
