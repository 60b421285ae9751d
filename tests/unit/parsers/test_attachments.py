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
    body: str, data: str, maintype: str, subtype: str, filename: str | None, subject: str
) -> bytes:
    msg = EmailMessage()
    msg["From"] = "Anna Andersson <anna.andersson@ludvika.se>"
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
