"""Kinds of changes and doubt the third blind batch found, each in other words than the case that showed
it: a question about how to sign up, a capital after "anmäla" that is no name, "anmäler vi tre personer",
a colleague who "tar min plats"."""

from __future__ import annotations

from parserkit import MEETINGS, mail

from parsers import parse


def test_a_question_on_how_to_sign_up_signs_nobody_up():
    raw = mail(
        "Hej! Behöver vi anmäla oss till samtliga träffar redan nu, eller går det att lägga till folk "
        "efter hand? Ska man ändra i anmälan själv?\n\nHälsningar\nAnna Andersson\nLudvika kommun\n",
        subject="Undrar över anmälan",
    )
    parsed = parse(raw, MEETINGS)
    assert parsed.intent == "question"
    assert parsed.people == []


def test_a_lower_case_word_after_the_verb_is_no_name():
    raw = mail(
        "Hej, gäller inbjudan också regionens bolag? Och kan man anmäla till en träff i taget?\n\n"
        "/Anna Andersson, Ludvika kommun\n",
        subject="Fråga",
    )
    assert parse(raw, MEETINGS).intent == "question"


def test_the_verb_before_its_subject_still_signs_up():
    raw = mail(
        "Hej,\n\nFrån Ludvika anmäler vi två personer: Per Holm, per.holm@ludvika.se, och "
        "Eva Sten, eva.sten@ludvika.se. Ingen av dem har några allergier.\n\n"
        "Jag kommer inte själv.\n\n/Anna Andersson\nLudvika kommun\n"
    )
    parsed = parse(raw, MEETINGS)
    assert parsed.intent == "signup"
    assert [p.email for p in parsed.people] == ["per.holm@ludvika.se", "eva.sten@ludvika.se"]


def test_a_colleague_who_takes_my_place_is_a_substitute():
    raw = mail(
        "Hej!\n\nTyvärr kan jag inte fortsätta i projektet eftersom jag byter tjänst i oktober. "
        "Min kollega Per Holm, per.holm@ludvika.se, tar min plats från och med nu. Han äter inte fläsk.\n\n"
        "Med vänlig hälsning\nAnna Andersson\nPlanarkitekt\nLudvika kommun\n",
        subject="Deltagare från Ludvika",
    )
    parsed = parse(raw, MEETINGS)
    assert parsed.intent == "substitute"
    assert [(p.email, p.diet, p.replaces) for p in parsed.people] == [
        ("per.holm@ludvika.se", ["pork"], "anna.andersson@ludvika.se")
    ]


def test_instead_i_sign_up_my_colleague_is_a_substitute():
    raw = mail(
        "Hej, jag måste avanmäla mig från alla träffar. I stället anmäler jag min medarbetare "
        "Per Holm, per.holm@ludvika.se.\n\n/Anna Andersson\nLudvika kommun\n",
        subject="Ändring",
    )
    parsed = parse(raw, MEETINGS)
    assert parsed.intent == "substitute"
    assert [(p.email, p.replaces) for p in parsed.people] == [
        ("per.holm@ludvika.se", "anna.andersson@ludvika.se")
    ]


def test_a_withdrawal_for_a_season_names_that_seasons_meetings():
    raw = mail(
        "Hej,\n\nJag måste avanmäla mig för hela hösten, jag är tjänstledig. Vårens träff hoppas jag "
        "kunna vara med på.\n\n/Anna Andersson\nLudvika kommun\n",
        subject="Avanmälan",
    )
    parsed = parse(raw, MEETINGS)
    assert parsed.intent == "cancel"
    assert [(p.email, p.meetings) for p in parsed.people] == [("anna.andersson@ludvika.se", [1, 2, 3])]


def test_christmas_is_no_meeting_in_july():
    raw = mail(
        "Hej! Tyvärr kan jag inte komma på träff 2. Vi har fullt upp med budgeten ända fram till jul.\n\n"
        "/Anna Andersson\nLudvika kommun\n",
        subject="Återbud",
    )
    parsed = parse(raw, MEETINGS)
    assert parsed.intent == "cancel"
    assert [p.meetings for p in parsed.people] == [[2]]
    assert not parsed.needs_review


