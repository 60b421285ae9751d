"""Scheduled work as pure functions: reminders, information follow-ups, meeting change notices, retention.

Each mail carries an idempotency `key`: the outbox refuses a second row with the same key, so a job that
runs twice (or a beat that fires after a restart) sends each mail once.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Collection
from datetime import datetime, timedelta

from rules.decision import Decision, ReviewItem
from rules.event import Event, Meeting
from rules.model import Registration, State
from rules.work import Work

# Scheduled functions have no message; this stands in for its arrival where Work wants one.
_NO_MESSAGE = datetime(1970, 1, 1, tzinfo=dt.UTC)


def _work(event: Event, state: State, now: datetime, job: str) -> Work:
    return Work(
        event=event,
        state=state,
        now=now,
        received_at=now,
        message_key=f"schedule:{job}",
        auto_submitted="auto-generated",
    )


def due_reminders(event: Event, state: State, now: datetime) -> Decision:
    """A reminder to everyone with a confirmed seat, from N days before a meeting until it starts."""
    work = _work(event, state, now, "reminders")
    for number in event.meeting_numbers:
        if not event.reminder_due(number) <= now < event.meeting_start(number):
            continue
        sent = 0
        for reg in work.live():
            if number in reg.attending():
                work.mail(
                    "reminder",
                    reg.contact,
                    ref=reg.ref,
                    context={"meeting_number": number},
                    calendar=[number],
                    key=f"reminder:{reg.ref}:{number}",
                )
                sent += 1
        work.note("reminder", None, f"träff {number}: {sent} påminnelser")
    return work.finish()


def info_followups(
    event: Event,
    state: State,
    now: datetime,
    asked_at: dict[str, datetime],
    reminded: set[str],
    escalated: Collection[str] = (),
) -> Decision:
    """Unanswered information requests: ask once more after info_reminder_days; after another period, an organiser.

    `asked_at` maps a ref to when its request went out (a pending registration missing from it counts from its
    arrival); `reminded` holds refs already reminded, `escalated` those already handed to an organiser.
    """
    work = _work(event, state, now, "info")
    period = timedelta(days=event.info_reminder_days)
    groups: dict[tuple[str, str], list[Registration]] = {}
    for reg in work.live():
        if reg.status == "pending_info":
            groups.setdefault((reg.source_message_id or reg.ref, reg.pending_question or ""), []).append(reg)
    for (_, question), regs in groups.items():
        refs = {r.ref for r in regs}
        asked = min(asked_at.get(r.ref, r.created_at) for r in regs)
        first = regs[0]
        if not refs & reminded:
            if now - asked >= period:
                context = {
                    "question": question,
                    "people": [{"ref": r.ref, "name": r.name} for r in regs],
                    "invalid_meetings": [],
                    "meeting_numbers": event.meeting_numbers,
                }
                work.mail(
                    "info_reminder",
                    first.registered_by or first.contact,
                    ref=first.ref,
                    context=context,
                    key=f"info_reminder:{first.ref}",
                )
                work.note("info_reminder", first.ref, f"frågar igen om {question}")
        elif not refs & set(escalated) and now - asked >= 2 * period:
            names = ", ".join(r.name or r.ref for r in regs)
            work.reviews.append(
                ReviewItem(
                    kind="info_timeout",
                    registration_ref=first.ref,
                    summary=f"Inget svar på frågan om {question} för {names}",
                    sender=first.registered_by,
                    language=first.language,
                )
            )
            work.note("info_timeout", first.ref, "lämnas åt arrangören")
    return work.finish()


def _details(m: Meeting) -> dict[str, str | None]:
    def hhmm(t: dt.time | None) -> str | None:
        return t.strftime("%H:%M") if t else None

    return {
        "date": m.date.isoformat(),
        "start": hhmm(m.start),
        "end": hhmm(m.end),
        "fika": hhmm(m.fika),
        "place": m.place,
    }


def meeting_change_notices(old: Event, new: Event, state: State, now: datetime | None = None) -> Decision:
    """When an organiser changes a meeting's date, time or place in the config, tell everyone with a seat there.

    A place or time that was "meddelas senare" and is now set is announced the same way. The key carries a
    short hash of the new details: a second change is a new notice, the same change twice is not.
    """
    work = _work(new, state, now or _NO_MESSAGE, "meeting_change")
    for meeting in new.meetings:
        if meeting.number > len(old.meetings):
            continue
        before, after = _details(old.meeting(meeting.number)), _details(meeting)
        changed = [
            field
            for field, keys in (
                ("date", ("date",)),
                ("time", ("start", "end", "fika")),
                ("place", ("place",)),
            )
            if any(before[k] != after[k] for k in keys)
        ]
        if not changed:
            continue
        # Filling in what was "meddelas senare" is news, not a change: nothing to compare it with.
        announced = "date" not in changed and all(
            (before["place"] is None if f == "place" else before["start"] is None) for f in changed
        )
        digest = hashlib.sha256(json.dumps(after, sort_keys=True).encode()).hexdigest()[:8]
        told = 0
        for reg in work.live():
            if meeting.number in reg.attending():
                work.mail(
                    "meeting_changed",
                    reg.contact,
                    ref=reg.ref,
                    context={
                        "meeting_number": meeting.number,
                        "changed": changed,
                        "announced": announced,
                        "previous": None if announced else before,
                    },
                    calendar=[meeting.number],
                    key=f"meeting_changed:{reg.ref}:{meeting.number}:{digest}",
                )
                told += 1
        work.note(
            "meeting_changed", None, f"träff {meeting.number}: {', '.join(changed)} ändrat; {told} meddelas"
        )
    return work.finish()


def retention_ends(event: Event) -> datetime:
    """When personal data of this event may no longer be kept: the last meeting's day plus retention_days."""
    last = max(m.date for m in event.meetings)
    return datetime.combine(last + timedelta(days=1), dt.time(0, 0), tzinfo=event.tz) + timedelta(
        days=event.retention_days
    )


def expired_personal_data(event: Event, state: State, now: datetime) -> list[str]:
    """Refs whose personal data is to be forgotten now: every registration, once the retention period is over."""
    if now < retention_ends(event):
        return []
    return [r.ref for r in state.registrations]
