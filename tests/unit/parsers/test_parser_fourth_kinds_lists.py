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


def test_a_semicolon_separated_list_pasted_from_a_spreadsheet():
    raw = mail(
        "Hej,\n\nHär kommer kommunens deltagare:\n\n"
        "Namn;Befattning;E-post;Träffar;Specialkost\n"
        "Johan Krantz;Trafikplanerare;johan.krantz@ludvika.se;2-4;Vegan\n"
        "Lisa Berg;Miljöchef;lisa.berg@ludvika.se;1, 3 och 4;Laktosfri\n\n"
        "Mvh\nAnna Andersson\nUtredare\nLudvika kommun",
        subject="Anmälan från Ludvika",
    )
    parsed = parse(raw, MEETINGS)
    assert parsed.intent == "signup"
    assert {p.name: (p.email, p.meetings, p.diet) for p in parsed.people} == {
        "Johan Krantz": ("johan.krantz@ludvika.se", [2, 3, 4], ["vegan"]),
        "Lisa Berg": ("lisa.berg@ludvika.se", [1, 3, 4], ["lactose"]),
    }


def test_prose_with_semicolons_is_not_a_table():
    raw = mail(
        "Hej,\n\nJag anmäler mig till träff 1; träff 2 krockar med fullmäktige; träff 3 vet jag inte än.\n\n"
        "Mvh\nAnna Andersson\nUtredare\nLudvika kommun"
    )
    parsed = parse(raw, MEETINGS)
    assert [p.name for p in parsed.people] == ["Anna Andersson"]


def test_someone_who_steps_aside_is_not_signed_up():
    raw = mail(
        "Hej,\n\nVi anmäler vår planchef Lisa Berg, lisa.berg@ludvika.se, till alla träffar. "
        "Vår ordförande Olof Strand skulle också ha följt med, men han har avstått sin plats till en kollega "
        "i grannkommunen.\n\nMvh\nAnna Andersson\nUtredare\nLudvika kommun"
    )
    parsed = parse(raw, MEETINGS)
    assert parsed.intent == "signup"
    assert [p.name for p in parsed.people] == ["Lisa Berg"]


def test_someone_who_skips_one_meeting_is_still_signed_up():
    raw = mail(
        "Hej,\n\nVi anmäler Lisa Berg, planchef, lisa.berg@ludvika.se, och Olof Strand, ordförande, "
        "olof.strand@ludvika.se. Olof avstår från decemberträffen, annars kommer båda på alla.\n\n"
        "Mvh\nAnna Andersson\nUtredare\nLudvika kommun"
    )
    parsed = parse(raw, MEETINGS)
    assert sorted(p.name or "" for p in parsed.people) == ["Lisa Berg", "Olof Strand"]


def test_verb_first_sign_up_with_a_colleague_and_weekdays_by_month():
    raw = mail(
        "Hej Johanna,\n\nTack för inbjudan! Från Ludvika kommer jag och min kollega Per Lund "
        "(per.lund@ludvika.se). Vi väljer tisdagen i december och tisdagen i februari.\n\n"
        "Mvh\nAnna Andersson\nUtredare\nLudvika kommun",
        subject="SV: Inbjudan till lärprojekt",
    )
    parsed = parse(raw, MEETINGS)
    assert parsed.intent == "signup"
    assert {p.name: p.meetings for p in parsed.people} == {"Anna Andersson": [3, 4], "Per Lund": [3, 4]}
    assert not parsed.needs_review


def test_a_weekday_in_a_month_that_holds_no_meeting_is_flagged():
    raw = mail(
        "Hej,\n\nJag anmäler mig till måndagen i oktober.\n\nMvh\nAnna Andersson\nUtredare\nLudvika kommun"
    )
    parsed = parse(raw, MEETINGS)
    assert parsed.needs_review


def test_the_place_named_first_is_a_substitution():
    raw = mail(
        "Hej,\n\nVår miljöstrateg Lisa Berg, lisa.berg@ludvika.se, har slutat hos oss. Hennes plats tar "
        "Johan Krantz över, han är trafikplanerare och nås på johan.krantz@ludvika.se.\n\n"
        "Mvh\nAnna Andersson\nUtredare\nLudvika kommun",
        subject="Ändring av deltagare",
    )
    parsed = parse(raw, MEETINGS)
    assert parsed.intent == "substitute"
    assert [(p.name, p.replaces) for p in parsed.people] == [("Johan Krantz", "lisa.berg@ludvika.se")]


def test_a_newcomer_named_between_the_verb_and_instead():
    raw = mail(
        "Hej,\n\nPer Lund, per.lund@ludvika.se, kan inte den 3 december, så då kommer Eva Sten "
        "från miljöenheten i stället. Hon nås på eva.sten@ludvika.se.\n\n"
        "Mvh\nAnna Andersson\nUtredare\nLudvika kommun",
        subject="Byte till träff 3",
    )
    parsed = parse(raw, MEETINGS)
    assert parsed.intent == "substitute"
    assert [p.name for p in parsed.people] == ["Eva Sten"]
    assert parsed.people[0].replaces in {"per.lund@ludvika.se", "Per Lund"}


def test_only_one_weekday_suits_the_writer():
    raw = mail(
        "Hej!\n\nJag anmäler mig gärna, men jag kan bara onsdagar. Inga allergier.\n\n"
        "Mvh\nAnna Andersson\nUtredare\nLudvika kommun"
    )
    parsed = parse(raw, MEETINGS)
    assert [p.meetings for p in parsed.people] == [[2]]
    assert not parsed.needs_review


def test_a_weekday_narrowed_by_a_season_that_leaves_some_out_is_flagged():
    raw = mail(
        "Hej!\n\nJag kan bara tisdagar i vår, så anmäl mig till tisdagsträffarna.\n\n"
        "Mvh\nAnna Andersson\nUtredare\nLudvika kommun"
    )
    parsed = parse(raw, MEETINGS)
    assert parsed.needs_review


_PATTERN_MAIL = (
    "Hej,\n\nVi anmäler oss till alla träffar:\n\n- Per Lund, planarkitekt\n- {colleague}, miljöstrateg\n\n"
    "Adresserna är som vanligt förnamn.efternamn@ludvika.se.\n\nMvh\nAnna Andersson\nUtredare\nLudvika kommun"
)


def test_addresses_spelled_from_a_stated_pattern():
    parsed = parse(mail(_PATTERN_MAIL.format(colleague="Eva Sten")), MEETINGS)
    assert {p.name: p.email for p in parsed.people if p.name != "Anna Andersson"} == {
        "Per Lund": "per.lund@ludvika.se",
        "Eva Sten": "eva.sten@ludvika.se",
    }
    assert not any("adress" in r.lower() for r in parsed.review_reasons)


def test_a_name_with_diacritics_is_not_spelled_from_the_pattern():
    parsed = parse(mail(_PATTERN_MAIL.format(colleague="Åsa Öberg")), MEETINGS)
    assert parsed.needs_review
    assert "E-postadress saknas för Åsa Öberg" in parsed.review_reasons


def test_a_pattern_at_another_domain_is_not_used():
    raw = mail(_PATTERN_MAIL.format(colleague="Eva Sten").replace("@ludvika.se", "@smedjebacken.se"))
    parsed = parse(raw, MEETINGS)
    assert parsed.needs_review
