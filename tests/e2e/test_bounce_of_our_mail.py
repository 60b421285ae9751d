"""A confirmation that bounces: outbox → SMTP server, then the bounce APPENDed to Dovecot → failing, in the digest."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from tests.e2e.mails import MAILBOX, at, mail
from tests.e2e.stack import Stack

pytestmark = pytest.mark.servers
ADDRESS = "karin.strom@mora.se"
ORGANISER = "johanna.tangnas@regiondalarna.se"


def bounce(returned: bytes, envelope_to: str) -> bytes:
    """An Exim-style text notice; the server names the address it rewrote ours to, so only the returned
    Message-ID says whom it was for."""
    copy = returned.split(b"\r\n\r\n", 1)[0].replace(b"\r\n", b"\n")
    return (
        b"From: Mail Delivery System <Mailer-Daemon@mx.mora.se>\n"
        + f"To: {envelope_to}\n".encode()
        + b"Subject: Mail delivery failed: returning message to sender\n"
        b"Date: Tue, 13 Aug 2024 10:05:00 +0200\n"
        b"Message-ID: <E1bounce-0001@mx.mora.se>\n"
        b"Auto-Submitted: auto-replied\n"
        b"\n"
        b"This message was created automatically by mail delivery software.\n\n"
        b"A message that you sent could not be delivered to one or more of its\n"
        b"recipients. This is a permanent error. The following address(es) failed:\n\n"
        b"  k.strom@exchange.mora.local\n"
        b"    SMTP error from remote mail server after RCPT TO:<k.strom@exchange.mora.local>:\n"
        b"    550 5.1.1 User unknown. Did you ask a question?\n\n"
        b"------ This is a copy of the message's headers. ------\n\n" + copy + b"\n"
    )


def test_bounce_quoting_our_message_id_marks_the_recipient_failing_and_the_digest_shows_it(
    tmp_path: Path, imap, smtp, redis_server
) -> None:
    stack = Stack(tmp_path, imap, smtp, redis_server)
    stack.env["ANMALAN_VERP"] = "true"
    stack.start().wait_ready()
    try:
        imap.append(
            mail(
                f"Karin Ström <{ADDRESS}>",
                "Anmälan till lärprojektet",
                "Hej!\n\nJag anmäler mig till lärprojektet, alla träffar.\n\n"
                "Med vänliga hälsningar\nKarin Ström\nSamhällsbyggnadschef\nMora kommun\n",
                sent=at("2024-08-13 08:55"),
            ),
            internaldate=at("2024-08-13 08:55"),
        )
        [confirmation] = smtp.wait_for(lambda m: ADDRESS in m.rcpt_tos, timeout=20)
        # VERP: the envelope sender carries the mail's own id, the From stays the mailbox
        local, domain = MAILBOX.split("@")
        assert re.fullmatch(rf"{re.escape(local)}\+b-[0-9.]+@{re.escape(domain)}", confirmation.mail_from)
        assert confirmation.message["From"].endswith(f"<{MAILBOX}>")

        imap.append(bounce(confirmation.raw, confirmation.mail_from), internaldate=at("2024-08-13 10:05"))
        digest = _digest_listing(stack, smtp, ADDRESS)
    finally:
        stack.stop()

    failing = []
    for line in digest.split("Adresser som inte fungerar:", 1)[1].strip().splitlines():
        if line.strip() and not line.startswith("- "):
            break  # the next section
        failing += [line] if line.strip() else []
    section = "\n".join(failing)
    # our recipient, not the address the report's text named, nor our own mailbox
    assert len(failing) == 1 and failing[0].startswith(f"- {ADDRESS} ("), section
    [reg] = stack.registrations()
    assert reg["email"] == ADDRESS
    # the bounce was not read as a question, and nothing answered it
    assert [m for m in smtp.messages if "mx.mora.se" in " ".join(m.rcpt_tos)] == []
    assert len([m for m in smtp.messages if ADDRESS in m.rcpt_tos]) == 1


def _digest_listing(stack: Stack, smtp, address: str, timeout: float = 20.0) -> str:
    """Send the digest until it lists the address as failing (the worker takes the bounce in its own time)."""
    deadline = time.monotonic() + timeout
    while True:
        stack.cli("digest", "--send")
        [*_, digest] = [m.message for m in smtp.messages if ORGANISER in m.rcpt_tos]
        text = digest.get_body(preferencelist=("plain",)).get_content()
        if "Adresser som inte fungerar:" in text and address in text:
            return text
        if time.monotonic() > deadline:
            pytest.fail(f"the digest never listed {address} as failing:\n{text}\n{stack.logs()}")
        time.sleep(1.0)
