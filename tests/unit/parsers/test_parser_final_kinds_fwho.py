"""Kinds of replies, forwards and who-signs-up the final blind batch found, each in other words than the
case that showed it: answers written inline in a quoted confirmation, a colleague's own request forwarded
by someone at the organiser's own organisation, an update for the writer and a colleague at once, a
meeting dropped from a quoted registration, "är jag tillförordnad X"."""

from __future__ import annotations

from parserkit import MEETINGS, mail

from parsers import parse

_QUOTED_CONFIRMATION = (
    "Den 2024-08-01 kl. 09:00, skrev Anmälan Dalalab:\n"
    "> Hej Anna!\n>\n> Vi har registrerat följande:\n>\n"
    "> Namn: Anna Andersson\n> E-post: anna.andersson@ludvika.se\n> Träffar: 1, 2, 3 och 4\n"
)


def test_answers_written_between_quoted_lines_are_new_text():
    raw = mail(
        "Hej, se mina svar i texten.\n\n"
        + _QUOTED_CONFIRMATION
        + "\nDecemberträffen kan jag inte längre, stryk den. De andra stämmer.\n\n"
        "> Specialkost: –\n\nGlutenfri, tack.\n\n>\n> Med vänliga hälsningar\n> Dalalab\n\n"
        "/Anna\n\n-- \nAnna Andersson\nPlanarkitekt\nLudvika kommun\n",
        subject="Re: Bekräftelse på anmälan",
    )
    parsed = parse(raw, MEETINGS)
    assert parsed.intent == "update"
    assert [(p.name, p.meetings, p.diet) for p in parsed.people] == [
        ("Anna Andersson", [1, 2, 4], ["gluten"])
    ]
    assert not parsed.needs_review


def test_a_wrapped_tail_under_a_long_quoted_line_is_not_an_answer():
    raw = mail(
        "Tack!\n\nDen 2024-08-01 kl. 09:00, skrev Anmälan Dalalab:\n"
        "> Tack för din anmälan till Dalalabs lärprojekt om hållbara samhällen runt stora\n"
        "etableringar och expansion.\n> Träffar: 1 och 2\n",
        subject="Re: Bekräftelse på anmälan",
    )
    parsed = parse(raw, MEETINGS)
    assert "etableringar" not in parsed.new_text


def test_a_colleague_at_the_organisers_own_organisation_forwarded_signs_up():
    raw = mail(
        "Hej!\n\nVidarebefordrar från min kollega Per, han vill vara med.\n\n/Eva\n\n"
        "From: Lund Per <Per.Lund@regiondalarna.se>\nSent: Monday, August 5, 2024 9:00 AM\n"
        "To: Sten Eva <Eva.Sten@regiondalarna.se>\nSubject: Dalalab\n\n"
        "Hi Eva,\n\nCould you register me for the Dalalab meetings on 23 October and 3 December?\n"
        "I am vegetarian.\n\nThanks!\nPer Lund\nStrategist\nRegion Dalarna\n",
        sender="Sten Eva <Eva.Sten@regiondalarna.se>",
        subject="FW: Dalalab",
    )
    parsed = parse(raw, MEETINGS)
    assert parsed.intent == "signup"
    assert [(p.name, p.email, p.meetings, p.diet) for p in parsed.people] == [
        ("Per Lund", "per.lund@regiondalarna.se", [2, 3], ["vegetarian"])
    ]


def test_an_update_for_the_writer_and_a_colleague():
    raw = mail(
        "Hej!\n\nFör min del: jag kan tyvärr inte den 23 oktober längre. December och februari som planerat.\n\n"
        "Och min kollega Per Lund (per.lund@ludvika.se) har fått laktosfri kost ordinerad, kan ni notera det?\n\n"
        "Tack!\nAnna Andersson\nLudvika kommun\n\n"
        "Från: Anmälan Dalalab <anmalan.dalalab@regiondalarna.se>\nSkickat: den 1 augusti 2024 09:00\n"
        "Till: Anna Andersson <anna.andersson@ludvika.se>\nÄmne: Bekräftelse på anmälan\n\n"
        "Vi har registrerat följande:\n\nNamn: Anna Andersson\nTräffar: 1, 2, 3 och 4\n",
        subject="SV: Bekräftelse på anmälan",
    )
    parsed = parse(raw, MEETINGS)
    assert parsed.intent == "update"
    assert [(p.name, p.meetings, p.diet) for p in parsed.people] == [
        ("Anna Andersson", [1, 3, 4], None),
        ("Per Lund", None, ["lactose"]),
    ]


def test_an_acting_title_in_inverted_order_is_the_writers():
    raw = mail(
        "Hej!\n\nFrån 1 november är jag tillförordnad förvaltningschef, om det spelar roll. "
        "Jag anmäler mig till träff 3.\n\nHälsningar\nAnna Andersson\nLudvika kommun",
    )
    parsed = parse(raw, MEETINGS)
    assert [(p.name, p.role) for p in parsed.people] == [("Anna Andersson", "manager")]


