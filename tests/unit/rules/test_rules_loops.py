"""What is never answered (auto-replies, bounces, ourselves), questions, and the daily loop guard."""

from __future__ import annotations

from rulekit import MAILBOX, ORGANISER, msg, person

from parsers.models import ParsedMessage


def test_auto_reply_is_never_answered(desk):
    d = desk.send(ParsedMessage(intent="auto_reply", sender="anna@ludvika.se", subject="Frånvaro"))
    assert d.mails == [] and d.registrations == [] and d.audit[0].rule == "auto_reply"


def test_bounce_marks_the_address_failing_and_is_never_answered(desk):
    reg = desk.send(msg(sender="chef@ludvika.se", people=[person("Per P", "per@ludvika.se")])).registrations[
        0
    ]
    d = desk.send(
        ParsedMessage(intent="bounce", sender="mailer-daemon@ludvika.se", bounced=["Per@Ludvika.se"])
    )
    assert d.mails == [] and d.failing_addresses == ["per@ludvika.se"]
    assert any(a.rule == "failing_address" and a.registration_ref == reg.ref for a in d.audit)


def test_our_own_mailbox_is_never_answered(desk):
    d = desk.send(msg(sender=MAILBOX, people=[person("X Y", "x@ludvika.se")]))
    assert d.mails == [] and d.registrations == [] and d.audit[0].rule == "own_mail"


def test_one_of_our_own_mails_coming_back_is_ignored(desk):
    reg = desk.send(msg(sender="a@ludvika.se", people=[person("A A", "a@ludvika.se")])).registrations[0]
    d = desk.send(ParsedMessage(intent="other", sender="a@ludvika.se", message_id=desk.last_mid(reg.ref)))
    assert d.mails == [] and d.audit[0].rule == "own_mail"


def test_organiser_chat_is_left_to_organiser_commands(desk):
    d = desk.send(ParsedMessage(intent="question", sender=ORGANISER, subject="Sv: Dagens sammanställning"))
    assert d.mails == [] and d.reviews == [] and d.audit[0].rule == "organiser"


def test_question_goes_to_review_with_a_short_ack(desk):
    d = desk.send(
        ParsedMessage(
            intent="question", sender="per@falun.se", subject="Parkering?", new_text="Finns det parkering?"
        )
    )
    assert [r.kind for r in d.reviews] == ["question"] and d.reviews[0].quote == "Finns det parkering?"
    assert d.reviews[0].sender == "per@falun.se"
    assert [(m.template, m.to, m.context["about"]) for m in d.mails] == [
        ("question_ack", "per@falun.se", "question")
    ]


def test_question_in_english_is_acknowledged_in_english(desk):
    d = desk.send(ParsedMessage(intent="question", sender="jo@example.com", language="en"))
    assert d.mails[0].language == "en" and d.reviews[0].language == "en"


def test_other_is_not_answered_but_flagged_when_unsure(desk):
    quiet = desk.send(ParsedMessage(intent="other", sender="news@example.com"))
    assert quiet.mails == [] and quiet.reviews == []
    unsure = ParsedMessage(intent="other", sender="x@example.com")
    unsure.flag("oklart")
    assert [r.kind for r in desk.send(unsure).reviews] == ["unclear"]


def test_loop_guard_stops_answers_beyond_the_daily_limit(desk):
    desk.state.answers_today["loop@example.com"] = desk.event.daily_answer_limit - 1
    first = desk.send(ParsedMessage(intent="question", sender="loop@example.com"))
    assert len(first.mails) == 1
    second = desk.send(ParsedMessage(intent="question", sender="loop@example.com"))
    assert second.mails == [] and [r.kind for r in second.reviews] == ["question"]
    assert any(a.rule == "loop_guard" for a in second.audit)


def test_loop_guard_counts_mails_within_one_decision(desk):
    desk.state.answers_today["chef@ludvika.se"] = desk.event.daily_answer_limit - 1
    people = [person(f"P {i}", f"p{i}@ludvika.se") for i in range(2)]
    d = desk.send(msg(sender="chef@ludvika.se", people=people))
    # Both registrations are made (nothing half-done); only the copies to the sender are capped.
    assert len(d.registrations) == 2
    assert [m.to for m in d.mails].count("chef@ludvika.se") == 1


def test_a_question_that_was_not_sent_to_us_goes_to_review_without_an_answer() -> None:
    """RFC 3834: a copy that reached the mailbox by Bcc, a list or a redirect gets no automatic answer."""
    from rulekit import Desk

    desk = Desk()
    asked = msg("question", sender="x@example.com", people=[], recipients=["someone@else.example"])
    d = desk.send(asked)
    assert d.mails == [] and [r.kind for r in d.reviews] == ["question"]
    to_us = msg("question", sender="y@example.com", people=[], recipients=[MAILBOX])
    assert [m.template for m in desk.send(to_us).mails] == ["question_ack"]


def test_a_bounce_never_marks_our_own_addresses_failing(desk):
    own = [MAILBOX, ORGANISER, MAILBOX.replace("@", "+b-1723.99@"), "per@ludvika.se"]
    d = desk.send(ParsedMessage(intent="bounce", sender="mailer-daemon@ludvika.se", bounced=own))
    assert d.mails == [] and d.failing_addresses == ["per@ludvika.se"]
