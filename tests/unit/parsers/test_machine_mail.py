"""Machine mail read as an organiser needs it: who failed for good, what only waits, what is no bounce at all."""

from __future__ import annotations

import json

import pytest
from parserkit import EXTERNAL, MEETINGS, mail

from parsers import parse

OURS = "anmalan.dalalab@regiondalarna.se"
OUR_ID = "172345.99.1@regiondalarna.se"

RETURNED = f"""\
From: Anmälan Dalalab <{OURS}>
To: karin.strom@mora.se
Subject: Anmälan bekräftad
Message-ID: <{OUR_ID}>

Hej Karin! Vill du avboka? Svara AVBOKA. Har du frågor?
"""


def report(status_block: str, *, report_type: str = "delivery-status", extra_headers: str = "") -> bytes:
    """A multipart/report from a mail server, returning our confirmation."""
    return f"""\
From: Mail Delivery System <MAILER-DAEMON@mx.mora.se>
To: {OURS}
Subject: Undelivered Mail Returned to Sender
Message-ID: <report-1@mx.mora.se>
{extra_headers}MIME-Version: 1.0
Content-Type: multipart/report; report-type={report_type}; boundary="B"

--B
Content-Type: text/plain

This is the mail system at host mx.mora.se. Your message could not be delivered.

--B
Content-Type: message/{report_type}

Reporting-MTA: dns; mx.mora.se

{status_block}
--B
Content-Type: message/rfc822

{RETURNED}
--B--
""".encode()


FAILED = "Final-Recipient: rfc822; karin.strom@mora.se\nAction: failed\nStatus: 5.1.1\n"


def test_a_dsn_names_its_failed_recipient_and_the_mail_it_returns() -> None:
    parsed = parse(report(FAILED), MEETINGS)
    assert parsed.intent == "bounce"
    assert parsed.bounced == ["karin.strom@mora.se"]
    assert parsed.returned_message_ids == [OUR_ID]
    assert parsed.record()["returned_message_ids"] == [OUR_ID]


def test_a_returned_copy_is_never_the_senders_own_words() -> None:
    # the copy asks questions and says AVBOKA: a person's words would be a question or a cancel
    parsed = parse(report(FAILED), MEETINGS)
    assert parsed.intent == "bounce"
    assert parsed.people == []


def test_a_delay_warning_names_no_failed_address() -> None:
    parsed = parse(report(FAILED.replace("failed", "delayed").replace("5.1.1", "4.4.1")), MEETINGS)
    assert parsed.intent == "bounce"
    assert parsed.bounced == []


def test_a_text_delay_warning_names_no_failed_address() -> None:
    raw = f"""\
From: Mail Delivery System <MAILER-DAEMON@mx.mora.se>
To: {OURS}
Subject: Warning: message 1abc delayed 24 hours

This message was created automatically by mail delivery software.
A message that you sent has not yet been delivered to one or more of its
recipients after more than 24 hours on the queue on mx.mora.se.

  karin.strom@mora.se
    Delay reason: SMTP error from remote mail server after RCPT TO: 451 4.7.1 Greylisted

No action is required on your part. Delivery attempts will continue for some time.
""".encode()
    parsed = parse(raw, MEETINGS)
    assert parsed.intent == "bounce" and parsed.bounced == []


@pytest.mark.parametrize("action", ["delivered", "relayed", "expanded"])
def test_a_successful_delivery_notice_is_no_bounce(action: str) -> None:
    parsed = parse(report(FAILED.replace("failed", action).replace("5.1.1", "2.0.0")), MEETINGS)
    assert parsed.intent == "other"
    assert parsed.bounced == []


def test_a_spam_complaint_is_no_bounce() -> None:
    arf = "Feedback-Type: abuse\nUser-Agent: SomeGenerator/1.0\nVersion: 1\nOriginal-Rcpt-To: karin.strom@mora.se\n"
    parsed = parse(report(arf, report_type="feedback-report"), MEETINGS)
    assert parsed.intent == "other"
    assert parsed.bounced == []


def test_auto_submitted_does_not_hide_a_bounce() -> None:
    parsed = parse(report(FAILED, extra_headers="Auto-Submitted: auto-replied\n"), MEETINGS)
    assert parsed.intent == "bounce"
    assert parsed.bounced == ["karin.strom@mora.se"]


def test_never_a_message_id_a_program_or_the_returned_senders_address() -> None:
    raw = f"""\
From: MAILER-DAEMON@mx.mora.se
To: {OURS}
Subject: failure notice

Hi. This is the qmail-send program at mx.mora.se.
I'm afraid I wasn't able to deliver your message to the following addresses.
This is a permanent error; I've given up. Sorry it didn't work out.

<karin.strom@mora.se>:
Sorry, no mailbox here by that name. (#5.1.1)

<|/usr/local/bin/procmail@mx.mora.se>:
Program failed.

<{OUR_ID}>:
unknown

--- Below this line is a copy of the message.

{RETURNED}""".encode()
    parsed = parse(raw, MEETINGS)
    assert parsed.intent == "bounce"
    assert parsed.bounced == ["karin.strom@mora.se"]
    assert parsed.returned_message_ids == [OUR_ID]


