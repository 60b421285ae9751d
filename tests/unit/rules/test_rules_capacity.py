"""The cap per municipality and meeting, the waitlist in arrival order, and promotion when seats free."""

from __future__ import annotations

from rulekit import FALUN, LUDVIKA, REGION, Desk, msg, person, seats

from rules.capacity import confirmed_count, org_key


def _sign(desk: Desk, name: str, org=LUDVIKA, meetings=None):
    email = name.lower().replace(" ", ".") + "@" + ("ludvika.se" if org is LUDVIKA else "falun.se")
    return desk.send(msg(sender=email, org=org, people=[person(name, email, meetings=meetings)]))


def _fill(desk: Desk, names=("A Ett", "B Två", "C Tre")):
    for name in names:
        _sign(desk, name)


def test_fourth_from_one_municipality_is_waitlisted_with_place_in_line(desk):
    _fill(desk)
    d = _sign(desk, "D Fyra")
    assert seats(d.registrations[0]) == {1: "waitlisted", 2: "waitlisted", 3: "waitlisted", 4: "waitlisted"}
    (mail,) = d.mails
    assert mail.template == "waitlisted" and mail.calendar_meetings == []
    assert mail.context["registration"]["meetings"][0]["place_in_line"] == 1
    e = _sign(desk, "E Fem")
    assert e.mails[0].context["registration"]["meetings"][0]["place_in_line"] == 2
    assert any(a.rule == "cap" for a in d.audit)


def test_other_municipality_and_uncapped_kinds_are_not_affected(desk):
    _fill(desk)
    assert seats(_sign(desk, "F Falun", org=FALUN).registrations[0])[1] == "confirmed"
    for i in range(5):
        d = desk.send(
            msg(
                sender=f"r{i}@regiondalarna.se",
                org=REGION,
                people=[person(f"R {i}", f"r{i}@regiondalarna.se")],
            )
        )
        assert seats(d.registrations[0])[1] == "confirmed"


def test_partly_full_gives_a_confirmation_listing_the_waitlisted_meetings(desk):
    for name in ("A Ett", "B Två", "C Tre"):
        _sign(desk, name, meetings=[1])
    d = _sign(desk, "D Fyra", meetings=[1, 2])
    (mail,) = d.mails
    assert mail.template == "confirmation" and mail.calendar_meetings == [2]
    assert seats(d.registrations[0]) == {1: "waitlisted", 2: "confirmed"}


def test_cancellation_promotes_the_first_in_line_and_tells_them(desk):
    _fill(desk)
    d4 = _sign(desk, "D Fyra").registrations[0]
    d5 = _sign(desk, "E Fem").registrations[0]
    a = desk.reg("A Ett")
    d = desk.send(msg("cancel", sender=a.email, people=[person("A Ett", a.email, meetings=[2])]))
    by_ref = {r.ref: r for r in d.registrations}
    assert seats(by_ref[a.ref])[2] == "cancelled" and by_ref[a.ref].status == "active"
    assert seats(by_ref[d4.ref])[2] == "confirmed" and d5.ref not in by_ref
    promoted = [m for m in d.mails if m.template == "promoted"]
    assert [(m.to, m.calendar_meetings, m.context["promoted_meetings"]) for m in promoted] == [
        (d4.email, [2], [2])
    ]
    assert [m.template for m in d.mails] == ["cancellation_receipt", "promoted"]
    assert any(x.rule == "promotion" for x in d.audit)


def test_whole_cancellation_promotes_at_every_meeting(desk):
    _fill(desk)
    d4 = _sign(desk, "D Fyra").registrations[0]
    a = desk.reg("A Ett")
    d = desk.send(msg("cancel", sender=a.email))
    assert {r.ref: r.status for r in d.registrations}[a.ref] == "cancelled"
    assert seats(desk.reg("D Fyra")) == {1: "confirmed", 2: "confirmed", 3: "confirmed", 4: "confirmed"}
    # One mail listing the four meetings, with a calendar for each: not four mails in one second.
    (promoted,) = [m for m in d.mails if m.template == "promoted"]
    assert promoted.to == d4.email and promoted.registration_ref == d4.ref
    assert promoted.context["promoted_meetings"] == [1, 2, 3, 4] and promoted.calendar_meetings == [
        1,
        2,
        3,
        4,
    ]
    assert len([a for a in d.audit if a.rule == "promotion"]) == 4


