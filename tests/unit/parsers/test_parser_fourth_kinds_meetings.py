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


def test_the_event_itself_named_with_the_definite_article_is_no_other_event():
    raw = mail(
        "Hej!\n\nJag anmäler mig. Jag är på utbildningen den 12 september, de andra datumen vet jag "
        "inte än.\n\nMvh\nAnna Andersson\nLudvika kommun\n",
    )
    parsed = parse(raw, MEETINGS)
    assert parsed.intent == "signup"
    assert [p.meetings for p in parsed.people] == [[1]]


def test_cancelling_the_rest_of_the_project_leaves_the_meetings_still_to_come():
    raw = mail(
        "Hej,\n\nTyvärr måste jag avanmäla mig från resten av utbildningsprojektet, eftersom jag får "
        "andra uppgifter.\n\nMed vänlig hälsning\nAnna Andersson\nLudvika kommun\n",
        subject="Avanmälan",
    )
    parsed = parse(_sent_on(raw, "Mon, 04 Nov 2024 09:00:00 +0100"), MEETINGS)
    assert parsed.intent == "cancel"
    assert [p.meetings for p in parsed.people] == [[3, 4]]


def test_someone_who_will_be_in_touch_later_is_not_signed_up():
    raw = mail(
        "Hej,\n\nJag kan tyvärr inte delta längre och måste lämna återbud till resten av lärprojektet. "
        "Om någon annan från oss ska ta platsen vet vi inte – vår samhällsbyggnadschef Per Holm hör av "
        "sig i så fall.\n\nMvh\nAnna Andersson\nLudvika kommun\n",
        subject="Återbud",
    )
    parsed = parse(_sent_on(raw, "Tue, 29 Oct 2024 09:00:00 +0100"), MEETINGS)
    assert parsed.intent == "cancel"
    assert [p.email for p in parsed.people] == ["anna.andersson@ludvika.se"]
    assert [p.meetings for p in parsed.people] == [[3, 4]]
    assert not parsed.needs_review, parsed.review_reasons


_CONFIRMATION = (
    "\n\nFrån: Anmälan Dalalab <anmalan.dalalab@regiondalarna.se>\nSkickat: den 9 augusti 2024 10:02\n"
    "Till: Andersson Anna <anna.andersson@ludvika.se>\nÄmne: Bekräftelse på anmälan\n\n"
    "Hej Anna!\n\nTack för din anmälan. Vi har registrerat följande:\n\nNamn: Anna Andersson\n"
    "E-post: anna.andersson@ludvika.se\nOrganisation: Ludvika kommun\nTräffar: 2, 3 och 4\n"
    "Specialkost: ingen\n\nMed vänliga hälsningar\nDalalab\n"
)


def test_a_swap_in_a_reply_to_our_confirmation_keeps_the_rest_of_the_registration():
    raw = mail(
        "Hej!\n\nEn ändring: oktober passar inte längre, så jag vill gärna ha träff 1 i stället för "
        "träff 2.\n\nHälsningar\nAnna Andersson\nLudvika kommun" + _CONFIRMATION,
        subject="SV: Bekräftelse på anmälan",
    )
    parsed = parse(raw, MEETINGS)
    assert parsed.intent == "update"
    assert [p.meetings for p in parsed.people] == [[1, 3, 4]]
    assert not parsed.needs_review, parsed.review_reasons


def test_a_swap_without_the_registration_is_flagged():
    raw = mail(
        "Hej!\n\nKan ni byta träff 3 mot träff 1 för min del? Tack!\n\nHälsningar\nAnna Andersson\n"
        "Ludvika kommun\n",
        subject="Ändring av träff",
    )
    parsed = parse(raw, MEETINGS)
    assert parsed.needs_review


def test_eating_most_things_is_no_special_need():
    raw = mail(
        "Hej!\n\nJag anmäler mig till alla fyra träffarna. Jag äter nästan allt, så ingen specialkost "
        "behövs.\n\n/Anna Andersson\nLudvika kommun\n",
    )
    parsed = parse(raw, MEETINGS)
    assert [p.diet for p in parsed.people] == [[]]


def test_eating_most_things_but_an_exception_is_that_exception():
    raw = mail(
        "Hej!\n\nJag anmäler mig till alla fyra träffarna. Själv äter jag det mesta, men ingen fisk.\n\n"
        "/Anna Andersson\nLudvika kommun\n",
    )
    parsed = parse(raw, MEETINGS)
    assert [p.diet for p in parsed.people] == [["fish"]]
    assert not parsed.needs_review, parsed.review_reasons


def test_a_colleague_with_no_chance_to_take_part_is_not_signed_up():
    raw = mail(
        "Hej!\n\nLudvika anmäler två personer:\n\n- Per Holm, planarkitekt, per.holm@ludvika.se\n"
        "- Eva Sten, strateg, eva.sten@ludvika.se\n\n"
        "Vår förvaltningschef Karin Lund tycker att frågorna är viktiga men har inte tid att delta "
        "i höst, så hon tar del av presentationerna via oss.\n\nMvh\nAnna Andersson\nLudvika kommun\n",
    )
    parsed = parse(raw, MEETINGS)
    assert parsed.intent == "signup"
    assert [p.email for p in parsed.people] == ["per.holm@ludvika.se", "eva.sten@ludvika.se"]
