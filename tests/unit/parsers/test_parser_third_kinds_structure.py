"""Kinds of structure and several people the third blind batch found, each in other words than the case
that showed it: a list item whose dates are split at commas with an exception in brackets, answers under
quoted questions below a sign-off, flowed quoted lines, a title that belongs to the name after it, a season
picked by count."""

from __future__ import annotations

from parserkit import MEETINGS, mail

from parsers import parse
from parsers.mime import unflow


def test_a_list_item_with_several_date_cells_and_a_bracketed_exception_keeps_its_meetings():
    raw = mail(
        "Hej!\n\nVi anmäler:\n\n"
        "- Karin Sjöberg, planarkitekt – 23 oktober, 3 december, 4 februari (september är jag på semester)\n"
        "- Leo Falk, bygglovschef, leo.falk@ludvika.se – alla träffar\n\n"
        "Mvh\nKarin Sjöberg\nPlanarkitekt\nLudvika kommun\n",
        sender="Karin Sjöberg <karin.sjoberg@ludvika.se>",
    )
    parsed = parse(raw, MEETINGS)
    assert parsed.intent == "signup"
    people = {p.name: p.meetings for p in parsed.people}
    assert people["Karin Sjöberg"] == [2, 3, 4]
    assert people["Leo Falk"] in (None, [1, 2, 3, 4])
    assert not parsed.needs_review


def test_answers_under_quoted_questions_after_a_sign_off_are_read():
    raw = mail(
        "Hej, mina svar står under frågorna.\n\n/Anna\n\n"
        "Den 2024-08-02 kl. 10:00, skrev Per Holm <per.holm@regiondalarna.se>:\n"
        "> Hej Anna,\n>\n> Vem kommer från Ludvika?\n\n"
        "Jag och min kollega Olle Strand (olle.strand@ludvika.se).\n\n"
        "> Har ni några kostönskemål?\n\n"
        "Olle är vegan.\n\n>\n> Hälsningar\n> Per\n\n"
        "-- \nAnna Andersson\nPlanarkitekt\nLudvika kommun\n",
        subject="Re: Anmälan Ludvika",
    )
    parsed = parse(raw, MEETINGS)
    assert parsed.intent == "signup"
    assert [(p.name, p.diet) for p in parsed.people] == [
        ("Anna Andersson", None),
        ("Olle Strand", ["vegan"]),
    ]


def test_a_flowed_quoted_line_continues_without_its_quote_marks():
    text = "> Vi behöver veta vilka som \n> kommer.\n>> Äldre \n>> rad\nSvar\n"
    assert unflow(text) == "> Vi behöver veta vilka som kommer.\n>> Äldre rad\nSvar\n"


def test_a_title_before_the_next_name_is_that_persons_not_the_one_before():
    raw = mail(
        "Hej!\n\nVi som kommer är jag, Stina Berg (stina.berg@ludvika.se), och vår "
        "miljöstrateg Jonas Ek (jonas.ek@ludvika.se).\n\nHälsningar\nStina Berg\nKommundirektör\nLudvika kommun\n",
        sender="Stina Berg <stina.berg@ludvika.se>",
    )
    parsed = parse(raw, MEETINGS)
    assert {p.name: p.role for p in parsed.people} == {"Stina Berg": "manager", "Jonas Ek": "officer"}


def test_some_meetings_picked_by_season_without_a_meeting_noun_are_flagged():
    raw = mail(
        "Hej!\n\nJag anmäler mig och min kollega Eva Lund (eva.lund@ludvika.se). "
        "Eva kommer på allt, jag bara på de två i vår.\n\nMvh\nAnna Andersson\nLudvika kommun\n",
    )
    parsed = parse(raw, MEETINGS)
    assert parsed.needs_review
    assert any("vår" in r for r in parsed.review_reasons)


def test_a_count_of_autumn_meetings_leaves_out_december_which_is_also_winter():
    raw = mail(
        "Hej!\n\nJag anmäler mig och min kollega Eva Lund (eva.lund@ludvika.se). "
        "Eva kommer på allt, jag bara på de två i höst.\n\nMvh\nAnna Andersson\nLudvika kommun\n",
    )
    parsed = parse(raw, MEETINGS)
    assert {p.name: p.meetings for p in parsed.people} == {"Anna Andersson": [1, 2], "Eva Lund": None}
    assert not parsed.needs_review


def test_nobody_from_a_longer_group_can_come_cancels_everyone_the_next_sentence_names_from_cc():
    raw = mail(
        "Ingen av oss på förvaltningen här kan komma den 23 oktober, vi har revision då. "
        "Det gäller mig och Klara och Emil.\n\nHälsningar\nAnna Andersson\nLudvika kommun\n",
        subject="Träff 2",
        headers={"Cc": "Vik Klara <Klara.Vik@ludvika.se>, Nord Emil <Emil.Nord@ludvika.se>"},
    )
    parsed = parse(raw, MEETINGS)
    assert parsed.intent == "cancel"
    assert [(p.name, p.email, p.meetings) for p in parsed.people] == [
        ("Anna Andersson", "anna.andersson@ludvika.se", [2]),
        ("Klara Vik", "klara.vik@ludvika.se", [2]),
        ("Emil Nord", "emil.nord@ludvika.se", [2]),
    ]


