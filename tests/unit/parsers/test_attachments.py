"""Attachments that carry facts: a calendar answer decides the meeting, a business card the title."""

from __future__ import annotations

from email.message import EmailMessage

from parsers import parse
from parsers.attachments import read_calendar, read_cards
from tests.unit.parsers.parserkit import MEETINGS

_ICS = """BEGIN:VCALENDAR\r
METHOD:{method}\r
PRODID:test\r
VERSION:2.0\r
BEGIN:VEVENT\r
ATTENDEE;PARTSTAT={partstat};CN=Anna Andersson:mailto:Anna.Andersson@ludvika.se\r
SUMMARY:Dalalab\r
DTSTART;TZID=W. Europe Standard Time:{day}T100000\r
DTEND;TZID=W. Europe Standard Time:{day}T150000\r
UID:x@test\r
DTSTAMP:20240909T061412Z\r
END:VEVENT\r
END:VCALENDAR\r
"""

_VCARD = """BEGIN:VCARD\r
VERSION:3.0\r
N:Andersson;Anna;;;\r
FN:Anna Andersson\r
ORG:Ludvika kommun\r
TITLE:Samhällsbyggnadschef\r
EMAIL;TYPE=PREF,INTERNET:anna.andersson@ludvika.se\r
END:VCARD\r
"""


def _with_part(
    body: str,
    data: str,
    maintype: str,
    subtype: str,
    filename: str | None,
    subject: str,
    sender: str = "Anna Andersson <anna.andersson@ludvika.se>",
) -> bytes:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = "anmalan.dalalab@regiondalarna.se"
    msg["Subject"] = subject
    msg["Date"] = "Mon, 09 Sep 2024 08:47:13 +0200"
    msg["Message-ID"] = "<att-1@ludvika.se>"
    msg.set_content(body)
    msg.add_attachment(data.encode(), maintype=maintype, subtype=subtype, filename=filename)
    return msg.as_bytes()


def test_a_declined_calendar_reply_cancels_the_meeting_of_its_dtstart() -> None:
    ics = _ICS.format(method="REPLY", partstat="DECLINED", day="20241023")
    parsed = parse(_with_part("", ics, "text", "calendar", None, "Avböjt: Dalalab"), MEETINGS)
    assert parsed.intent == "cancel"
    assert [(p.email, p.meetings) for p in parsed.people] == [("anna.andersson@ludvika.se", [2])]


def test_a_declined_calendar_reply_with_a_reason_cancels_the_meeting_of_its_dtstart() -> None:
    # the words give only the reason; the calendar answer says what the mail wants
    ics = _ICS.format(method="REPLY", partstat="DECLINED", day="20241023")
    body = "Tyvärr krockar det med en nämnd. Jag är med igen i december."
    parsed = parse(_with_part(body, ics, "text", "calendar", None, "Avböjt: Dalalab"), MEETINGS)
    assert parsed.intent == "cancel"
    assert [(p.email, p.meetings) for p in parsed.people] == [("anna.andersson@ludvika.se", [2])]
    assert not parsed.needs_review


def test_an_accepted_calendar_reply_signs_up_for_its_meeting() -> None:
    ics = _ICS.format(method="REPLY", partstat="ACCEPTED", day="20241203")
    parsed = parse(_with_part("", ics, "text", "calendar", "invite.ics", "Accepterat: Dalalab"), MEETINGS)
    assert parsed.intent == "signup"
    assert [p.meetings for p in parsed.people] == [[3]]


def test_a_calendar_request_names_the_meeting_the_text_leaves_open() -> None:
    ics = _ICS.format(method="REQUEST", partstat="NEEDS-ACTION", day="20250204")
    body = "Hej!\n\nJag vill anmäla mig till träffen, se kalenderinbjudan.\n\nHälsningar\nAnna Andersson"
    parsed = parse(_with_part(body, ics, "text", "calendar", None, "Anmälan"), MEETINGS)
    assert [p.meetings for p in parsed.people] == [[4]]


def test_calendar_and_text_naming_different_meetings_is_flagged() -> None:
    ics = _ICS.format(method="REQUEST", partstat="NEEDS-ACTION", day="20250204")
    body = "Hej!\n\nJag anmäler mig till träff 1.\n\nHälsningar\nAnna Andersson"
    parsed = parse(_with_part(body, ics, "text", "calendar", None, "Anmälan"), MEETINGS)
    assert parsed.needs_review
    assert "Kalenderbilagan och texten anger olika träffar" in parsed.review_reasons


