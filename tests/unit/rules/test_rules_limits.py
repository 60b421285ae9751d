"""Limits on what one sender can make the service do: people per message, new addresses per day."""

from __future__ import annotations

import datetime as dt

from rulekit import FALUN, Desk, load_event, msg, person

SENDER = "nisse.hult@falun.se"


def _people(count: int, start: int = 0):
    return [person(f"Person Nummer{i}", f"p{i}@example.org") for i in range(start, start + count)]


def test_a_message_naming_more_people_than_the_limit_registers_and_mails_nobody(desk: Desk) -> None:
    d = desk.send(msg(sender=SENDER, org=FALUN, people=_people(11)))
    assert d.registrations == []
    assert [(m.template, m.to) for m in d.mails] == [("question_ack", SENDER)]
    assert [r.kind for r in d.reviews] == ["bulk"] and "11 personer" in d.reviews[0].summary


def test_ten_people_in_one_message_are_registered(desk: Desk) -> None:
    d = desk.send(msg(sender=SENDER, org=FALUN, people=_people(10)))
    assert len(d.registrations) == 10 and not d.reviews


def test_new_addresses_per_sender_per_day_are_capped_and_the_count_starts_again_tomorrow() -> None:
    event = load_event()
    event = event.model_copy(
        update={"limits": event.limits.model_copy(update={"new_addresses_per_sender_per_day": 4})}
    )
    desk = Desk(event)
    assert len(desk.send(msg(sender=SENDER, org=FALUN, people=_people(3))).registrations) == 3
    held = desk.send(msg(sender=SENDER, org=FALUN, people=_people(2, start=3)))
    assert held.registrations == [] and [r.kind for r in held.reviews] == ["bulk"]
    assert "5 nya adresser" in held.reviews[0].summary
    # The sender's own address is never counted.
    own = desk.send(msg(sender=SENDER, org=FALUN, people=[person("Nisse Hult", SENDER)]))
    assert len(own.registrations) == 1
    tomorrow = desk.clock + dt.timedelta(days=1)
    later = desk.send(msg(sender=SENDER, org=FALUN, people=_people(2, start=3)), at=tomorrow)
    assert len(later.registrations) == 2
