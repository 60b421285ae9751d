"""Kinds of writing the third blind corpus found, each in other words than the case that showed it: a part
of a clause the writer is unsure of ("resten vet jag inte än"), a decision put off in the infinitive, the
registration deadline's date, a trip on a meeting day, a colleague who signs up on their own, a language
that is no name, a food said to be fine, the old record quoted, colleagues who "ska delta" while the writer
stays away, spoken Swedish, one meeting of a season by its month, a double first name by its initials, a
title by pronoun, someone in copy for information who does not come."""

from __future__ import annotations

import pytest
from parserkit import MEETINGS, mail

from parsers import parse


def test_an_unsure_part_does_not_turn_the_named_meetings_into_a_no():
    raw = mail(
        "Hej\n\nJag vill anmäla mig. Jag kommer den 3 december och 4 februari, resten vet jag inte än.\n\n"
        "Mvh\nAnna Andersson\nUtredare\nLudvika kommun"
    )
    parsed = parse(raw, MEETINGS)
    assert parsed.intent == "signup"
    assert [p.meetings for p in parsed.people] == [[3, 4]]


def test_an_unsure_meeting_is_not_taken_and_is_flagged():
    raw = mail(
        "Hej\n\nJag vill anmäla mig till träff 1, träff 2 är jag osäker på.\n\n"
        "Mvh\nAnna Andersson\nUtredare\nLudvika kommun"
    )
    parsed = parse(raw, MEETINGS)
    assert [p.meetings for p in parsed.people] == [[1]]
    assert parsed.needs_review


def test_a_decision_put_off_in_the_infinitive_names_no_meeting():
    raw = mail(
        "Hej\n\nVi anmäler Per Lund, planarkitekt, per.lund@ludvika.se, till träff 1. De två sista "
        "träffarna får vi återkomma om när schemat är klart.\n\nMvh\nAnna Andersson\nUtredare\nLudvika kommun"
    )
    parsed = parse(raw, MEETINGS)
    person = next(p for p in parsed.people if p.name == "Per Lund")
    assert person.meetings == [1]
    assert not parsed.needs_review


def test_the_registration_deadline_is_no_date_of_a_meeting():
    raw = mail(
        "Hej\n\nJag såg att sista anmälningsdagen var 30 augusti, men jag hoppas att det går bra ändå. "
        "Jag vill anmäla mig till träff 3 och 4.\n\nMvh\nAnna Andersson\nUtredare\nLudvika kommun"
    )
    parsed = parse(raw, MEETINGS)
    assert [p.meetings for p in parsed.people] == [[3, 4]]
    assert not parsed.needs_review


def test_a_trip_on_a_meeting_day_declines_that_meeting():
    raw = mail(
        "Hello,\n\nI would like to sign up for the learning project, all meetings. On 3 December I am on a "
        "business trip to Oslo.\n\nBest regards,\nAnna Andersson\nUrban planner\nLudvika kommun"
    )
    parsed = parse(raw, MEETINGS)
    assert [p.meetings for p in parsed.people] == [[1, 2, 4]]


def test_a_colleague_who_signs_up_on_their_own_is_not_signed_up():
    raw = mail(
        "Hej\n\nJag anmäler mig till träff 1 och 2. Vår chef Per Lund vill nog också vara med, men han "
        "anmäler sig separat.\n\nMvh\nAnna Andersson\nUtredare\nLudvika kommun"
    )
    parsed = parse(raw, MEETINGS)
    assert [p.name for p in parsed.people] == ["Anna Andersson"]
    assert [p.meetings for p in parsed.people] == [[1, 2]]


def test_a_colleague_who_will_write_herself_in_english_and_no_name_in_a_language():
    raw = mail(
        "Hello,\n\nMy English is better than my Swedish, sorry! I would like to register for the second and "
        "third meeting. My colleague Eva Sten may also want to join, but she will contact you herself.\n\n"
        "Best regards,\nAnna Andersson\nUrban planner\nLudvika kommun"
    )
    parsed = parse(raw, MEETINGS)
    assert [p.name for p in parsed.people] == ["Anna Andersson"]
    assert [p.meetings for p in parsed.people] == [[2, 3]]
    assert not parsed.needs_review, parsed.review_reasons


def test_a_food_said_to_be_fine_is_no_need():
    raw = mail(
        "Hej\n\nJag anmäler mig till träff 2. Jag tål inte nötter, men fisk funkar bra.\n\n"
        "Mvh\nAnna Andersson\nUtredare\nLudvika kommun"
    )
    parsed = parse(raw, MEETINGS)
    assert [p.diet for p in parsed.people] == [["nuts"]]


def test_the_old_record_quoted_in_an_update_is_no_food_need():
    raw = mail(
        'Hej,\n\nI bekräftelsen står det "Kost: vegetarisk" för mig, men jag äter allt numera.\n\n'
        "Tack!\nAnna\n\n--\nAnna Andersson\nUtredare\nLudvika kommun",
        subject="Re: Bekräftelse på anmälan",
    )
    parsed = parse(raw, MEETINGS)
    assert parsed.intent == "update"
    assert [p.diet for p in parsed.people] == [[]]