def test_the_senders_vcard_gives_the_role() -> None:
    body = "Hej!\n\nAnmäler mig härmed. Visitkort bifogat.\n\nHälsningar\nAnna Andersson"
    parsed = parse(_with_part(body, _VCARD, "text", "vcard", "Anna Andersson.vcf", "Anmälan"), MEETINGS)
    assert [(p.name, p.role) for p in parsed.people] == [("Anna Andersson", "manager")]


def test_unreadable_attachments_are_ignored_not_fatal() -> None:
    assert read_calendar(b"BEGIN:VCALENDAR\r\nthis is not ical") == []
    assert read_cards(b"\xff\xfe nonsense") == []
    parsed = parse(_with_part("Jag anmäler mig.", "BEGIN:VCALENDAR", "text", "calendar", None, "x"), MEETINGS)
    assert parsed.intent == "signup"


def test_from_a_shared_mailbox_the_card_of_the_first_name_signing_gives_name_address_and_title() -> None:
    body = "Hej!\n\nJag anmäler mig till alla träffar, min adress står i visitkortet.\n\nMvh\nAnna"
    sender = "Kansliet Ludvika <kansliet@ludvika.se>"
    parsed = parse(
        _with_part(body, _VCARD, "text", "vcard", "Anna Andersson.vcf", "Anmälan", sender), MEETINGS
    )
    assert [(p.name, p.email, p.role) for p in parsed.people] == [
        ("Anna Andersson", "anna.andersson@ludvika.se", "manager")
    ]
    assert not parsed.needs_review


def test_a_calendar_reply_whose_words_say_no_intent_is_read_by_its_partstat() -> None:
    ics = _ICS.format(method="REPLY", partstat="DECLINED", day="20241023")
    body = "Tyvärr krockar det med en budgetdag."
    parsed = parse(_with_part(body, ics, "text", "calendar", None, "Avböjt: Dalalab"), MEETINGS)
    assert parsed.intent == "cancel"
    assert [(p.email, p.meetings) for p in parsed.people] == [("anna.andersson@ludvika.se", [2])]
    assert not parsed.needs_review


_COLLEAGUE_CARD = _VCARD.replace("Andersson;Anna", "Berg;Olle").replace("Anna Andersson", "Olle Berg")
_COLLEAGUE_CARD = _COLLEAGUE_CARD.replace("anna.andersson@", "olle.berg@").replace(
    "Samhällsbyggnadschef", "Planarkitekt"
)


def test_a_colleagues_card_completes_the_name_the_text_gives_and_an_unnamed_one_is_flagged() -> None:
    named = "Hej!\n\nJag anmäler mig och Olle Berg, se hans visitkort.\n\nHälsningar\nAnna Andersson"
    parsed = parse(_with_part(named, _COLLEAGUE_CARD, "text", "vcard", "Olle Berg.vcf", "Anmälan"), MEETINGS)
    assert [(p.name, p.email, p.role) for p in parsed.people][1] == (
        "Olle Berg",
        "olle.berg@ludvika.se",
        "officer",
    )
    unnamed = "Hej!\n\nJag anmäler min kollega, se bifogat visitkort.\n\nHälsningar\nAnna Andersson"
    parsed = parse(
        _with_part(unnamed, _COLLEAGUE_CARD, "text", "vcard", "Olle Berg.vcf", "Anmälan"), MEETINGS
    )
    assert "visitkort som inte används: Olle Berg" in parsed.review_reasons


def test_a_declined_reply_that_sends_a_colleague_instead_is_a_substitute_for_its_meeting() -> None:
    ics = _ICS.format(method="REPLY", partstat="DECLINED", day="20241203")
    body = "Jag skickar min kollega Olle Berg, olle.berg@ludvika.se, i stället."
    parsed = parse(_with_part(body, ics, "text", "calendar", None, "Avböjt: Dalalab"), MEETINGS)
    assert parsed.intent == "substitute"
    assert [(p.email, p.meetings, p.replaces) for p in parsed.people] == [
        ("olle.berg@ludvika.se", [3], "anna.andersson@ludvika.se")
    ]


def test_a_tentative_calendar_reply_is_flagged() -> None:
    ics = _ICS.format(method="REPLY", partstat="TENTATIVE", day="20241203")
    parsed = parse(_with_part("", ics, "text", "calendar", None, "Preliminärt: Dalalab"), MEETINGS)
    assert "Kalendersvaret är preliminärt (TENTATIVE)" in parsed.review_reasons
