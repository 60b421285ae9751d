"""Kinds of meetings, forms, food needs and titles the final blind corpus found, each in other words than
the case that showed it: Roman numerals in a form's meetings field, a wish restricted by "men bara om", a
lone food field left with a plain no, "de övriga två" with the person named after the verb, a food no
category names next to one that does, the writer who says they do not take part, an ordinal and "vice"
before a politician's title."""

from __future__ import annotations

import pytest
from parserkit import MEETINGS, mail

from parsers import parse
from parsers.diet import diet_in


def test_roman_numerals_in_a_form_field():
    raw = mail(
        "Hej,\n\nHär kommer vår anmälan.\n\nNamn: Per Lund\nTitel: Planarkitekt\nE-post: per.lund@ludvika.se\n"
        "Träffar: II och III\nKost: -\n\nMvh\nAnna Andersson\nLudvika kommun"
    )
    parsed = parse(raw, MEETINGS)
    person = next(p for p in parsed.people if p.name == "Per Lund")
    assert person.meetings == [2, 3]


def test_a_wish_restricted_by_a_condition_is_not_taken():
    raw = mail(
        "Hej,\n\nJag anmäler mig till träff 2. Den sista träffen vill jag också gå på, men bara om den "
        "går att följa på distans.\n\nMvh\nAnna Andersson\nUtredare\nLudvika kommun"
    )
    parsed = parse(raw, MEETINGS)
    assert [p.meetings for p in parsed.people] == [[2]]
    assert not parsed.needs_review


def test_only_a_conditional_meeting_is_flagged():
    raw = mail(
        "Hej,\n\nJag vill gärna vara med på träff 4, men endast om den blir digital.\n\n"
        "Mvh\nAnna Andersson\nUtredare\nLudvika kommun"
    )
    parsed = parse(raw, MEETINGS)
    assert parsed.needs_review
    assert any(r.startswith("villkorad träff") for r in parsed.review_reasons)


@pytest.mark.parametrize("line", ["Specialkost: ingen.", "Allergier: nej", "Kost: inga"])
def test_a_lone_food_field_with_a_plain_no(line):
    raw = mail(
        f"Hej,\n\nJag anmäler mig till träff 1.\n\n{line}\n\nMvh\nAnna Andersson\nUtredare\nLudvika kommun"
    )
    parsed = parse(raw, MEETINGS)
    assert [p.diet for p in parsed.people] == [[]]


def test_the_rest_taken_by_someone_named_after_the_verb():
    raw = mail(
        "Hej,\n\nVi anmäler två personer. Per Lund, planarkitekt, går på träff 1 och 2, och de återstående två "
        "tar vår utredare Eva Sten. Båda har adresser på formen fornamn.efternamn@ludvika.se: "
        "per.lund@ludvika.se och eva.sten@ludvika.se. Jag deltar inte själv.\n\nMvh\nAnna Andersson\nLudvika kommun"
    )
    parsed = parse(raw, MEETINGS)
    assert [(p.name, p.meetings) for p in parsed.people] == [("Per Lund", [1, 2]), ("Eva Sten", [3, 4])]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Jag är vegan och tål inte selleri eller svamp.", ["vegan", "other"]),
        ("Jag är vegetarian och äter inte lök.", ["vegetarian", "other"]),
        ("Jag är allergisk mot kiwi.", ["other"]),
        ("I can't eat mushrooms.", ["other"]),
        ("Jag äter inte fläsk, som ni vet.", ["pork"]),
        ("Jag äter inte kött.", ["vegetarian"]),
        ("Jag tål inte gluten, men kommer gärna.", ["gluten"]),
        ("Jag äter inte så mycket.", None),
        ("Jag har pollenallergi.", None),
        ("Jag är allergisk mot pollen.", None),
    ],
)
def test_a_food_no_category_names_is_other(text, want):
    assert diet_in(text) == want


def test_the_writer_who_does_not_take_part_sends_only_the_others():
    raw = mail(
        "Hej,\n\nJag anmäler Per Lund, planarkitekt, per.lund@ludvika.se, till alla träffar. Jag deltar "
        "inte själv, men ta gärna med mig på kopia.\n\nMvh\nAnna Andersson\nAssistent\nLudvika kommun"
    )
    parsed = parse(raw, MEETINGS)
    assert [p.name for p in parsed.people] == ["Per Lund"]