def test_a_reason_after_a_comma_does_not_make_the_meeting_before_it_declined():
    raw = mail(
        "Hej!\n\nJag anmäler mig och Olle Strand (olle.strand@ludvika.se). Olle kommer bara på tredje "
        "träffen, han är föräldraledig resten av året.\n\nMvh\nAnna Andersson\nLudvika kommun\n",
    )
    parsed = parse(raw, MEETINGS)
    assert {p.name: p.meetings for p in parsed.people} == {"Anna Andersson": None, "Olle Strand": [3]}
    assert not parsed.needs_review


def test_today_as_the_day_to_send_a_forwarded_request_is_no_meeting_date():
    raw = mail(
        "Hej!\n\nKan du skicka min anmälan till Dalalab idag? Jag kommer på alla träffar.\n\n"
        "Mvh\nAnna Andersson\nLudvika kommun\n",
    )
    parsed = parse(raw, MEETINGS)
    assert parsed.intent == "signup"
    assert not any("idag" in r for r in parsed.review_reasons)


def test_a_registration_that_did_not_happen_in_a_month_names_no_meeting():
    raw = mail(
        "Hej!\n\nVi hann inte anmäla oss i juni, men nu vill jag anmäla mig till alla träffar.\n\n"
        "Mvh\nAnna Andersson\nLudvika kommun\n",
    )
    parsed = parse(raw, MEETINGS)
    assert parsed.intent == "signup"
    assert [p.name for p in parsed.people] == ["Anna Andersson"]
    assert not parsed.needs_review


def test_a_list_under_a_cancelling_line_cancels_everyone_listed_the_writers_own_row_too():
    raw = mail(
        "Hej,\n\nVi har tyvärr fått ändrade uppdrag. Dessa avanmäls från träff 4:\n\n"
        "- Anna Andersson (mig själv)\n- Karl Berg, planeringschef, karl.berg@ludvika.se\n\n"
        "Hälsningar\nAnna Andersson\nLudvika kommun\n",
        subject="Avanmälan",
    )
    parsed = parse(raw, MEETINGS)
    assert parsed.intent == "cancel"
    assert [(p.name, p.email, p.meetings) for p in parsed.people] == [
        ("Anna Andersson", "anna.andersson@ludvika.se", [4]),
        ("Karl Berg", "karl.berg@ludvika.se", [4]),
    ]
    assert not parsed.needs_review


def test_first_names_after_samt_are_completed_from_cc():
    raw = mail(
        "Hej!\n\nVi anmäler oss till alla träffar: jag samt Ida och Max, som står på kopia.\n\n"
        "Mvh\nAnna Andersson\nLudvika kommun\n",
        headers={"Cc": "Holm Ida <Ida.Holm@ludvika.se>, Lind Max <Max.Lind@ludvika.se>"},
    )
    parsed = parse(raw, MEETINGS)
    assert parsed.intent == "signup"
    assert [(p.name, p.email) for p in parsed.people] == [
        ("Anna Andersson", "anna.andersson@ludvika.se"),
        ("Ida Holm", "ida.holm@ludvika.se"),
        ("Max Lind", "max.lind@ludvika.se"),
    ]


def test_a_table_of_changes_with_a_reason_for_a_missed_meeting_is_an_update_for_every_row():
    raw = mail(
        "Hej!\n\nHär kommer några ändringar för oss (tom ruta = oförändrat):\n\n"
        "Namn\tE-post\tTräffar\tKost\n"
        "Anna Andersson\tanna.andersson@ludvika.se\t1, 2, 3\n"
        "Per Lund\tper.lund@ludvika.se\t\tlaktosfri\n\n"
        "Jag kan inte komma den 4 februari, och Per har blivit laktosintolerant.\n\n"
        "Mvh\nAnna Andersson\nLudvika kommun\n",
        subject="Ändringar Ludvika",
    )
    parsed = parse(raw, MEETINGS)
    assert parsed.intent == "update"
    assert [(p.name, p.meetings, p.diet) for p in parsed.people] == [
        ("Anna Andersson", [1, 2, 3], None),
        ("Per Lund", None, ["lactose"]),
    ]


def test_a_person_segment_with_its_own_verb_does_not_share_the_next_persons_meetings():
    raw = mail(
        "Hej!\n\nVi anmäler oss: jag, Per Lund (per.lund@ludvika.se) och Eva Ek (eva.ek@ludvika.se). "
        "Per har nötallergi och Eva kommer bara på träff 2.\n\nMvh\nAnna Andersson\nLudvika kommun\n",
    )
    parsed = parse(raw, MEETINGS)
    people = {p.name: (p.meetings, p.diet) for p in parsed.people}
    assert people["Per Lund"] == (None, ["nuts"])
    assert people["Eva Ek"] == ([2], None)


