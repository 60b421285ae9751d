"""Kinds of list rows and their follow-on words the fourth blind corpus found, each in other words than
the case that showed it: a numbered row whose food need stands in a sentence of its own after the row."""

from __future__ import annotations

from parserkit import MEETINGS, mail

from parsers import parse


def test_a_food_sentence_after_a_numbered_row_is_that_rows_person():
    raw = mail(
        "Hej!\n\nVi anmäler följande från Ludvika kommun:\n\n"
        "1. Karl Öberg, bygglovschef, karl.oberg@ludvika.se - träff 1 och 2. Vegetarisk mat, tack.\n"
        "2. Sara Lind, miljöstrateg, sara.lind@ludvika.se - alla träffar. Inga allergier.\n\n"
        "Mvh\nAnna Andersson\nUtredare\nLudvika kommun"
    )
    parsed = parse(raw, MEETINGS)
    diets = {p.name: p.diet for p in parsed.people}
    assert diets == {"Karl Öberg": ["vegetarian"], "Sara Lind": []}
    assert "Oklart vems specialkost som avses" not in parsed.review_reasons


_CONFIRMATION = (
    "> Hej Anna!\n>\n> Tack för anmälan. Vi har registrerat följande deltagare från Ludvika kommun:\n>\n"
    "> Anna Andersson, miljöchef – alla träffar\n> Johan Krantz, trafikplanerare – alla träffar\n>\n"
    "> Med vänliga hälsningar\n> Dalalab\n"
)


def test_neither_the_writer_nor_a_colleague_can_come():
    raw = mail(
        "Hej,\n\nTyvärr kommer varken Johan eller jag att kunna komma på träff 3, vi har budgetdag då.\n\n"
        "Hälsningar\nAnna\n\n"
        + "Den 6 aug. 2024 kl. 09:12 skrev Anmälan Dalalab <anmalan.dalalab@regiondalarna.se>:\n"
        + _CONFIRMATION,
        subject="SV: Bekräftelse på anmälan",
    )
    parsed = parse(raw, MEETINGS)
    assert parsed.intent == "cancel"
    assert {p.name: (p.meetings, p.role) for p in parsed.people} == {
        "Anna Andersson": ([3], "manager"),
        "Johan Krantz": ([3], "officer"),
    }


def test_a_cancellation_that_cannot_come_neither_one():
    raw = mail(
        "Hej! Tyvärr kan varken jag eller Johan delta den 3 december.\n\nAnna\n\n"
        "Den 6 aug. 2024 kl. 09:12 skrev Anmälan Dalalab <anmalan.dalalab@regiondalarna.se>:\n"
        + _CONFIRMATION,
        subject="SV: Bekräftelse på anmälan",
    )
    parsed = parse(raw, MEETINGS)
    assert parsed.intent == "cancel"
    assert sorted(p.name or "" for p in parsed.people) == ["Anna Andersson", "Johan Krantz"]