def test_an_ordinal_and_vice_before_a_politicians_title():
    raw = mail(
        "Hej,\n\nJag vill anmäla mig till lärprojektet. Jag är 1:e vice ordförande i miljönämnden.\n\n"
        "Hälsningar\nAnna Andersson\nLudvika kommun"
    )
    parsed = parse(raw, MEETINGS)
    assert [p.role for p in parsed.people] == ["politician"]


def test_meetings_put_off_for_later_are_not_requested():
    raw = mail(
        "Hej,\n\nJag kommer på träff 1 och 2. Vårträffen hör jag av mig om längre fram.\n\n"
        "Mvh\nAnna Andersson\nUtredare\nLudvika kommun"
    )
    parsed = parse(raw, MEETINGS)
    assert [p.meetings for p in parsed.people] == [[1, 2]]
    assert not parsed.needs_review


def test_already_booked_elsewhere_declines_that_meeting():
    raw = mail(
        "Hej,\n\nJag vill gärna delta i lärprojektet. Den 23 oktober är jag redan bokad på en konferens.\n\n"
        "Mvh\nAnna Andersson\nUtredare\nLudvika kommun"
    )
    parsed = parse(raw, MEETINGS)
    assert [p.meetings for p in parsed.people] == [[1, 3, 4]]


def test_a_signature_name_with_a_party_marker():
    raw = mail(
        "Hej\n\nJag vill anmäla mig till träff 1.\n\nAnna Andersson (C)\nOrdförande i kommunstyrelsen\nLudvika kommun"
    )
    parsed = parse(raw, MEETINGS)
    assert [p.role for p in parsed.people] == ["politician"]


def test_a_table_with_a_ticked_column_per_meeting():
    raw = mail(
        "Hej,\n\nVi anmäler två personer, kryss för de träffar de går på.\n\n"
        "Namn\tE-post\t12/9\t23/10\t3/12\t4/2\n"
        "Per Lund\tper.lund@ludvika.se\tX\t\tX\t\n"
        "Eva Sten\teva.sten@ludvika.se\t\tX\tX\tX\n\n"
        "Mvh\nAnna Andersson\nLudvika kommun"
    )
    parsed = parse(raw, MEETINGS)
    assert [(p.name, p.meetings) for p in parsed.people] == [("Per Lund", [1, 3]), ("Eva Sten", [2, 3, 4])]
    assert not parsed.needs_review


def test_outlooks_cell_per_line_text_with_empty_ticks():
    raw = mail(
        "Hej,\n\nHär är våra deltagare.\n\nNamn\nE-post\nTräff 1\nTräff 2\nTräff 3\nTräff 4\n"
        "Per Lund\nper.lund@ludvika.se\nX\n\nX\nX\n"
        "Eva Sten\neva.sten@ludvika.se\nX\nX\n\n\n\n"
        "Mvh\nAnna Andersson\nLudvika kommun"
    )
    parsed = parse(raw, MEETINGS)
    assert [(p.name, p.meetings) for p in parsed.people] == [("Per Lund", [1, 3, 4]), ("Eva Sten", [1, 2])]


def test_a_reason_after_the_exception_does_not_decline_the_rest():
    raw = mail(
        "Hej,\n\nJag kan komma på alla utom december (är på semester då).\n\nMvh\nAnna Andersson\nUtredare\nLudvika kommun"
    )
    parsed = parse(raw, MEETINGS)
    assert [p.meetings for p in parsed.people] == [[1, 2, 4]]


def test_a_colleague_in_lower_case_completed_from_a_recipient():
    raw = mail(
        "hej\nvill anmäla min kolega per till träff 1. inga allergier\n\n/anna",
        headers={"Cc": "Per Lund <per.lund@ludvika.se>"},
    )
    parsed = parse(raw, MEETINGS)
    assert [(p.name, p.email, p.meetings) for p in parsed.people] == [
        ("Per Lund", "per.lund@ludvika.se", [1])
    ]


def test_a_whole_sign_up_restricted_by_a_condition_is_flagged():
    raw = mail(
        "Hej,\n\nJag kommer på alla träffar, men bara om jag får ledigt.\n\nMvh\nAnna Andersson\nUtredare\nLudvika kommun"
    )
    parsed = parse(raw, MEETINGS)
    assert parsed.needs_review


def test_a_meeting_only_put_off_is_flagged():
    raw = mail(
        "Hej,\n\nJag anmäler mig till lärprojektet. Återkommer om vem som går på träff 3.\n\n"
        "Mvh\nAnna Andersson\nUtredare\nLudvika kommun"
    )
    parsed = parse(raw, MEETINGS)
    assert parsed.needs_review