def test_two_substitutes_each_take_the_place_their_own_sentence_names():
    raw = mail(
        "Hej!\n\nVarken jag eller min kollega Björn Sten (bjorn.sten@ludvika.se) kan delta på träff 3.\n\n"
        "I Björns ställe kommer Greta Ahl, miljöstrateg, greta.ahl@ludvika.se.\n"
        "I mitt ställe kommer Ivar Lund, planarkitekt, ivar.lund@ludvika.se.\n\n"
        "Mvh\nAnna Andersson\nLudvika kommun\n",
        subject="Byte av deltagare",
    )
    parsed = parse(raw, MEETINGS)
    assert parsed.intent == "substitute"
    assert [(p.name, p.replaces, p.meetings) for p in parsed.people] == [
        ("Greta Ahl", "bjorn.sten@ludvika.se", [3]),
        ("Ivar Lund", "anna.andersson@ludvika.se", [3]),
    ]
    assert not parsed.needs_review


def test_meetings_left_to_see_about_later_are_not_asked_for():
    raw = mail(
        "Hej!\n\nJag anmäler mig och Per Lund (per.lund@ludvika.se). Vi kommer på träff 2 och 3, "
        "sen får vi se hur det blir med februari.\n\nMvh\nAnna Andersson\nLudvika kommun\n",
    )
    parsed = parse(raw, MEETINGS)
    assert [(p.name, p.meetings) for p in parsed.people] == [("Anna Andersson", [2, 3]), ("Per Lund", [2, 3])]
    assert not parsed.needs_review


def test_food_needs_for_colleagues_the_quoted_confirmation_names_update_them_by_first_name():
    raw = mail(
        "Hej!\n\nSara äter glutenfritt och Nils är vegan. Själv är jag allergisk mot fisk.\n\n"
        "/Anna\n\n"
        "Den 2024-08-20 kl. 10:00, skrev Anmälan Dalalab <anmalan.dalalab@regiondalarna.se>:\n"
        "> Hej Anna!\n>\n> Vi har registrerat Anna Andersson, Sara Berg och Nils Ek från Ludvika.\n"
        "> Har någon av er behov av specialkost?\n",
        subject="Re: Bekräftelse på anmälan",
    )
    parsed = parse(raw, MEETINGS)
    assert parsed.intent == "update"
    assert sorted((p.name, p.diet) for p in parsed.people) == [
        ("Anna Andersson", ["fish"]),
        ("Nils Ek", ["vegan"]),
        ("Sara Berg", ["gluten"]),
    ]
    assert not parsed.needs_review


def test_the_other_three_that_suit_are_the_meetings_not_named_as_a_clash():
    raw = mail(
        "Hej!\n\nJag vill anmäla mig. Den 23 oktober har vi budgetmöte, så den missar jag, "
        "men de andra tre passar bra.\n\nMvh\nAnna Andersson\nLudvika kommun\n",
    )
    parsed = parse(raw, MEETINGS)
    assert [(p.name, p.meetings) for p in parsed.people] == [("Anna Andersson", [1, 3, 4])]
    assert not parsed.needs_review


def test_a_forwarders_title_for_the_author_without_a_name_gives_the_authors_role():
    raw = mail(
        "Hej,\n\nSkickar vidare nedan från vår samhällsbyggnadschef.\n\nHälsningar\nEva Sten\n"
        "Assistent\nLudvika kommun\n\n"
        "Från: Berg Olof <Olof.Berg@ludvika.se>\nSkickat: den 5 augusti 2024 08:00\n"
        "Till: Sten Eva <Eva.Sten@ludvika.se>\nÄmne: Dalalab\n\n"
        "Eva, kan du anmäla mig till Dalalabs lärprojekt? Alla fyra träffarna.\n\nOlof\n",
        sender="Sten Eva <Eva.Sten@ludvika.se>",
        subject="VB: Dalalab",
    )
    parsed = parse(raw, MEETINGS)
    assert parsed.intent == "signup"
    assert [(p.name, p.email, p.role) for p in parsed.people] == [
        ("Olof Berg", "olof.berg@ludvika.se", "manager")
    ]


def test_a_forwarded_request_to_go_in_the_authors_stead_leaves_the_forwarders_own_sign_up():
    raw = mail(
        "Hej!\n\nMin chef vill att jag tar det här, så jag anmäler mig till alla träffar. "
        "Jag är vegetarian.\n\nMvh\nAnna Andersson\nPlanarkitekt\nLudvika kommun\n\n"
        "Från: Holm Bo <Bo.Holm@ludvika.se>\nSkickat: den 12 augusti 2024 09:00\n"
        "Till: Andersson Anna <Anna.Andersson@ludvika.se>\nÄmne: VB: Inbjudan Dalalab\n\n"
        "Anna, kan du gå på det här i stället? Jag har inte tid i höst.\n\n/Bo\n",
        subject="VB: VB: Inbjudan Dalalab",
    )
    parsed = parse(raw, MEETINGS)
    assert parsed.intent == "signup"
    assert [(p.name, p.email, p.diet) for p in parsed.people] == [
        ("Anna Andersson", "anna.andersson@ludvika.se", ["vegetarian"])
    ]