@pytest.mark.parametrize(
    ("headers", "subject", "body"),
    [
        ({"X-MS-Exchange-Inbox-Rules-Loop": "karin.strom@mora.se"}, "Anmälan", "Tack för ditt mejl."),
        (
            {},
            "AUTO: Karin Ström is out of the office (returning 2024-08-19)",
            "I will respond when I return.",
        ),
        ({}, "Anmälan", "Jag är på semester till och med 19 augusti och läser inte mejl."),
        ({}, "Anmälan", "I am out of the office until Monday 19 August."),
        ({}, "Anmeldung", "Ich bin bis zum 19. August nicht im Büro."),
        ({}, "Påmelding", "Jeg er på ferie og er tilbake 19. august."),
        ({}, "Tilmelding", "Jeg er ikke på kontoret frem til 19. august."),
        ({}, "Ilmoittautuminen", "Olen lomalla 19.8. asti."),
        ({"X-Auto-Response-Suppress": "All"}, "Sv: Anmälan", "Jag är föräldraledig. Kontakta min kollega."),
        ({}, "[Automatyczna odpowiedź] Anmälan", "Dziękuję za wiadomość."),
        ({"Return-Path": "<>"}, "Thank you for your e-mail", "We have received your message."),
    ],
)
def test_auto_replies_without_rfc_3834_headers(headers: dict, subject: str, body: str) -> None:
    parsed = parse(mail(body, subject=subject, headers=headers), MEETINGS)
    assert parsed.intent == "auto_reply"


def test_a_person_on_leave_who_signs_up_is_no_auto_reply() -> None:
    body = "Hej!\n\nJag är ledig nu men vill anmäla mig till alla träffar i lärprojektet.\n\nAnna Andersson\nLudvika kommun"
    assert parse(mail(body), MEETINGS).intent == "signup"


def test_a_challenge_to_prove_we_are_human_is_never_answered() -> None:
    raw = mail(
        "Your message is held. To be delivered, please click the link to verify you are a human sender.",
        sender="Spam Arrest <noreply@spamarrest.example>",
        subject="Please verify your message to karin.strom@mora.se",
    )
    parsed = parse(raw, MEETINGS)
    assert parsed.intent == "other"


def test_line_endings_do_not_matter() -> None:
    """LF, CRLF and CR-only give identical results on every message of the sisimai corpus."""
    labels = EXTERNAL / "bounces-sisimai" / "expected.jsonl"
    assert labels.is_file(), f"the sisimai corpus is missing: {labels}"
    for line in labels.read_text().splitlines():
        path = labels.parent / json.loads(line)["file"]
        lf = path.read_bytes().replace(b"\r\n", b"\n")
        want = parse(lf, MEETINGS).record()
        assert parse(lf.replace(b"\n", b"\r\n"), MEETINGS).record() == want, path.name
        assert parse(lf.replace(b"\n", b"\r"), MEETINGS).record() == want, path.name


@pytest.mark.parametrize(("disposition", "intent"), [("displayed", "auto_reply"), ("deleted", "bounce")])
def test_a_read_receipt_is_an_automatic_answer_and_a_refusal_a_bounce(disposition: str, intent: str) -> None:
    block = (
        "Final-Recipient: rfc822; karin.strom@mora.se\n"
        f"Original-Message-ID: <{OUR_ID}>\n"
        f"Disposition: automatic-action/MDN-sent-automatically; {disposition}\n"
    )
    parsed = parse(report(block, report_type="disposition-notification"), MEETINGS)
    assert parsed.intent == intent
    assert parsed.returned_message_ids == [OUR_ID]
    assert parsed.bounced == (["karin.strom@mora.se"] if intent == "bounce" else [])


def test_a_swedish_exchange_notice_without_status_fields() -> None:
    raw = f"""\
From: Microsoft Outlook <postmaster@mora.se>
To: {OURS}
Subject: Olevererbart: Anmälan bekräftad
Content-Type: text/plain; charset=utf-8

Det gick inte att leverera meddelandet till de här mottagarna:

karin.strom@mora.se
Det gick inte att hitta e-postadressen du angav. Kontrollera mottagarens adress och försök igen.

Ursprungliga meddelandehuvuden:

Received: from mx.regiondalarna.se by mora.se
Message-ID: <{OUR_ID}>
From: {OURS}
To: karin.strom@mora.se
""".encode()
    parsed = parse(raw, MEETINGS)
    assert parsed.intent == "bounce"
    assert parsed.bounced == ["karin.strom@mora.se"]
    assert parsed.returned_message_ids == [OUR_ID]


def test_a_guest_list_challenge_is_never_answered_even_as_a_report() -> None:
    raw = report(FAILED).replace(
        b"This is the mail system at host mx.mora.se. Your message could not be delivered.",
        b"Your message has been held. Please add yourself to my Guest List so your messages reach my Inbox.",
    )
    assert parse(raw, MEETINGS).intent == "other"