def test_colleagues_signed_up_by_a_writer_who_stays_away_is_a_sign_up():
    raw = mail(
        "Hej\n\nFöljande kollegor kommer att delta i lärprojektet:\n\n"
        "- Per Lund, planarkitekt, per.lund@ludvika.se\n- Eva Sten, utredare, eva.sten@ludvika.se\n\n"
        "Själv kan jag tyvärr inte vara med.\n\nMvh\nAnna Andersson\nLudvika kommun"
    )
    parsed = parse(raw, MEETINGS)
    assert parsed.intent == "signup"
    assert sorted(p.name for p in parsed.people) == ["Eva Sten", "Per Lund"]


def test_the_meetings_of_a_colleague_who_signs_up_on_their_own_are_not_the_writers():
    raw = mail(
        "Hej\n\nJag anmäler mig till träff 1 och 3. Träff 2 och 4 tar vår chef Per Lund (han anmäler sig "
        "själv), så vi delar på det.\n\nMvh\nAnna Andersson\nUtredare\nLudvika kommun"
    )
    parsed = parse(raw, MEETINGS)
    assert [p.name for p in parsed.people] == ["Anna Andersson"]
    assert [p.meetings for p in parsed.people] == [[1, 3]]
    assert not parsed.needs_review, parsed.review_reasons


def test_a_free_from_food_that_is_fine_is_still_the_need():
    raw = mail(
        "Hej\n\nJag anmäler mig till träff 1. Glutenfritt går bra för min del.\n\n"
        "Mvh\nAnna Andersson\nUtredare\nLudvika kommun"
    )
    parsed = parse(raw, MEETINGS)
    assert [p.diet for p in parsed.people] == [["gluten"]]


def test_spoken_swedish_is_read_as_written():
    raw = mail(
        "hej! ja vill gärna va me å ja kommer på träff 2 å 3 men int på den första. ja ät int nötter\n\n"
        "/anna andersson, utredare ludvika kommun"
    )
    parsed = parse(raw, MEETINGS)
    assert parsed.intent == "signup"
    assert [p.meetings for p in parsed.people] == [[2, 3]]
    assert [p.diet for p in parsed.people] == [["nuts"]]


def test_a_yes_and_an_english_me_are_no_spoken_swedish():
    raw = mail(
        "Hello,\n\nPlease register me for meeting 2. He said it was fine to join.\n\n"
        "Best regards,\nAnna Andersson\nUrban planner\nLudvika kommun"
    )
    parsed = parse(raw, MEETINGS)
    assert parsed.intent == "signup"
    assert [p.meetings for p in parsed.people] == [[2]]


def test_one_meeting_of_a_season_named_by_its_month():
    raw = mail(
        "Hej\n\nJag anmäler mig till höstträffen i oktober och den i februari, resten hinner jag inte.\n\n"
        "Mvh\nAnna Andersson\nUtredare\nLudvika kommun"
    )
    parsed = parse(raw, MEETINGS)
    assert [p.meetings for p in parsed.people] == [[2, 4]]


def test_a_double_first_name_by_its_initials_and_a_title_after_och():
    raw = mail(
        "Hej\n\nJag och Eva-Lena Sten anmäler oss till träff 1. Jag är utredare och hon är planarkitekt. "
        "Hennes adress är el.sten@ludvika.se\n\nMvh\nAnna Andersson\nLudvika kommun"
    )
    parsed = parse(raw, MEETINGS)
    eva = next(p for p in parsed.people if p.name == "Eva-Lena Sten")
    assert eva.email == "el.sten@ludvika.se"
    assert eva.role == "officer"


def test_a_title_by_pronoun_the_parser_cannot_place_is_flagged():
    raw = mail(
        "Hej\n\nVi anmäler Per Lund, per.lund@ludvika.se, till träff 1. Jag vet att han sedan i våras är "
        "planarkitekt hos oss.\n\nMvh\nAnna Andersson\nUtredare\nLudvika kommun"
    )
    parsed = parse(raw, MEETINGS)
    per = next(p for p in parsed.people if p.name == "Per Lund")
    assert per.role == "officer" or parsed.needs_review


def test_someone_in_copy_for_information_who_stays_away_cancels_nothing():
    raw = mail(
        "Hej\n\nJag anmäler mig till träff 1 och 2. Vår förvaltningschef Per Lund står på kopia för kännedom, "
        "men han kommer inte att delta.\n\nMvh\nAnna Andersson\nUtredare\nLudvika kommun"
    )
    parsed = parse(raw, MEETINGS)
    assert parsed.intent == "signup"
    assert [p.meetings for p in parsed.people] == [[1, 2]]
    assert not parsed.needs_review, parsed.review_reasons


@pytest.mark.parametrize(
    "second",
    [
        "Per Lund, per.lund@ludvika.se, kommer på träff 1, och han kanske vill vara med på träff 2 också.",
        "Per Lund, per.lund@ludvika.se, will attend meeting 1, and he may attend meeting 2 as well.",
    ],
)
def test_a_colleague_unsure_of_one_more_meeting_is_still_signed_up(second):
    raw = mail(
        f"Hej\n\nJag anmäler mig till träff 1. {second}\n\nMvh\nAnna Andersson\nUtredare\nLudvika kommun"
    )
    parsed = parse(raw, MEETINGS)
    assert "Per Lund" in [p.name for p in parsed.people] or parsed.needs_review
