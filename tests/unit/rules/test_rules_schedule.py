"""Scheduled rules: reminders, information follow-ups, meeting change notices, retention."""

from __future__ import annotations

import datetime as dt

from rulekit import LUDVIKA, STHLM, Desk, load_event, msg, person

from rules.schedule import (
    due_reminders,
    expired_personal_data,
    info_followups,
    meeting_change_notices,
    retention_ends,
)


def _two(desk: Desk):
    desk.send(msg(sender="a@ludvika.se", people=[person("A A", "a@ludvika.se", meetings=[1, 2])]))
    desk.send(msg(sender="b@ludvika.se", people=[person("B B", "b@ludvika.se", meetings=[2])]))


def test_reminders_go_n_days_before_to_the_confirmed_with_stable_keys(desk):
    _two(desk)
    early = due_reminders(desk.event, desk.state, dt.datetime(2024, 9, 5, 9, 0, tzinfo=STHLM))
    assert early.mails == []  # 7 days before 09:30 fika is 09:30 on the 5th
    due = due_reminders(desk.event, desk.state, dt.datetime(2024, 9, 5, 10, 0, tzinfo=STHLM))
    a = desk.reg("A A")
    assert [(m.template, m.to, m.key, m.calendar_meetings) for m in due.mails] == [
        ("reminder", "a@ludvika.se", f"reminder:{a.ref}:1", [1])
    ]
    assert due.mails[0].auto_submitted == "auto-generated"
    again = due_reminders(desk.event, desk.state, dt.datetime(2024, 9, 6, 10, 0, tzinfo=STHLM))
    assert [m.key for m in again.mails] == [m.key for m in due.mails]  # the outbox refuses the repeat by key
    assert due_reminders(desk.event, desk.state, dt.datetime(2024, 9, 12, 10, 0, tzinfo=STHLM)).mails == []


def test_reminders_skip_cancelled_and_waitlisted(desk):
    _two(desk)
    desk.send(msg("cancel", sender="a@ludvika.se"))
    due = due_reminders(desk.event, desk.state, dt.datetime(2024, 10, 17, 12, 0, tzinfo=STHLM))
    assert [m.to for m in due.mails] == ["b@ludvika.se"]


def test_info_followup_asks_once_more_then_hands_over(desk):
    d = desk.send(msg(sender="s@gmail.com", org=None, people=[person("S S", "s@gmail.com")]))
    ref = d.registrations[0].ref
    asked = {ref: desk.clock}
    assert info_followups(desk.event, desk.state, desk.clock + dt.timedelta(days=2), asked, set()).mails == []
    first = info_followups(desk.event, desk.state, desk.clock + dt.timedelta(days=3), asked, set())
    assert [(m.template, m.to, m.key) for m in first.mails] == [
        ("info_reminder", "s@gmail.com", f"info_reminder:{ref}")
    ]
    assert first.mails[0].context["question"] == "organisation"
    waiting = info_followups(desk.event, desk.state, desk.clock + dt.timedelta(days=5), asked, {ref})
    assert waiting.mails == [] and waiting.reviews == []
    timeout = info_followups(desk.event, desk.state, desk.clock + dt.timedelta(days=6), asked, {ref})
    assert timeout.mails == [] and [r.kind for r in timeout.reviews] == ["info_timeout"]
    assert (
        info_followups(desk.event, desk.state, desk.clock + dt.timedelta(days=9), asked, {ref}, {ref}).reviews
        == []
    )


def test_answered_requests_are_not_followed_up(desk):
    d = desk.send(msg(sender="s@gmail.com", org=None, people=[person("S S", "s@gmail.com")]))
    ref = d.registrations[0].ref
    desk.send(msg("other", sender="s@gmail.com", org=LUDVIKA, subject=f"Re: [Ref {ref}]"))
    assert info_followups(desk.event, desk.state, desk.clock + dt.timedelta(days=9), {}, set()).mails == []


def _with_meeting(event, number, **changes):
    meetings = [m.model_dump() for m in event.meetings]
    meetings[number - 1].update(changes)
    return load_event(meetings=meetings)


def test_meeting_change_tells_everyone_attending(desk):
    _two(desk)
    new = _with_meeting(desk.event, 2, place="Borlänge", start=dt.time(9, 0))
    d = meeting_change_notices(desk.event, new, desk.state)
    assert sorted(m.to for m in d.mails) == ["a@ludvika.se", "b@ludvika.se"]
    mail = d.mails[0]
    assert mail.template == "meeting_changed" and mail.calendar_meetings == [2]
    assert mail.context["changed"] == ["time", "place"] and mail.context["announced"] is False
    assert mail.context["previous"]["place"] == "Falun"
    assert mail.key.startswith(f"meeting_changed:{mail.registration_ref}:2:")
    assert meeting_change_notices(desk.event, new, desk.state).mails[0].key == mail.key
    other = _with_meeting(desk.event, 2, place="Mora")
    assert meeting_change_notices(desk.event, other, desk.state).mails[0].key != mail.key
    assert meeting_change_notices(desk.event, desk.event, desk.state).mails == []


def test_place_set_after_meddelas_senare_is_announced(desk):
    desk.send(msg(sender="c@ludvika.se", people=[person("C C", "c@ludvika.se")]))
    new = _with_meeting(desk.event, 3, place="Leksand")
    d = meeting_change_notices(desk.event, new, desk.state)
    assert [m.context["announced"] for m in d.mails] == [True] and d.mails[0].context["previous"] is None


def test_retention_forgets_everyone_after_the_period(desk):
    _two(desk)
    end = retention_ends(desk.event)
    assert end == dt.datetime(2026, 2, 5, 0, 0, tzinfo=STHLM)
    assert expired_personal_data(desk.event, desk.state, end - dt.timedelta(seconds=1)) == []
    assert len(expired_personal_data(desk.event, desk.state, end)) == 2
