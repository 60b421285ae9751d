"""Kinds of intent the blind corpus found (what the sender wants), each in other words than the case that
showed it: a substitution denied, a cancellation for a whole group and who it concerns, a sign-up verb
negated, a stand-in sent "i stället", an aside in brackets that is not a look back."""

from __future__ import annotations

import pytest
from parserkit import MEETINGS, mail

from parsers import parse
from parsers.clause_role import is_request


def test_a_cancellation_followed_by_whom_it_concerns():
    raw = mail(
        "Hej,\n\nTräff 3 krockar med budgetarbetet, så ingen från oss kan komma då. "
        "Det gäller mig, Per Lund och Eva Sten.\n\nHälsningar\nAnna Andersson\nLudvika kommun",
        subject="Träff 3",
    )
    parsed = parse(raw, MEETINGS)
    assert parsed.intent == "cancel"
    assert [(p.name, p.meetings) for p in parsed.people] == [
        ("Anna Andersson", [3]),
        ("Per Lund", [3]),
        ("Eva Sten", [3]),
    ]
    assert not parsed.needs_review


def test_the_writer_who_is_prevented_is_the_one_replaced():
    raw = mail(
        "Hej,\n\nJag har fått förhinder på träff 2 (ett möte som inte gick att flytta). "
        "I stället kommer min kollega Per Lund, planarkitekt, per.lund@ludvika.se.\n\n"
        "Mvh\nAnna Andersson\nLudvika kommun",
        subject="Byte",
    )
    parsed = parse(raw, MEETINGS)
    assert parsed.intent == "substitute"
    assert [(p.name, p.meetings, p.replaces) for p in parsed.people] == [
        ("Per Lund", [2], "anna.andersson@ludvika.se")
    ]


def test_an_aside_in_brackets_does_not_make_a_clause_past():
    assert is_request("Jag kan inte på träff 2 (vi hade redan bokat en resa)")


_CONFIRMATION = (
    "\n\nDen 14 aug. 2024 kl. 10:05 skrev Anmälan Dalalab <anmalan.dalalab@regiondalarna.se>:\n"
    "> Hej Anna!\n> Vi har registrerat följande:\n> Namn: Anna Andersson\n"
    "> E-post: anna.andersson@ludvika.se\n> Träffar: 1 och 2\n> Specialkost: glutenfri\n"
)


@pytest.mark.parametrize(
    ("body", "want"),
    [
        # a plain statement of what changes, the quoted confirmation is the registration it changes
        ("Jag kan följa med den 3 december också 🙂 Och jag äter numera veganskt.", ([1, 2, 3], ["vegan"])),
        # "I would like to join … as well" adds to the writer's registration, not a second sign-up
        (
            "I would like to join the December meeting as well. I still can't make it in February.",
            ([1, 2, 3], None),
        ),
    ],
)
def test_a_reply_to_our_confirmation_changes_the_registration(body, want):
    raw = mail(
        f"Hej!\n\n{body}\n\nHälsningar\nAnna Andersson\nLudvika kommun{_CONFIRMATION}", subject="Re: Dalalab"
    )
    parsed = parse(raw, MEETINGS)
    assert parsed.intent == "update"
    assert [(p.name, p.meetings, p.diet) for p in parsed.people] == [("Anna Andersson", *want)]
    assert not parsed.needs_review


def test_a_reply_to_our_confirmation_that_brings_a_colleague_signs_the_colleague_up():
    body = "Jag vill också anmäla min kollega Per Lund, planarkitekt, per.lund@ludvika.se."
    raw = mail(
        f"Hej!\n\n{body}\n\nHälsningar\nAnna Andersson\nLudvika kommun{_CONFIRMATION}", subject="Re: Dalalab"
    )
    assert parse(raw, MEETINGS).intent == "signup"