def test_two_people_promoted_by_one_decision_get_one_mail_each(desk):
    _fill(desk)
    d4 = _sign(desk, "D Fyra", meetings=[1, 2]).registrations[0]
    d5 = _sign(desk, "E Fem", meetings=[3, 4]).registrations[0]
    a = desk.reg("A Ett")
    d = desk.send(msg("cancel", sender=a.email))
    promoted = [
        (m.to, m.context["promoted_meetings"], m.calendar_meetings)
        for m in d.mails
        if m.template == "promoted"
    ]
    assert promoted == [(d4.email, [1, 2], [1, 2]), (d5.email, [3, 4], [3, 4])]


def test_substitution_hands_the_seat_over_without_freeing_it(desk):
    _fill(desk)
    d4 = _sign(desk, "D Fyra").registrations[0]
    a = desk.reg("A Ett")
    d = desk.send(
        msg("substitute", sender=a.email, people=[person("Nina Ny", "nina@ludvika.se", replaces=a.email)])
    )
    nina = desk.reg("Nina Ny")
    assert seats(nina) == {1: "confirmed", 2: "confirmed", 3: "confirmed", 4: "confirmed"}
    assert desk.reg("A Ett").status == "cancelled"
    assert seats(desk.state.by_ref(d4.ref))[1] == "waitlisted"  # the queue does not jump the substitute
    assert not any(m.template == "promoted" for m in d.mails)
    key = org_key(LUDVIKA)
    assert all(confirmed_count(desk.event, desk.state.registrations, key, m) == 3 for m in (1, 2, 3, 4))


def test_substituting_someone_already_seated_frees_the_seat_for_the_queue(desk):
    _fill(desk)
    d4 = _sign(desk, "D Fyra").registrations[0]
    a, b = desk.reg("A Ett"), desk.reg("B Två")
    d = desk.send(
        msg("substitute", sender=a.email, people=[person("B Två", b.email, meetings=[3], replaces=a.email)])
    )
    assert seats(desk.reg("A Ett"))[3] == "cancelled"
    assert seats(desk.state.by_ref(d4.ref))[3] == "confirmed"
    assert [m.to for m in d.mails if m.template == "promoted"] == [d4.email]


def test_adding_a_meeting_by_update_goes_through_the_cap(desk):
    for name in ("A Ett", "B Två", "C Tre"):
        _sign(desk, name, meetings=[1])
    _sign(desk, "D Fyra", meetings=[2])
    d4 = desk.reg("D Fyra")
    d = desk.send(msg("update", sender=d4.email, people=[person("D Fyra", d4.email, meetings=[1, 2])]))
    assert seats(d.registrations[0]) == {1: "waitlisted", 2: "confirmed"}
    assert d.mails[0].template == "update_receipt" and d.mails[0].calendar_meetings == []


def test_dropping_a_meeting_by_update_promotes(desk):
    _fill(desk)
    d4 = _sign(desk, "D Fyra").registrations[0]
    a = desk.reg("A Ett")
    d = desk.send(msg("update", sender=a.email, people=[person("A Ett", a.email, meetings=[1, 2, 3])]))
    assert seats(desk.state.by_ref(a.ref))[4] == "cancelled"
    assert seats(desk.state.by_ref(d4.ref))[4] == "confirmed"
    assert any(m.template == "promoted" for m in d.mails)


def test_people_waitlisted_by_one_message_keep_their_written_order() -> None:
    from rulekit import Desk, msg, person

    desk = Desk()
    desk.send(
        msg(sender="p1@ludvika.se", people=[person(f"Person {n}", f"p{n}@ludvika.se") for n in range(1, 4)])
    )
    desk.send(msg(sender="l@ludvika.se", people=[person(f"Later {n}", f"l{n}@ludvika.se") for n in "ZYXW"]))
    waiting = sorted(
        (r for r in desk.state.registrations if r.seat_status(1) == "waitlisted"),
        key=lambda r: r.seats[1].since,
    )
    assert [r.name for r in waiting] == ["Later Z", "Later Y", "Later X", "Later W"]
