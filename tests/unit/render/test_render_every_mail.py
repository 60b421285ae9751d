"""Every participant mail rendered in Swedish and English from what the rules really produce.

docs/mails/<lang>/<template>.txt shows each text part to readers; scripts/render_mails.py writes them, and a
test here fails while they are stale.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from email import message_from_bytes, policy

import icalendar
import pytest
from mailbook import TEMPLATES, sample_mails
from rulekit import REPO, STHLM

from worker.render import render_mail, render_parts, template_names

BOOKS = {lang: sample_mails(lang) for lang in ("sv", "en")}
SENT_AT = dt.datetime(2024, 8, 1, 9, 5, tzinfo=STHLM)

# What a participant would notice in each mail, per language.
NOTICE = {
    "sv": {
        "confirmation": [
            "Anna Andersson",
            "Ludvika kommun",
            "torsdag 12 september 2024",
            "fika från 09:30",
            "Falun",
            "meddelas senare",
            "vegetarisk",
            "Svara på det här mejlet",
        ],
        "waitlisted": ["Lars Lind", "väntelistan", "plats 1 i kön", "onsdag 23 oktober 2024"],
        "promoted": [
            "Hej Lars!",
            "en plats har blivit ledig på 2 träffar",
            "Träff 2: onsdag 23 oktober 2024, kl. 10:00–15:30",
            "Träff 3: tisdag 3 december 2024",
            "en för varje träff",
        ],
        "cancellation_receipt": ["avbokningen av träff 2", "Bertil Berg", "torsdag 12 september 2024"],
        "registration_summary": [
            "Hej Maria!",
            "de 3 personer du har anmält",
            "1. Maria Nyberg (du), Falu kommun – Ref ",
            "Träff 1, torsdag 12 september 2024: bekräftad",
            "Ditt eget besked har kommit i ett eget mejl.",
            "Eget besked med kalenderinbjudningar har gått till johan.dahl@falun.se.",
            "inte har någon egen adress till Elin Forsberg",
            "skriv vem det gäller",
        ],
        "substitution_receipt_new": ["Karin Ek", "i stället för Anna Andersson", "torsdag 12 september 2024"],
        "substitution_receipt_replaced": [
            "Karin Ek kommer i stället för dig",
            "tisdag 3 december 2024",
            "meddelas senare",
        ],
        "update_receipt": ["Kost: vegansk, nötallergi (tidigare: vegetarisk)", "Anna Andersson"],
        "info_request": ["Vilken kommun eller organisation", "Svara direkt på det här mejlet"],
        "info_reminder": ["Vilken kommun eller organisation", "en gång till"],
        "question_ack": ["Tack för din fråga", "arrangören"],
        "late_notice": ["Olle Ohlsson", "fredag 23 augusti 2024", "inte bekräftad ännu"],
        "claim_held": ["Sara Sten", "Falu kommun", "egna e-postdomäner", "inte bekräftad ännu"],
        "late_rejected": ["Olle Ohlsson", "fredag 23 augusti 2024", "inte anmäld"],
        "duplicate_notice": ["redan anmäld", "Cecilia Dahl", "ingen specialkost"],
        "change_request_refused": ["prankster@example.com", "avboka", "inte ändrat något"],
        "reminder": ["träff 1", "torsdag 12 september 2024", "kl. 10:00–15:00, fika från 09:30", "Falun"],
        "meeting_changed": ["träff 3", "tisdag 3 december 2024", "Borlänge, Folkets Hus", "kl. 09:30–15:00"],
    },
    "en": {
        "confirmation": [
            "Anna Andersson",
            "Ludvika kommun",
            "Thursday 12 September 2024",
            "coffee from 09:30",
            "to be announced",
        ],
        "waitlisted": ["Lars Lind", "waiting list", "number 1 in line"],
        "promoted": ["Hello Lars,", "at 2 meetings", "Meeting 2", "Wednesday 23 October 2024", "Meeting 3"],
        "registration_summary": [
            "the 3 people you registered",
            "Maria Nyberg (you), Falu kommun – Ref ",
            "Meeting 1, Thursday 12 September 2024: confirmed",
            "went to johan.dahl@falun.se",
            "no address of their own for Elin Forsberg",
        ],
        "cancellation_receipt": ["cancellation of meeting 2", "Bertil Berg"],
        "substitution_receipt_new": ["Karin Ek", "in place of Anna Andersson"],
        "substitution_receipt_replaced": ["Karin Ek comes in place of you"],
        "update_receipt": ["Diet: vegan, nut allergy (before: vegetarian)"],
        "info_request": ["Which municipality or organisation"],
        "info_reminder": ["Which municipality or organisation", "once more"],
        "question_ack": ["Thank you for your question"],
        "late_notice": ["Friday 23 August 2024", "not confirmed yet"],
        "claim_held": ["Sara Sten", "own mail domains", "not confirmed yet"],
        "late_rejected": ["Friday 23 August 2024", "not registered"],
        "duplicate_notice": ["already registered", "Cecilia Dahl"],
        "change_request_refused": ["prankster@example.com", "not changed anything"],
        "reminder": ["meeting 1", "Thursday 12 September 2024"],
        "meeting_changed": ["meeting 3", "Borlänge, Folkets Hus"],
    },
}

CASES = [(lang, name) for lang in ("sv", "en") for name in TEMPLATES]


def test_every_template_exists_in_both_languages():
    for lang in ("sv", "en"):
        names = set(template_names(lang=lang))
        assert set(TEMPLATES) <= names
        for name in TEMPLATES:
            # One body per mail and language: the HTML part is derived from the text, not a second file.
            assert not (REPO / "templates" / lang / f"{name}.html.j2").exists()


@pytest.mark.parametrize(("lang", "name"), CASES)
def test_render(lang, name):
    mail, event = BOOKS[lang][name]
    assert mail.language == lang
    json.dumps(mail.context)  # what the outbox stores must be plain JSON
    raw = bytes(render_mail(mail, event, message_id=f"{name}.{lang}@regiondalarna.se", sent_at=SENT_AT))
    parsed = message_from_bytes(raw, policy=policy.default)
    subject = parsed["Subject"]
    assert subject == render_parts(mail, event)[0]  # survives encoding, spaces and all
    text = parsed.get_body(("plain",)).get_content()
    html = parsed.get_body(("html",)).get_content()
    assert (
        subject.endswith(f"[Ref {mail.registration_ref}]") if mail.registration_ref else "[Ref" not in subject
    )
    assert parsed["From"].addresses[0].addr_spec == str(event.mailbox)
    assert parsed["To"] == mail.to and parsed["Message-ID"] == f"<{name}.{lang}@regiondalarna.se>"
    assert parsed["Auto-Submitted"] == mail.auto_submitted
    for words in NOTICE[lang][name]:
        assert words in text, (words, text)
    assert "<script" not in html and "http" not in html and "{{" not in html and "{{" not in text
    for part in parsed.iter_attachments():
        cal = icalendar.Calendar.from_ical(part.get_content())
        for vevent in cal.walk("VEVENT"):
            start = vevent.decoded("DTSTART")
            if isinstance(start, dt.datetime):
                assert start.tzinfo is not None and start.astimezone(STHLM).hour in (9, 10)


def test_html_escapes_what_people_wrote():
    mail, event = BOOKS["sv"]["confirmation"]
    context = json.loads(json.dumps(mail.context))
    context["registration"]["name"] = "<b>Anna</b>"
    _, text, html = render_parts(mail.model_copy(update={"context": context}), event)
    assert "&lt;b&gt;Anna&lt;/b&gt;" in html and "<b>Anna</b>" in text


def test_the_mails_shown_in_docs_are_what_participants_receive():
    script = REPO / "scripts" / "render_mails.py"
    done = subprocess.run(
        [sys.executable, str(script), "--check"], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, (
        f"docs/mails is stale: run {script.relative_to(REPO)}\n{done.stdout}{done.stderr}"
    )
