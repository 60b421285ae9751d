"""Kinds the sixth blind batch read wrong without a flag, each in other words than the case that showed it:
a head count the people found do not make up, a month declined without a verb of coming, a title given
in a relative clause, the writer cancelled beside a colleague, a person on leave who hands on their places,
a colleague passing our confirmation on, an earlier sign-up asked about, and a list announced by its verb."""

from __future__ import annotations

from parserkit import MEETINGS, mail

from parsers import parse

_SIGN_OFF = "\n\nMvh\nAnna Andersson\nPlanarkitekt\nLudvika kommun\n"
_CONFIRMATION = (
    "\n\nFrån: Dalalab anmälan <anmalan.dalalab@regiondalarna.se>\n"
    "Skickat: den 5 augusti 2024 10:00\nTill: Olle Berg <olle.berg@ludvika.se>\n"
    "Ämne: Bekräftelse på anmälan till Dalalab [DL-1001]\n\n"
    "Vi har registrerat följande:\n\nReferens: DL-1001\n\nDeltagare:\n"
    "  1. Anna Andersson <anna.andersson@ludvika.se>\n     Träffar: 1, 2, 3, 4\n"
)


def test_a_head_count_the_people_found_do_not_make_up_is_flagged():
    # the writer's manager is named as the one who asked, not as one of the two
    raw = mail(
        "Hej!\n\nPå uppdrag av vår förvaltningschef Lars Ek (lars.ek@ludvika.se) vill jag anmäla tre personer:\n"
        "- Eva Berg, eva.berg@ludvika.se\n- Karl Lind, karl.lind@ludvika.se" + _SIGN_OFF
    )
    parsed = parse(raw, MEETINGS)
    assert len(parsed.people) == 3 or parsed.needs_review


def test_the_cap_quoted_from_the_invitation_is_no_head_count():
    raw = mail(
        "Hej!\n\nEftersom varje kommun får anmäla högst tre personer anmäler jag bara mig själv just nu."
        + _SIGN_OFF
    )
    parsed = parse(raw, MEETINGS)
    assert [p.name for p in parsed.people] == ["Anna Andersson"]
    assert not any("antal" in r for r in parsed.review_reasons)


def test_a_month_declined_without_a_verb_of_coming_leaves_its_meeting_out():
    raw = mail("Hej!\n\nJag anmäler mig gärna, men jag kan tyvärr inte i december." + _SIGN_OFF)
    parsed = parse(raw, MEETINGS)
    assert [p.meetings for p in parsed.people] == [[1, 2, 4]]


def test_a_title_in_a_relative_clause_gives_the_role():
    raw = mail(
        "Hej,\n\nJag skriver för Olle Bergs räkning. Olle, som är plan- och byggchef här, vill avboka sin plats."
        + _CONFIRMATION.replace("Anna Andersson <anna.andersson", "Olle Berg <olle.berg"),
        subject="VB: Bekräftelse på anmälan till Dalalab [DL-1001]",
    )
    parsed = parse(raw, MEETINGS)
    assert parsed.intent == "cancel"
    assert [(p.name, p.role) for p in parsed.people] == [("Olle Berg", "manager")]


def test_the_writer_cancelled_beside_a_colleague_is_cancelled_too():
    raw = mail(
        "Hej,\n\nVi måste tyvärr avboka både för mig och för vår utredare Karl Lind (karl.lind@ludvika.se)."
        + _SIGN_OFF,
        subject="SV: Bekräftelse på anmälan till Dalalab [DL-1001]",
    )
    parsed = parse(raw, MEETINGS)
    assert parsed.intent == "cancel"
    assert [p.name for p in parsed.people] == ["Anna Andersson", "Karl Lind"]


def test_someone_on_leave_who_hands_on_their_places_writes_by_hand():
    raw = mail(
        "Hej\nJag är föräldraledig från 15 november så min kollega Eva Berg tar mina platser på träff 3 och 4. "
        "Hennes adress är eva.berg@ludvika.se.\n/Anna\n\nSkickat från min iPhone" + _CONFIRMATION,
        subject="Sv: Bekräftelse på anmälan till Dalalab [DL-1001]",
    )
    parsed = parse(raw, MEETINGS)
    assert parsed.intent == "substitute"
    assert [(p.name, p.meetings, p.replaces) for p in parsed.people] == [
        ("Eva Berg", [3, 4], "anna.andersson@ludvika.se")
    ]


def test_an_out_of_office_that_names_its_leave_is_still_an_automatic_answer():
    raw = mail(
        "Hej,\n\nJag är tjänstledig till och med 30 september och läser inte min e-post. Vid brådskande "
        "ärenden, kontakta växeln.",
        subject="SV: Inbjudan",
    )
    assert parse(raw, MEETINGS).intent == "auto_reply"


