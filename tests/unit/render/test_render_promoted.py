"""The promotion mail: one per person per decision, naming every meeting and carrying one .ics each."""

from __future__ import annotations

import datetime as dt
from email import message_from_bytes, policy

from mailbook import sample_mails
from rulekit import STHLM

from worker.render import render_mail, render_parts

SENT_AT = dt.datetime(2024, 8, 1, 9, 5, tzinfo=STHLM)


def test_several_meetings_in_one_mail_with_a_calendar_each():
    mail, event = sample_mails("sv")["promoted"]
    assert mail.context["promoted_meetings"] == [2, 3] and mail.calendar_meetings == [2, 3]
    raw = bytes(render_mail(mail, event, message_id="p@regiondalarna.se", sent_at=SENT_AT))
    parsed = message_from_bytes(raw, policy=policy.default)
    assert parsed["Subject"].startswith("Du har fått en plats på träff 2 och 3 – ")
    assert [p.get_filename() for p in parsed.iter_attachments()] == ["traff-2.ics", "traff-3.ics"]


def test_a_mail_queued_before_the_change_still_renders():
    # Outbox rows written by the previous version carry one `meeting_number`.
    mail, event = sample_mails("sv")["promoted"]
    context = {k: v for k, v in mail.context.items() if k != "promoted_meetings"} | {"meeting_number": 2}
    subject, text, html = render_parts(mail.model_copy(update={"context": context}), event)
    assert subject.startswith("Du har fått en plats på träff 2 – ")
    assert "en plats har blivit ledig, och du" in text and "Träff 2: onsdag 23 oktober 2024" in html
