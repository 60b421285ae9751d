"""The confirmation as a participant receives it: headers, Swedish dates, text and HTML, one .ics per meeting."""

from __future__ import annotations

import datetime as dt
from email import message_from_bytes, policy
from zoneinfo import ZoneInfo

import icalendar
import pytest
from rulekit import LUDVIKA, T0, Desk, msg, person

from rules.decision import OutgoingMail
from worker.render import render_mail

STHLM = ZoneInfo("Europe/Stockholm")


@pytest.fixture
def confirmation() -> tuple[Desk, OutgoingMail]:
    desk = Desk()
    d = desk.send(
        msg(
            sender="anna.andersson@ludvika.se",
            org=LUDVIKA,
            people=[
                person(
                    "Anna Andersson",
                    "anna.andersson@ludvika.se",
                    role="manager",
                    diet=["vegetarian", "gluten"],
                )
            ],
            message_id="CAF1234@mail.ludvika.se",
        )
    )
    return desk, d.mails[0]


def _parse(raw: bytes):
    return message_from_bytes(raw, policy=policy.default)


def test_headers(confirmation):
    desk, mail = confirmation
    msg_ = _parse(bytes(render_mail(mail, desk.event, message_id="out1@regiondalarna.se", sent_at=T0)))
    assert msg_["From"].addresses[0].addr_spec == "anmalan.dalalab@regiondalarna.se"
    assert msg_["From"].addresses[0].display_name.startswith("Dalalab")
    assert msg_["To"] == "anna.andersson@ludvika.se"
    assert msg_["Subject"].endswith(f"[Ref {mail.registration_ref}]")
    assert msg_["Message-ID"] == "<out1@regiondalarna.se>"
    assert msg_["Auto-Submitted"] == "auto-replied"
    assert (
        msg_["In-Reply-To"] == "<CAF1234@mail.ludvika.se>"
        and msg_["References"] == "<CAF1234@mail.ludvika.se>"
    )
    assert msg_["Date"]


def test_text_and_html_say_what_was_registered(confirmation):
    desk, mail = confirmation
    msg_ = _parse(bytes(render_mail(mail, desk.event, message_id="m@x", sent_at=T0)))
    text = msg_.get_body(("plain",)).get_content()
    html = msg_.get_body(("html",)).get_content()
    for expected in (
        "Anna Andersson",
        "Ludvika kommun",
        "torsdag 12 september 2024",
        "kl. 10:00–15:00, fika från 09:30",
        "onsdag 23 oktober 2024",
        "tisdag 3 december 2024",
        "meddelas senare",
        "vegetarisk, glutenfri",
        "Svara på det här mejlet",
    ):
        assert expected in text
        assert expected in html
    assert "http" not in html  # no external resources


def test_one_ics_per_meeting_in_stockholm_time(confirmation):
    desk, mail = confirmation
    msg_ = _parse(bytes(render_mail(mail, desk.event, message_id="m@x", sent_at=T0)))
    files = {p.get_filename(): p.get_content() for p in msg_.iter_attachments()}
    assert sorted(files) == ["traff-1.ics", "traff-2.ics", "traff-3.ics", "traff-4.ics"]
    cal = icalendar.Calendar.from_ical(files["traff-1.ics"])
    (vevent,) = cal.walk("VEVENT")
    assert cal.walk("VTIMEZONE")[0]["TZID"] == "Europe/Stockholm"
    start = vevent.decoded("DTSTART")
    assert start == dt.datetime(2024, 9, 12, 10, 0, tzinfo=STHLM)
    assert start.utcoffset() == dt.timedelta(hours=2)
    assert vevent.decoded("DTEND") == dt.datetime(2024, 9, 12, 15, 0, tzinfo=STHLM)
    assert str(vevent["UID"]) == f"{mail.registration_ref}-1@regiondalarna.se"
    assert "träff 1" in str(vevent["SUMMARY"]) and str(vevent["LOCATION"]) == "Falun"
    later = icalendar.Calendar.from_ical(files["traff-4.ics"]).walk("VEVENT")[0]
    assert (
        later.decoded("DTSTART") == dt.date(2025, 2, 4) and "LOCATION" not in later
    )  # all day, place unknown