def test_a_successor_takes_over_the_place_of_the_colleague_named_before():
    raw = mail(
        "Hej!\n\nEn förändring hos oss: Per Lund har slutat och hans adress per.lund@ludvika.se stängs snart. "
        "Eva Sten, vår nya planeringschef, tar över hans plats från och med träff 3. "
        "Eva står på kopia.\n\nHälsningar\nAnna Andersson\nLudvika kommun",
        subject="Byte av deltagare",
        headers={"Cc": "Eva Sten <eva.sten@ludvika.se>"},
    )
    parsed = parse(raw, MEETINGS)
    assert parsed.intent == "substitute"
    assert [(p.name, p.replaces) for p in parsed.people] == [("Eva Sten", "per.lund@ludvika.se")]
    assert not any("ersätt" in r or "inte används" in r for r in parsed.review_reasons)


def test_the_one_replaced_named_right_after_the_verb():
    raw = mail(
        "Hej!\n\nVår nya strateg Eva Sten, eva.sten@ludvika.se, efterträder Per Lund i lärprojektet "
        "från och med träff 2.\n\nHälsningar\nAnna Andersson\nLudvika kommun",
        subject="Ny deltagare",
    )
    parsed = parse(raw, MEETINGS)
    assert parsed.intent == "substitute"
    assert [(p.name, p.replaces) for p in parsed.people] == [("Eva Sten", "Per Lund")]


def test_a_registrys_receipt_without_headers_is_an_automatic_answer():
    raw = mail(
        "Tack för ditt e-postmeddelande.\n\nDitt meddelande har tagits emot och registreras. "
        "Detta är ett automatiskt mottagningsbevis.\n\nKommunen\nRegistraturen\n",
        sender="Kommunen – Registratur <noreply@ludvika.se>",
        subject="Mottagningsbevis: Påminnelse",
    )
    assert parse(raw, MEETINGS).intent == "auto_reply"


def test_a_person_who_says_the_mail_came_in_is_not_a_receipt():
    raw = mail(
        "Hej!\n\nJag anmäler mig till träff 1. Min kollega sa att ert mejl har kommit in till registraturen.\n\n"
        "Hälsningar\nAnna Andersson\nLudvika kommun",
    )
    assert parse(raw, MEETINGS).intent == "signup"


def test_adding_the_missing_meeting_completes_the_registration_without_review():
    raw = mail(
        "Hej igen\n\nMötet flyttades, så jag kan komma på träff 2 den 23 oktober ändå. "
        "Lägg gärna till den, då är jag med på alla fyra.\n\n"
        "Anna Andersson (C)\nKommunalråd\nLudvika kommun\n\n"
        + _QUOTED_CONFIRMATION.replace("1, 2, 3", "1, 3"),
        subject="Re: Bekräftelse på anmälan",
    )
    parsed = parse(raw, MEETINGS)
    assert parsed.intent == "update"
    assert [(p.name, p.role, p.meetings) for p in parsed.people] == [
        ("Anna Andersson", "politician", [1, 2, 3, 4])
    ]
    assert not parsed.needs_review


def test_an_assistant_who_says_she_does_not_take_part_herself_is_not_signed_up():
    raw = mail(
        "Hej!\n\nJag anmäler följande två personer:\n\nNamn\tTitel\tE-post\n"
        "Per Lund\tPlanchef\tper.lund@ludvika.se\nEva Sten\tPlanarkitekt\teva.sten@ludvika.se\n\n"
        "Jag deltar inte själv, men ha gärna med mig på kopia vid utskick.\n\n"
        "Med vänlig hälsning\nAnna Andersson\nAssistent\nLudvika kommun",
    )
    parsed = parse(raw, MEETINGS)
    assert [p.name for p in parsed.people] == ["Per Lund", "Eva Sten"]


def test_a_deputy_chair_states_the_title_in_the_text():
    raw = mail(
        "Hej!\n\nJag vill anmäla mig till lärprojektet. Jag är 1:e vice ordförande i kommunstyrelsen.\n\n"
        "Hälsningar\nAnna Andersson\nLudvika kommun",
    )
    assert [(p.name, p.role) for p in parse(raw, MEETINGS).people] == [("Anna Andersson", "politician")]


def test_a_forwarded_colleague_registered_already_explains_the_forwarders_own_sign_up():
    raw = mail(
        "Hej\n\nSkickar vidare det Per skrev. Jag vill också vara med, men bara på träff 3. "
        "Skriv upp mig med jobbadressen anna.andersson@ludvika.se.\n\nMvh Anna Andersson\n"
        "Kommunalråd, Ludvika\n\n---------- Vidarebefordrat meddelande ---------\n"
        "Från: Per Lund <per.lund@ludvika.se>\nDate: tis 20 aug. 2024 kl 14:31\nSubject: Dalalab\n"
        "To: Anna Andersson <anna.andersson@ludvika.se>\n\n\nHej Anna!\n\n"
        "Nu har jag anmält mig till Dalalabs lärprojekt. Vill du följa med är det bara att mejla dem.\n\n/Per\n",
        sender="Anna Andersson <anna.andersson.privat@gmail.com>",
        subject="Fwd: Dalalab",
    )
    parsed = parse(raw, MEETINGS)
    assert parsed.intent == "signup"
    assert [(p.name, p.email, p.meetings) for p in parsed.people] == [
        ("Anna Andersson", "anna.andersson@ludvika.se", [3])
    ]
