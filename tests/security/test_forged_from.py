"""Threat: a From line that lies (issue 8, item 3, and what already held).

An encoded display name that decodes to someone else's address, or to a line break and a Bcc, must stay a
name: the address is read from the header as it came. A From with more than one mailbox names nobody and
is not answered. And, as before: the victim's From with a Reply-To to the attacker changes nothing.
"""

from __future__ import annotations

import base64

import pytest

from tests.e2e.mails import at, mail
from tests.security.conftest import OLOF, Bench

pytestmark = pytest.mark.servers

ATTACKER = "attacker@evil.example"


def encoded(text: str) -> str:
    return "=?utf-8?b?" + base64.b64encode(text.encode()).decode() + "?="


def raw(from_header: str, subject: str, body: str, sent: str, extra: str = "") -> bytes:
    return (
        f"From: {from_header}\r\nTo: anmalan.dalalab@regiondalarna.se\r\nSubject: {subject}\r\n"
        f"Date: Tue, 13 Aug 2024 {sent}:00 +0200\r\nMessage-ID: <{abs(hash(body + sent))}@evil.example>\r\n"
        f"{extra}MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n"
    ).encode()


def test_an_encoded_name_posing_as_an_address_is_only_a_name(bench: Bench, olof: dict) -> None:
    bench.send(
        raw(
            f"{encoded('olof.hansson@falun.se,')} <{ATTACKER}>",
            "Avanmälan",
            "Hej! Jag kan inte komma, avanmäl mig.",
            "09:00",
            "Authentication-Results: mx.regiondalarna.se; dmarc=pass header.from=evil.example\r\n",
        ),
        "2024-08-13 09:00",
    )
    bench.wait(ATTACKER)
    bench.settle()
    assert bench.registration("olof.hansson@falun.se")["status"] == "active"
    assert olof["ref"] not in bench.all_text_to(ATTACKER)


def test_a_name_decoding_to_a_bcc_line_adds_no_recipient(bench: Bench) -> None:
    bench.send(
        raw(
            encoded("Eva\r\nBcc: victim@falun.se") + f" <{ATTACKER}>",
            "Fråga om parkering",
            "Hej! Finns det parkering vid lokalen?",
            "09:10",
        ),
        "2024-08-13 09:10",
    )
    [answer] = bench.wait(ATTACKER)
    bench.settle()
    assert list(answer.rcpt_tos) == [ATTACKER]
    assert "Bcc" not in answer.message and "victim" not in str(answer.message["To"])
    assert bench.received("victim@falun.se") == []


def test_a_from_with_two_mailboxes_is_not_answered_and_an_organiser_sees_it(bench: Bench, olof: dict) -> None:
    before = {a: len(bench.received(a)) for a in (ATTACKER, "olof.hansson@falun.se")}
    bench.send(
        raw(f"olof.hansson@falun.se, {ATTACKER}", "Avanmälan", "Avanmäl mig, tack.", "09:20"),
        "2024-08-13 09:20",
    )
    bench.settle(3)
    assert {a: len(bench.received(a)) for a in before} == before
    assert bench.registration("olof.hansson@falun.se")["status"] == "active"
    assert "Avsändarraden har flera adresser" in bench.digest()


def test_the_victims_from_with_a_reply_to_the_attacker_changes_nothing(bench: Bench, olof: dict) -> None:
    """What already held: the forger wants the answer, and gets none of Olof's data."""
    bench.send(
        mail(
            OLOF,
            "Avanmälan",
            "Hej! Avanmäl mig, tack.\n\nOlof Hansson\nFalu kommun\n",
            sent=at("2024-08-13 09:30"),
            headers={"Reply-To": ATTACKER},
        ),
        "2024-08-13 09:30",
    )
    # Olof hears that someone asked in his name, and where the answer would have gone.
    [notice] = bench.wait(
        "olof.hansson@falun.se", about=lambda m: "Ref" in m["Subject"] and "bekräftad" not in m["Subject"]
    )
    assert ATTACKER in notice.message.get_body(preferencelist=("plain",)).get_content()
    bench.settle()
    assert bench.registration("olof.hansson@falun.se")["status"] == "active"
    assert olof["ref"] not in bench.all_text_to(ATTACKER)