def test_an_offer_with_its_alternative_waits_for_the_answer():
    raw = mail(
        "Hej!\n\nVår förvaltningschef Per Holm vill gärna följa träff 3. Får vi vara fler än tre från samma "
        "kommun? Ifall ni kan göra ett undantag anmäler jag honom, annars stannar han hemma.\n\n"
        "/Anna Andersson\nLudvika kommun\n",
        subject="Antal deltagare",
    )
    parsed = parse(raw, MEETINGS)
    assert parsed.intent == "question"
    assert parsed.people == []


def test_a_sign_up_verb_negated_before_it_signs_nobody_up():
    raw = mail(
        "Hej, vi har ännu inte anmält oss eftersom vi inte vet om vi hinner. Går träffarna att följa på "
        "distans? Om de gör det är jag gärna med, annars får vi hoppa över i år.\n\n/Anna Andersson\n"
        "Ludvika kommun\n",
        subject="Distans?",
    )
    assert parse(raw, MEETINGS).intent == "question"


def test_thanks_for_the_invitation_and_i_will_come_signs_up():
    raw = mail(
        "Tack så mycket för inbjudan! Vi kommer gärna.\n\nAnna Andersson\nLudvika kommun\n",
        subject="SV: Inbjudan till lärprojekt",
    )
    parsed = parse(raw, MEETINGS)
    assert parsed.intent == "signup"
    assert [(p.email, p.meetings) for p in parsed.people] == [("anna.andersson@ludvika.se", None)]


def test_the_successor_writing_himself_replaces_the_one_whose_post_he_took():
    raw = mail(
        "Hej!\n\nSedan 1 oktober har jag tagit över Eva Stens tjänst som planarkitekt. Efter samtal med Eva "
        "och vår chef Olle Berg tar jag nu även över hennes plats i lärprojektet från och med decemberträffen. "
        "Jag är vegetarian.\n\nHälsningar\nPer Holm\nPlanarkitekt\nLudvika kommun\n",
        sender="Holm Per <Per.Holm@ludvika.se>",
        subject="Ny deltagare",
        headers={"Cc": "Sten Eva <Eva.Sten@ludvika.se>, Berg Olle <Olle.Berg@ludvika.se>"},
    )
    parsed = parse(raw, MEETINGS)
    assert parsed.intent == "substitute"
    assert [(p.email, p.meetings, p.diet, p.replaces) for p in parsed.people] == [
        ("per.holm@ludvika.se", [3, 4], ["vegetarian"], "eva.sten@ludvika.se")
    ]


def test_asked_to_go_in_a_colleagues_stead_who_returns_later():
    raw = mail(
        "Hej!\n\nPer Holm har fått förkylning och har bett mig gå i hans ställe på träffen den 12 september. "
        "Han räknar med att vara tillbaka till oktoberträffen.\n\nJag är vegan.\n\n"
        "Hälsningar\nAnna Andersson\nPlanarkitekt\nLudvika kommun\n",
        subject="Ersättare",
        headers={"Cc": "Holm Per <Per.Holm@ludvika.se>"},
    )
    parsed = parse(raw, MEETINGS)
    assert parsed.intent == "substitute"
    assert [(p.email, p.meetings, p.diet, p.replaces) for p in parsed.people] == [
        ("anna.andersson@ludvika.se", [1], ["vegan"], "per.holm@ludvika.se")
    ]
    assert not parsed.needs_review


def test_talking_of_someone_in_her_stead_later_is_no_substitution():
    raw = mail(
        "Hej! Eva Sten slutar hos oss i september, så stryk henne från alla träffar. Vi har diskuterat att "
        "skicka någon i Evas ställe längre fram.\n\n/Anna Andersson\nLudvika kommun\n",
        subject="Ändring",
        headers={"Cc": "Sten Eva <Eva.Sten@ludvika.se>"},
    )
    parsed = parse(raw, MEETINGS)
    assert parsed.intent == "cancel"
    assert [p.email for p in parsed.people] == ["eva.sten@ludvika.se"]


