"""Limits on what one sender can make the service do: people per message, new addresses per day."""

from __future__ import annotations

import datetime as dt

from rulekit import FALUN, Desk, load_event, msg, person

from rules.model import Conversation

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


def _question(sender: str):
    return msg(
        "question", sender=sender, org=None, subject="Fråga om träffarna", new_text="Var hålls träffarna?"
    )


def test_a_reply_to_our_own_receipt_is_not_acknowledged_but_reaches_the_organiser(desk: Desk) -> None:
    desk.state.conversation = Conversation(thread="t1", answers_in_thread=1, replies_to_ack=True)
    d = desk.send(_question("svar1@example.org"))
    assert d.mails == []
    assert [r.kind for r in d.reviews] == ["question"]


def test_answers_stop_at_the_per_thread_limit_and_show_in_the_digest(desk: Desk) -> None:
    desk.state.conversation = Conversation(thread="t1", answers_in_thread=7)
    assert [m.template for m in desk.send(_question("a1@example.org")).mails] == ["question_ack"]
    desk.state.conversation = Conversation(thread="t1", answers_in_thread=8)
    d = desk.send(_question("a2@example.org"))
    assert d.mails == []
    assert [r.kind for r in d.reviews] == ["question", "answer_limit"]
    assert "gränsen är 8" in d.reviews[1].summary


def test_answers_stop_at_the_hourly_limit(desk: Desk) -> None:
    desk.state.conversation = Conversation(thread="t2", answers_last_hour=300)
    d = desk.send(_question("b1@example.org"))
    assert d.mails == [] and "senaste timmen (gränsen är 300)" in d.reviews[-1].summary
