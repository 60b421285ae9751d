"""Kinds of intent the blind corpus found (what the sender wants), each in other words than the case that
showed it: a substitution denied, a cancellation for a whole group and who it concerns, a sign-up verb
negated, a stand-in sent "i stället", an aside in brackets that is not a look back."""

from __future__ import annotations

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