def test_a_successor_from_a_month_with_food_needs_passed_on():
    raw = mail(
        "Hej!\n\nJag slutar vid månadsskiftet. Min efterträdare Per Lund, planarkitekt, tar över min plats "
        "från och med träffen i december. Hans adress blir per.lund@ludvika.se. "
        "Han bad mig hälsa att han är vegetarian.\n\nHälsningar\nAnna Andersson\nLudvika kommun"
        f"{_CONFIRMATION}",
        subject="Re: Bekräftelse",
    )
    parsed = parse(raw, MEETINGS)
    assert parsed.intent == "substitute"
    assert [(p.name, p.meetings, p.diet, p.replaces) for p in parsed.people] == [
        ("Per Lund", [3, 4], ["vegetarian"], "anna.andersson@ludvika.se")
    ]
    assert not parsed.needs_review


def test_people_named_in_passing_are_no_participants():
    raw = mail(
        "Hej!\n\nJag vill anmäla mig och min kollega Per Lund, per.lund@ludvika.se, till lärprojektet. "
        "Min chef Eva Sten föreslog att vi skulle delta. Per och jag har inga särskilda önskemål om maten.\n\n"
        "Vår förvaltningschef Lars Ek står på kopia för kännedom, men han deltar inte själv.\n\n"
        "Hälsningar\nAnna Andersson\nLudvika kommun",
        headers={"Cc": "Lars Ek <lars.ek@ludvika.se>"},
    )
    parsed = parse(raw, MEETINGS)
    assert parsed.intent == "signup"
    assert [(p.name, p.diet) for p in parsed.people] == [("Anna Andersson", []), ("Per Lund", [])]
    assert not parsed.needs_review


def test_a_correction_of_the_record_with_a_colleague_who_is_not_registered():
    raw = mail(
        "Hej!\n\nEn rättelse: det står att jag äter glutenfritt, men det är min kollega Per Lund som inte tål "
        "gluten, inte jag. Jag har inga allergier alls. Per är inte anmäld, han funderar fortfarande.\n\n"
        f"Hälsningar\nAnna Andersson\nLudvika kommun{_CONFIRMATION}",
        subject="SV: Bekräftelse på anmälan",
    )
    parsed = parse(raw, MEETINGS)
    assert parsed.intent == "update"
    assert [(p.name, p.meetings, p.diet) for p in parsed.people] == [("Anna Andersson", None, [])]
    assert not parsed.needs_review


def test_a_weekday_that_sets_a_deadline_is_no_meeting():
    raw = mail(
        "Hej!\n\nKan du anmäla mig till lärprojektet innan fredag?\n\nHälsningar\nAnna Andersson\nLudvika kommun"
    )
    parsed = parse(raw, MEETINGS)
    assert parsed.intent == "signup"
    assert not parsed.needs_review


def test_a_reply_to_our_confirmation_that_adds_a_titled_colleague_is_no_update():
    body = "Vår planchef vill också vara med på alla träffar."
    raw = mail(
        f"Hej!\n\n{body}\n\nHälsningar\nAnna Andersson\nLudvika kommun{_CONFIRMATION}", subject="Re: Dalalab"
    )
    assert parse(raw, MEETINGS).intent != "update"


def test_a_reply_to_our_confirmation_that_names_a_meeting_without_a_change_is_flagged():
    body = "Tack för bekräftelsen. Ser fram emot träffen i september."
    raw = mail(
        f"Hej!\n\n{body}\n\nHälsningar\nAnna Andersson\nLudvika kommun{_CONFIRMATION}", subject="Re: Dalalab"
    )
    assert parse(raw, MEETINGS).needs_review


@pytest.mark.parametrize(
    ("meetings", "want", "flagged"),
    [
        # the reason for a meeting left out explains it
        ("träff 1, 3 och 4", [1, 3, 4], False),
        # the same reason beside a sign-up for every meeting contradicts it
        ("alla träffar", [1, 2, 3, 4], True),
    ],
)
def test_a_reason_for_staying_away_is_no_request(meetings, want, flagged):
    raw = mail(
        f"Hej!\n\nJag anmäler mig till {meetings}. Den 23 oktober har vi kommunfullmäktige.\n\n"
        "Hälsningar\nAnna Andersson\nLudvika kommun"
    )
    parsed = parse(raw, MEETINGS)
    assert [p.meetings for p in parsed.people] == [want]
    assert parsed.needs_review is flagged
