"""Considering, maybe and conditional sign-ups are not sign-ups: a question, or flagged for a human."""

from __future__ import annotations

import pytest
from parserkit import MEETINGS, mail

from parsers import parse
from parsers.intent import classify


@pytest.mark.parametrize(
    "body",
    [
        "Finns det parkering vid lokalen i Falun? Vi funderar på att anmäla oss men vill veta hur vi tar oss dit.",
        "Vi kanske vill anmäla oss. Ingår lunch?",
        "Om vi anmäler oss, ingår lunch då?",
        "Vi skulle kunna tänka oss att delta. Vad kostar det?",
        "Jag överväger att delta på träff 2 – är det fullt redan?",
        "Undrar om vi kan anmäla oss fast vi missade träff 1?",
        "Innan vi anmäler oss vill jag veta om det kostar något?",
        "We are thinking about registering for the project. Is lunch included?",
        "We might register for the learning project, but how long is each meeting?",
    ],
)
def test_hedged_sign_up_with_a_question_is_a_question(body):
    guess = classify(body, "Anmälan")
    assert guess.intent == "question"
    assert not guess.uncertain


@pytest.mark.parametrize(
    "body",
    [
        "Vi funderar på att anmäla oss till hösten.",
        "Jag överväger att delta på träff 2.",
        "Vi kan eventuellt tänka oss att vara med.",
        "We are considering to attend the meetings.",
    ],
)
def test_hedged_sign_up_without_a_question_is_flagged_never_a_sign_up(body):
    guess = classify(body, "Anmälan")
    assert guess.intent != "signup"
    assert guess.uncertain and guess.reason


@pytest.mark.parametrize(
    "body",
    [
        "Jag anmäler mig härmed. Min kollega funderar på att anmäla sig senare.",  # the hedge is someone else's
        "Jag anmäler mig. Om ni har frågor, hör av er.",  # the condition governs another verb
        "Jag anmäler mig till träff 1 om det går bra.",  # a condition after the verb is politeness
        "Jag har funderat länge. Nu anmäler jag mig.",  # the hedge is in an earlier sentence
        "Vi funderar på att ta tåget, men jag anmäler mig till alla träffar.",  # another clause
        "Jag vill gärna delta, kanske även min kollega.",
        "Hej! Jag vill anmäla mig. Ingår lunch?",
        "I would like to register for the project.",
    ],
)
def test_firm_sign_up_stays_a_sign_up(body):
    assert classify(body, "Anmälan").intent == "signup"


def test_hedged_registration_with_a_cancellation_is_flagged():
    guess = classify("Vi funderar på att anmäla oss men kan inte komma på träff 2.", "")
    assert guess.intent == "cancel" and guess.uncertain


def test_cancellation_with_a_hedged_later_meeting_stays_a_cancellation():
    guess = classify("Jag kan tyvärr inte delta på träff 1. Om jag kan komma på träff 2 återkommer jag.", "")
    assert guess.intent == "cancel" and not guess.uncertain


def test_whole_message_is_a_question_without_people():
    parsed = parse(
        mail(
            "Hej!\n\nFinns det parkering vid lokalen i Falun? Vi funderar på att anmäla oss men vill veta hur "
            "vi tar oss dit.\n\nMvh\nAnna Andersson\nPlaneringschef\nLudvika kommun",
            subject="Anmälan Dalalab",
        ),
        MEETINGS,
    )
    assert parsed.intent == "question"
    assert parsed.people == []
    assert not parsed.needs_review


def test_whole_message_considering_without_question_is_flagged():
    parsed = parse(
        mail("Hej!\n\nVi överväger att delta i lärprojektet.\n\nMvh\nAnna Andersson", subject="Anmälan"),
        MEETINGS,
    )
    assert parsed.intent != "signup"
    assert parsed.people == []
    assert parsed.needs_review