def test_one_of_a_group_leaves_the_others_stay():
    raw = mail(
        "Hej,\n\nEn ändring för Ludvika: Eva Sten, vår planarkitekt, har fått en ny tjänst i Falun och slutar "
        "hos oss den sista oktober. Hon ska därför inte vara med på någon av träffarna, inte heller den i "
        "december.\n\nPer Holm och jag kommer som planerat.\n\n/Anna Andersson\nLudvika kommun\n",
        subject="Ändring i anmälan",
        headers={"Cc": "Sten Eva <Eva.Sten@ludvika.se>"},
    )
    parsed = parse(raw, MEETINGS)
    assert parsed.intent == "cancel"
    assert [(p.email, p.meetings or [1, 2, 3, 4]) for p in parsed.people] == [
        ("eva.sten@ludvika.se", [1, 2, 3, 4])
    ]
    assert not parsed.needs_review


def test_a_hard_wrapped_sentence_opening_with_a_name_and_title_is_no_list_row():
    raw = mail(
        "Hej,\n\nEva Sten, vår exploateringsingenjör, går i pension och slutar\n"
        "hos oss den 15 november. Stryk henne därför från\ndeltagarlistan.\n\n/Anna Andersson\nLudvika kommun\n",
        subject="Avanmälan",
        headers={"Cc": "Sten Eva <Eva.Sten@ludvika.se>"},
    )
    parsed = parse(raw, MEETINGS)
    assert parsed.intent == "cancel"
    assert [p.email for p in parsed.people] == ["eva.sten@ludvika.se"]
    assert not parsed.needs_review


def test_a_colleague_named_as_unchanged_is_not_updated():
    raw = mail(
        "Hej!\n\nJag har blivit vegan sedan jag anmälde mig, så jag vill ändra min kost till vegansk.\n\n"
        "Min kollega Per Holm, som också är anmäld, har ingen ändring.\n\n/Anna Andersson\nLudvika kommun\n",
        subject="Ändrad kost",
    )
    parsed = parse(raw, MEETINGS)
    assert parsed.intent == "update"
    assert [(p.email, p.diet) for p in parsed.people] == [("anna.andersson@ludvika.se", ["vegan"])]


def test_a_corrected_address_for_a_colleague_keeps_the_right_one():
    raw = mail(
        "Hej!\n\nDet blev fel i adressen till min kollega Per Holmberg i vår anmälan. Där står "
        "per.holmber@ludvika.se, men rätt adress är per.holmberg@ludvika.se.\n\n/Anna Andersson\nLudvika kommun\n",
        subject="Fel adress",
    )
    parsed = parse(raw, MEETINGS)
    assert parsed.intent == "update"
    assert [(p.name, p.email) for p in parsed.people] == [("Per Holmberg", "per.holmberg@ludvika.se")]
    assert not parsed.needs_review


def test_swapping_one_meeting_for_another_is_an_update():
    raw = mail(
        "Hej!\n\nKan jag byta datum? Jag kan inte komma på träff 1 men vill gärna vara med på träff 4 i "
        "stället. Träff 2 står kvar som tidigare.\n\n/Anna Andersson\nLudvika kommun\n"
        "\nDen 2024-08-01 kl. 09:00, skrev Anmälan Dalalab:\n> Vi har registrerat följande:\n"
        "> Namn: Anna Andersson\n> Träffar: 1 och 2\n",
        subject="SV: Bekräftelse på anmälan",
    )
    parsed = parse(raw, MEETINGS)
    assert parsed.intent == "update"
    assert [p.meetings for p in parsed.people] == [[2, 4]]


def test_a_meeting_as_a_point_in_time_is_no_unclear_meeting():
    raw = mail(
        "Hej!\n\nEfter träffen i Falun är jag sugen på mer. Kan ni lägga till mig även på träff 3?\n\n"
        "/Anna Andersson\nLudvika kommun\n"
        "\nDen 2024-08-01 kl. 09:00, skrev Anmälan Dalalab:\n> Vi har registrerat följande:\n"
        "> Namn: Anna Andersson\n> Träffar: 1 och 2\n",
        subject="SV: Bekräftelse på anmälan",
    )
    parsed = parse(raw, MEETINGS)
    assert parsed.intent == "update"
    assert [p.meetings for p in parsed.people] == [[1, 2, 3]]
    assert not parsed.needs_review
