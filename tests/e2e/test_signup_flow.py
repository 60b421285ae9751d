"""A Swedish sign-up APPENDed to Dovecot comes back as a confirmation at the SMTP server, once."""

from __future__ import annotations

import json
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.e2e.stack import REPO, Stack

pytestmark = pytest.mark.servers
STOCKHOLM = ZoneInfo("Europe/Stockholm")

SIGNUP = """\
From: Karin =?utf-8?q?Str=C3=B6m?= <karin.strom@mora.se>
To: anmalan.dalalab@regiondalarna.se
Subject: =?utf-8?q?Anm=C3=A4lan_till_l=C3=A4rprojektet?=
Date: Tue, 13 Aug 2024 08:55:00 +0200
Message-ID: <e2e-signup-1@mora.se>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

Hej!

Jag anmäler mig till lärprojektet, alla träffar. Jag äter inte gluten.

Med vänliga hälsningar
Karin Ström
Samhällsbyggnadschef
Mora kommun
""".encode()


def text_of(message) -> str:
    part = message.get_body(preferencelist=("plain",))
    return part.get_content() if part else ""


def test_signup_gets_one_confirmation_even_across_restarts(tmp_path: Path, imap, smtp, redis_server) -> None:
    stack = Stack(tmp_path, imap, smtp, redis_server).start().wait_ready()
    try:
        appended = time.monotonic()
        imap.append(SIGNUP, internaldate=datetime(2024, 8, 13, 8, 55, tzinfo=STOCKHOLM))
        mails = smtp.wait_for(lambda m: "karin.strom@mora.se" in m.rcpt_tos, timeout=15)
        elapsed = time.monotonic() - appended
    except TimeoutError:
        pytest.fail("no confirmation within 15 s\n" + stack.logs())
    finally:
        stack.stop()

    (REPO / "test-artifacts").mkdir(exist_ok=True)
    (REPO / "test-artifacts" / "e2e-append-to-confirmation.txt").write_text(f"{elapsed:.2f} s\n")

    [mail] = mails
    message = mail.message
    body = text_of(message)
    [reg] = stack.registrations()
    assert reg["name"] == "Karin Ström"
    assert reg["organisation"] == {"kind": "municipality", "code": "2062", "name": "Mora kommun"}
    assert reg["status"] == "active"
    assert reg["meetings"] == {"1": "confirmed", "2": "confirmed", "3": "confirmed", "4": "confirmed"}
    assert reg["diet"] == ["gluten"]
    assert reg["ref"] in message["Subject"]
    assert message["From"].endswith("<anmalan.dalalab@regiondalarna.se>")
    assert message["Auto-Submitted"] == "auto-replied"
    assert "torsdag 12 september 2024" in body
    assert "Karin Ström" in body
    calendars = [p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"]
    assert len(calendars) == 4
    # Nothing on the server changed: the organiser still sees the mail as unread.
    assert [m.seen for m in imap.messages()] == [False]

    # Stopping and starting again sends nothing more and registers nobody twice.
    stack.start().wait_ready()
    try:
        time.sleep(3.0)
    finally:
        stack.stop()
    assert len(smtp.messages) == 1
    assert len(stack.registrations()) == 1


def signup_from(name: str, address: str, municipality: str, n: int) -> bytes:
    return (
        f"From: {name} <{address}>\r\nTo: anmalan.dalalab@regiondalarna.se\r\n"
        f"Subject: =?utf-8?q?Anm=C3=A4lan?=\r\nMessage-ID: <e2e-retry-{n}@example.se>\r\nMIME-Version: 1.0\r\n"
        "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
        f"Hej! Jag anmäler mig till alla träffar.\r\n\r\nMvh\r\n{name}\r\nPlanarkitekt\r\n{municipality}\r\n"
    ).encode()


def test_a_temporary_smtp_failure_is_retried_and_a_permanent_one_recorded(
    tmp_path: Path, imap, smtp, redis_server
) -> None:
    # Beat, as in production: it runs the sweeper, which sends what the outbox says is due.
    stack = Stack(tmp_path, imap, smtp, redis_server).start("watch", "worker", "beat").wait_ready()
    try:
        smtp.fail_next(1, code=451)
        imap.append(
            signup_from("Lars Berg", "lars.berg@rattvik.se", "Rättviks kommun", 1),
            internaldate=datetime(2024, 8, 13, 9, 0, tzinfo=STOCKHOLM),
        )
        # The first attempt meets 451; the retry (after 2 s) gets through.
        smtp.wait_for(lambda m: "lars.berg@rattvik.se" in m.rcpt_tos, timeout=25)

        smtp.fail_next(1, code=550, stage="rcpt")
        imap.append(
            signup_from("Eva Öberg", "eva.oberg@orsa.se", "Orsa kommun", 2),
            internaldate=datetime(2024, 8, 13, 9, 5, tzinfo=STOCKHOLM),
        )
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            regs = {r["email"]: r for r in stack.registrations()}
            if "eva.oberg@orsa.se" in regs:
                shown = stack.cli("show", regs["eva.oberg@orsa.se"]["ref"], "--json").stdout
                if '"failed"' in shown:
                    break
            time.sleep(0.5)
        else:
            pytest.fail("the refused confirmation was not recorded as failed\n" + stack.logs())
    finally:
        stack.stop()
    history = json.loads(shown)
    assert history["mails"] == [{"template": "confirmation", "to": "eva.oberg@orsa.se", "status": "failed"}]
    assert any(h["rule"] == "mail_failed" and "550" in h["detail"] for h in history["history"])
    assert not any("eva.oberg@orsa.se" in m.rcpt_tos for m in smtp.messages)
