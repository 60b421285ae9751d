"""Rendering made cheap must read the same: headers encoded and within RFC 5322, each person's own .ics."""

from __future__ import annotations

import datetime as dt
import re
from email import message_from_bytes, policy

import icalendar
import pytest
from mailbook import sample_mails
from rulekit import LUDVIKA, T0, Desk, load_event, msg, person

from rules.decision import OutgoingMail
from worker.render import mail_bytes
from worker.render.calendar import meeting_ics


def _confirmation(name: str, address: str) -> tuple[Desk, OutgoingMail]:
    desk = Desk()
    d = desk.send(msg(sender=address, org=LUDVIKA, people=[person(name, address, role="manager")]))
    return desk, d.mails[0]


def test_headers_are_ascii_encoded_and_read_back_as_written():
    desk, mail = _confirmation("Åsa Öberg", "asa.oberg@ludvika.se")
    mail = mail.model_copy(update={"to": "Åsa Öberg <asa.oberg@ludvika.se>"})
    subject, raw = mail_bytes(mail, desk.event, message_id="h1@regiondalarna.se", sent_at=T0)
    head = raw.split(b"\r\n\r\n", 1)[0]
    assert head.isascii()  # non-ASCII only as RFC 2047 encoded words
    assert all(len(line) <= 998 for line in raw.split(b"\r\n"))
    assert not re.search(rb"(?<!\r)\n", raw)  # CRLF line ends throughout, as SMTP wants
    read = message_from_bytes(raw, policy=policy.default)
    assert read["Subject"] == subject and subject.endswith(f"[Ref {mail.registration_ref}]")
    assert "ä" in subject  # "Bekräftelse"
    assert read["To"].addresses[0].display_name == "Åsa Öberg"
    assert read["Message-ID"] == "<h1@regiondalarna.se>"
    assert read.get_body(("plain",)).get_content().count("Åsa Öberg") >= 1


def test_each_person_gets_their_own_uid_and_reference_in_the_same_meeting():
    event = load_event()
    anna = icalendar.Calendar.from_ical(meeting_ics(event, 1, ref="K7M2QX", stamp=T0))
    later = T0 + dt.timedelta(days=1)
    per = icalendar.Calendar.from_ical(meeting_ics(event, 1, ref="P3R4EK", stamp=later))
    (a,), (p,) = anna.walk("VEVENT"), per.walk("VEVENT")
    assert str(a["UID"]).startswith("K7M2QX-1@") and str(p["UID"]).startswith("P3R4EK-1@")
    assert "Referens: K7M2QX" in str(a["DESCRIPTION"]) and "Referens: P3R4EK" in str(p["DESCRIPTION"])
    assert a.decoded("DTSTAMP") == T0.astimezone(dt.UTC) and p.decoded("DTSTAMP") == later.astimezone(dt.UTC)
    assert a.decoded("DTSTART") == p.decoded("DTSTART")


def test_a_moved_meeting_is_not_served_from_the_cache():
    event = load_event()
    before = icalendar.Calendar.from_ical(meeting_ics(event, 1, ref="K7M2QX", stamp=T0)).walk("VEVENT")[0]
    meetings = [m.model_dump() for m in event.meetings]
    meetings[0].update(place="Borlänge, Folkets Hus", start=dt.time(9, 30))
    moved = load_event(meetings=meetings)
    after = icalendar.Calendar.from_ical(meeting_ics(moved, 1, ref="K7M2QX", stamp=T0)).walk("VEVENT")[0]
    assert str(before["LOCATION"]) == "Falun" and str(after["LOCATION"]) == "Borlänge, Folkets Hus"
    assert after.decoded("DTSTART").time() == dt.time(9, 30)


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_every_subject_reads_back_as_written_in_the_bytes_sent(lang):
    # The bytes once went out folded at 78 columns, which ran "Hållbara samhällen" together and put a
    # space before long English subjects.
    for name, (mail, event) in sample_mails(lang).items():
        subject, raw = mail_bytes(mail, event, message_id=f"{name}@regiondalarna.se", sent_at=T0)
        read = message_from_bytes(raw, policy=policy.default)
        assert read["Subject"] == subject == " ".join(subject.split()), name
        assert all(len(line) <= 998 for line in raw.split(b"\r\n")), name
