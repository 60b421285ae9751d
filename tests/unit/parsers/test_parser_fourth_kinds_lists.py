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
