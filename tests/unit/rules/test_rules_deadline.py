"""The deadline: judged by arrival in Europe/Stockholm, with the event's late policy."""

from __future__ import annotations

import datetime as dt

from rulekit import STHLM, Desk, load_event, msg, person, seats

ON_TIME = dt.datetime(2024, 8, 23, 23, 59, 0, tzinfo=STHLM)
LATE = dt.datetime(2024, 8, 24, 0, 0, 30, tzinfo=STHLM)


def _signup():
    return msg(sender="olle@ludvika.se", people=[person("Olle Ohlsson", "olle@ludvika.se")])


def test_a_minute_before_midnight_is_in_time():
    d = Desk().send(_signup(), at=ON_TIME)
    assert d.registrations[0].status == "active"
    assert not any(a.rule == "deadline" for a in d.audit)


def test_arrival_not_the_date_header_decides_in_utc_too():
    # 22:00 UTC on the 23rd is midnight in Stockholm (CEST): late, whatever the sender's clock said.
    d = Desk().send(_signup(), at=dt.datetime(2024, 8, 23, 22, 0, 30, tzinfo=dt.UTC))
    assert d.registrations[0].status == "pending_approval"


def test_late_under_review_waits_for_the_organiser():
    d = Desk().send(_signup(), at=LATE)
    (reg,) = d.registrations
    assert reg.status == "pending_approval" and reg.seats == {} and reg.requested == [1, 2, 3, 4]
    assert [r.kind for r in d.reviews] == ["late"] and d.reviews[0].registration_ref == reg.ref
    assert [m.template for m in d.mails] == ["late_notice"]
    assert d.mails[0].context["deadline"].startswith("2024-08-23T23:59:59")
    assert any(a.rule == "deadline" for a in d.audit)


def test_late_under_reject_is_refused():
    d = Desk(load_event(late_policy="reject")).send(_signup(), at=LATE)
    assert d.registrations[0].status == "rejected" and d.reviews == []
    assert [m.template for m in d.mails] == ["late_rejected"]


def test_late_under_accept_goes_through_with_a_note():
    d = Desk(load_event(late_policy="accept")).send(_signup(), at=LATE)
    assert d.registrations[0].status == "active" and seats(d.registrations[0])[1] == "confirmed"
    assert [m.template for m in d.mails] == ["confirmation"]
    assert any(a.rule == "deadline" for a in d.audit)


def test_information_completed_after_the_deadline_counts_from_the_first_mail():
    desk = Desk()
    first = desk.send(
        msg(sender="sara.sund@ludvika.se", org=None, people=[person("Sara Sund", "sara.sund@ludvika.se")]),
        at=ON_TIME,
    )
    ref = first.registrations[0].ref
    from rulekit import LUDVIKA

    done = desk.send(
        msg("other", sender="sara.sund@ludvika.se", org=LUDVIKA, subject=f"Sv: [Ref {ref}]"), at=LATE
    )
    assert done.registrations[0].status == "active"