def test_a_colleague_passing_our_confirmation_on_is_not_the_one_who_writes():
    raw = mail(
        "Hej,\n\nOlle skickade bekräftelsen vidare till mig. Min adress är fel i den, rätt adress är "
        "anna.andersson@ludvika.se.\n\nMvh\nAnna Andersson\n\n"
        "Från: Olle Berg <olle.berg@ludvika.se>\nSkickat: den 6 augusti 2024 09:00\n"
        "Till: Anna Andersson <anna.andersson@ludvika.se>\nÄmne: VB: Bekräftelse\n\nSe nedan!\n/O"
        + _CONFIRMATION,
        sender="Anna Andersson <anna.andersson@ludvika.se>",
        subject="VB: VB: Bekräftelse på anmälan till Dalalab [DL-1001]",
    )
    parsed = parse(raw, MEETINGS)
    assert [p.name for p in parsed.people] == ["Anna Andersson"]


def test_asking_after_an_earlier_sign_up_is_a_question_whatever_the_subject():
    raw = mail(
        "Hej!\n\nJag har anmält mig för en tid sedan men inte hört något. Har anmälan kommit fram?"
        + _SIGN_OFF,
        subject="Min anmälan till Dalalab",
    )
    parsed = parse(raw, MEETINGS)
    assert parsed.intent == "question"
    assert parsed.people == []


def test_a_list_announced_by_its_verb_with_one_day_declined_signs_everyone_up():
    raw = mail(
        "Hej!\n\nFrån oss deltar följande två:\n\n1. Anna Andersson, planarkitekt\n"
        "2. Karl Lind, utredare, karl.lind@ludvika.se\n\nKarl kan inte komma den 23 oktober." + _SIGN_OFF,
        subject="SV: Påminnelse",
    )
    parsed = parse(raw, MEETINGS)
    assert parsed.intent == "signup"
    assert {p.name: p.meetings for p in parsed.people} == {"Anna Andersson": None, "Karl Lind": [1, 3, 4]}


def test_a_substitution_asked_about_for_some_later_day_is_no_substitution():
    raw = mail(
        "Hej!\n\nJag vill anmäla mig till alla träffar. Om jag skulle bli sjuk, kan då en kollega gå i mitt "
        "ställe?" + _SIGN_OFF
    )
    parsed = parse(raw, MEETINGS)
    assert parsed.intent == "signup"
    assert [p.name for p in parsed.people] == ["Anna Andersson"]


def test_a_sign_up_sent_to_a_colleague_instead_is_passed_on_as_a_sign_up():
    raw = mail(
        "Hej!\n\nOlle mejlade mig i stället för till er, så här kommer det.\n\nMvh\nAnna\n\n"
        "Från: Olle Berg <olle.berg@ludvika.se>\nSkickat: den 5 augusti 2024 08:00\n"
        "Till: Anna Andersson <anna.andersson@ludvika.se>\nÄmne: Dalalab\n\n"
        "Hej Anna, kan du förmedla min anmälan till Dalalab? Jag kan komma på träff 2. /Olle",
        subject="VB: Dalalab",
    )
    parsed = parse(raw, MEETINGS)
    assert parsed.intent == "signup"
    assert [(p.name, p.meetings) for p in parsed.people] == [("Olle Berg", [2])]


def test_a_place_given_up_in_the_passive_cancels_and_the_quoted_row_gives_the_address():
    raw = mail(
        "Hej,\n\nKarl Lind har fått en tjänst i en annan kommun. Hans plats kan alltså tas bort."
        + _SIGN_OFF
        + _CONFIRMATION
        + "  2. Karl Lind <karl.lind@ludvika.se>\n     Träffar: 1, 2, 3, 4\n",
        subject="SV: Bekräftelse på anmälan till Dalalab [DL-1001]",
    )
    parsed = parse(raw, MEETINGS)
    assert parsed.intent == "cancel"
    assert [(p.name, p.email) for p in parsed.people] == [("Karl Lind", "karl.lind@ludvika.se")]


def test_everyday_words_for_coming_along_sign_up_and_otherwise_everything_is_no_food_need():
    raw = mail("Hej!\n\nJag hänger gärna med på träff 2 och 4. Jag tål inte ägg, annars allt." + _SIGN_OFF)
    parsed = parse(raw, MEETINGS)
    assert parsed.intent == "signup"
    assert [(p.meetings, p.diet) for p in parsed.people] == [([2, 4], ["egg"])]


def test_following_something_with_interest_is_no_sign_up():
    raw = mail(
        "Hej!\n\nVi följer med stort intresse det ni gör. Blir träff 3 i Falun också?" + _SIGN_OFF,
        subject="Fråga",
    )
    assert parse(raw, MEETINGS).intent == "question"
