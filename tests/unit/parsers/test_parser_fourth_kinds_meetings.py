"""Kinds of meetings, food and people the fourth blind batch found, each in other words than the case that
showed it: away at another event on a meeting's date, "the rest of the project" cancelled, one meeting
swapped for another in a reply to our confirmation, "äter det mesta", someone named who has no chance to
take part, and someone who "hör av sig" later."""

from __future__ import annotations

from parserkit import MEETINGS, mail

from parsers import parse


def _sent_on(raw: bytes, date: str) -> bytes:
    """The message as if sent on another day (the sign-up kit dates every message in August)."""
    old = b"Date: Mon, 05 Aug 2024 08:47:13 +0200"
    assert old in raw
    return raw.replace(old, b"Date: " + date.encode())


def test_away_at_another_event_on_a_date_declines_that_meeting():
    raw = mail(
        "Hello,\n\nI want to sign up for the learning project. I will join the second, third and fourth "
        "meetings; on 12 September I will be at a workshop in Gothenburg.\n\n"
        "Kind regards\nAnna Andersson\nLudvika kommun\n",
    )
    parsed = parse(raw, MEETINGS)
    assert parsed.intent == "signup"
    assert [p.meetings for p in parsed.people] == [[2, 3, 4]]
    assert not parsed.needs_review, parsed.review_reasons


def test_away_at_a_course_in_swedish_word_order_declines_that_meeting():
    raw = mail(
        "Hej!\n\nJag anmäler mig till lärprojektet. Den 4 februari är jag på utbildning i Umeå, "
        "men övriga träffar kommer jag på.\n\nMvh\nAnna Andersson\nLudvika kommun\n",
    )
    parsed = parse(raw, MEETINGS)
    assert [p.meetings for p in parsed.people] == [[1, 2, 3]]


def test_cancelling_the_rest_of_the_project_leaves_the_meetings_still_to_come():
    raw = mail(
        "Hej,\n\nTyvärr måste jag avanmäla mig från resten av utbildningsprojektet, eftersom jag får "
        "andra uppgifter.\n\nMed vänlig hälsning\nAnna Andersson\nLudvika kommun\n",
        subject="Avanmälan",
    )
    parsed = parse(_sent_on(raw, "Mon, 04 Nov 2024 09:00:00 +0100"), MEETINGS)
    assert parsed.intent == "cancel"
    assert [p.meetings for p in parsed.people] == [[3, 4]]
