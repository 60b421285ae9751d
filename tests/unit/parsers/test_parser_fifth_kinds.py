"""Kinds the fifth blind batch read wrong without a flag, each in other words than the case that showed
it: "none" said once under a food field, the verb before its subject after a fronted place, a meeting
added in a reply whose quoted receipt names its field otherwise, and a meeting pointed at ("den träffen")."""

from __future__ import annotations

from parserkit import MEETINGS, mail

from parsers import parse

_SIGN_OFF = "\n\nMvh\nAnna Andersson\nPlanarkitekt\nLudvika kommun\n"


def test_none_said_once_under_a_food_field_is_the_writers_no_need():
    raw = mail(
        "Hej!\n\nVi anmäler oss till träff 1 och 2: jag och Per Holm (per.holm@ludvika.se).\n"
        "Allergier: Per tål inte laktos, jag har inga." + _SIGN_OFF
    )
    parsed = parse(raw, MEETINGS)
    assert {p.name: p.diet for p in parsed.people} == {"Anna Andersson": [], "Per Holm": ["lactose"]}


def test_the_verb_before_its_subject_after_a_fronted_place_signs_up():
    raw = mail(
        "Hej!\n\nFrån planenheten deltar vi två:\n\n"
        "- Anna Andersson, planarkitekt – träff 1\n"
        "- Olle Berg, planchef (olle.berg@ludvika.se) – träff 1 och 2\n\n"
        "Vi ser fram emot det." + _SIGN_OFF,
        subject="Dalalab",
    )
    parsed = parse(raw, MEETINGS)
    assert parsed.intent == "signup"
    assert [p.name for p in parsed.people] == ["Anna Andersson", "Olle Berg"]


def test_a_meeting_added_to_a_quoted_receipt_keeps_the_meetings_it_lists():
    raw = mail(
        "Hej,\n\nLägg då även till februariträffen för mig, tack.\n\n/Anna\n\n"
        "Den 2024-08-20 kl. 10:02 skrev Dalalab:\n"
        "> Du är anmäld till lärprojektet.\n"
        "> Registrerad på: träff 2 och 3\n"
        "> Specialkost: ingen\n",
        subject="SV: Din anmälan",
    )
    parsed = parse(raw, MEETINGS)
    assert parsed.intent == "update"
    assert [(p.name, p.meetings) for p in parsed.people] == [("Anna Andersson", [2, 3, 4])]


def test_a_meeting_pointed_at_but_not_read_is_flagged():
    raw = mail(
        "Hej!\n\nEn kollega berättade om ert seminarium om kompetensförsörjning i höst. "
        "Jag vill gärna anmäla mig till det seminariet, och även till den träffen i februari om den blir av."
        + _SIGN_OFF
    )
    parsed = parse(raw, MEETINGS)
    everything = any(p.meetings is None for p in parsed.people)
    assert not everything or parsed.needs_review


def test_all_three_people_coming_to_the_meetings_named_is_no_whole_series():
    raw = mail(
        "Hej!\n\nVi är tre från Ludvika:\n\n"
        "- Anna Andersson, planarkitekt, anna.andersson@ludvika.se\n"
        "- Olle Berg, planchef, olle.berg@ludvika.se\n"
        "- Sara Lind, miljöstrateg, sara.lind@ludvika.se\n\n"
        "Alla tre deltar på träff 2 och 3." + _SIGN_OFF
    )
    parsed = parse(raw, MEETINGS)
    assert [(p.name, p.meetings) for p in parsed.people] == [
        ("Anna Andersson", [2, 3]),
        ("Olle Berg", [2, 3]),
        ("Sara Lind", [2, 3]),
    ]
