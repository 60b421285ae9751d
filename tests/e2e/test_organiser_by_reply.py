"""The organiser acts by replying to the digest: commands through Dovecot → watcher → worker → SMTP."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator

import pytest

from tests.e2e.mails import at, mail, reply
from tests.e2e.stack import Stack

pytestmark = pytest.mark.servers

NOW = "2024-08-26T08:00:00+02:00"  # the Monday after the deadline; the digest of the day carries a token
WAIT = 15.0
ORGANISER = "johanna.tangnas@regiondalarna.se"
ORGANISER_FROM = f"Johanna Tangnäs <{ORGANISER}>"
SIGNATURE = "\n\nMed vänlig hälsning\nJohanna Tangnäs\nProcessledare Dalalab\nRegion Dalarna\n"
PHONE = "\n\nSkickat från min iPhone\n"  # quick replies from the phone, no signature
ALL_CONFIRMED = {"1": "confirmed", "2": "confirmed", "3": "confirmed", "4": "confirmed"}

LATE = "emma.lindqvist@avesta.se"
ACTIVE = "nils.bjork@ludvika.se"
ASKER = "ulla.strom@malung-salen.se"
FORGER = "nisse.hult@outlook.com"


def text(message) -> str:
    part = message.get_body(preferencelist=("plain",))
    # Lines end in CRLF as sent; a reader sees lines.
    return part.get_content().replace("\r\n", "\n") if part else ""


class Scene:
    """The running service, the mailbox and what has been sent, shared by the tests of this module."""

    def __init__(self, stack: Stack, imap, smtp) -> None:
        self.stack, self.imap, self.smtp = stack, imap, smtp
        self.refs: dict[str, str] = {}

    def send(self, raw: bytes, arrived: str) -> None:
        self.imap.append(raw, internaldate=at(arrived))

    def wait(self, address: str, words: str = "", count: int = 1) -> list:
        try:
            found = self.smtp.wait_for(
                lambda m: address in m.rcpt_tos and words in m.message["Subject"], timeout=WAIT, count=count
            )
        except TimeoutError as error:
            pytest.fail(f"{error}\n{self.stack.logs()}")
        return [m.message for m in found]

    def received(self, address: str) -> list:
        return [m.message for m in self.smtp.messages if address in m.rcpt_tos]

    def registration(self, email: str) -> dict:
        [reg] = [r for r in self.stack.registrations() if r["email"] == email]
        return reg

    def digest(self) -> object:
        """`anmalan digest --send`, as an organiser would run it; the newest digest mail."""
        before = len([m for m in self.received(ORGANISER) if "Sammanställning" in m["Subject"]])
        done = self.stack.cli("digest", "--send")
        assert "1 skickade" in done.stdout, done.stdout + done.stderr
        return self.wait(ORGANISER, "Sammanställning", count=before + 1)[-1]


@pytest.fixture(scope="module")
def scene(tmp_path_factory, dovecot, smtp_server, redis_server) -> Iterator[Scene]:
    """A late sign-up, an on-time one and a question, answered by the service before any digest."""
    dovecot.clear()
    smtp_server.clear()
    stack = Stack(tmp_path_factory.mktemp("organiser"), dovecot, smtp_server, redis_server, now=NOW)
    stack.start().wait_ready()
    try:
        scene = Scene(stack, dovecot, smtp_server)
        scene.send(
            mail(
                "Nils Björk <nils.bjork@ludvika.se>",
                "Anmälan lärprojektet",
                "Hej!\n\nJag anmäler mig till lärprojektets alla träffar.\n\n"
                "Med vänliga hälsningar\nNils Björk\nBygglovschef\nLudvika kommun\n",
                sent=at("2024-08-20 15:12"),
            ),
            "2024-08-20 15:12",
        )
        scene.send(
            mail(
                "Emma Lindqvist <emma.lindqvist@avesta.se>",
                "Sen anmälan",
                "Hej!\n\nJag missade sista anmälningsdagen men vill gärna anmäla mig till alla träffar "
                "om det går.\nJag är vegan.\n\n"
                "Vänliga hälsningar\nEmma Lindqvist\nSamhällsplanerare\nAvesta kommun\n",
                sent=at("2024-08-25 20:03"),
            ),
            "2024-08-25 20:03",
        )
        scene.send(
            mail(
                "Ulla Ström <ulla.strom@malung-salen.se>",
                "Fråga om digitalt deltagande",
                "Hej!\n\nFinns det möjlighet att följa träffarna digitalt? Det är långt till Falun från oss.\n\n"
                "Hälsningar\nUlla Ström\nMalung-Sälens kommun\n",
                sent=at("2024-08-21 09:40"),
            ),
            "2024-08-21 09:40",
        )
        scene.wait(ACTIVE, "Anmälan bekräftad")
        scene.wait(LATE, "efter sista anmälningsdag")
        scene.wait(ASKER, "Tack för ditt meddelande")
        scene.refs = {r["email"]: r["ref"] for r in stack.registrations()}
        yield scene
    finally:
        stack.stop()


def item_number(digest_text: str, words: str) -> int:
    """The number the digest shows for the item whose line contains `words` ("[3] Fråga: …")."""
    for line in digest_text.splitlines():
        match = re.match(r"\s*\[(\d+)\]\s", line)
        if match and words in line:
            return int(match.group(1))
    raise AssertionError(f"no item with {words!r} in the digest:\n{digest_text}")


def test_approve_answer_help_and_unknown_line_by_reply_to_the_digest(scene: Scene) -> None:
    late_ref = scene.refs[LATE]
    assert scene.registration(LATE)["status"] == "pending_approval"

    digest = scene.digest()
    assert digest["Subject"].startswith("[Digest dalalab-2024 240826.")
    body = text(digest)
    assert late_ref in body
    question = item_number(body, "Fråga")
    item_number(body, "Sen anmälan")

    scene.send(
        reply(
            digest,
            ORGANISER_FROM,
            f"GODKÄNN {late_ref}\n"
            f"SVARA {question} Ja, träff 1 och 2 sänds digitalt. Länken kommer veckan innan.\n"
            "hjälp\n"
            "Tack för sammanställningen!" + PHONE,
            sent=at("2024-08-26 08:20"),
        ),
        "2024-08-26 08:20",
    )

    [confirmation] = scene.wait(LATE, "Anmälan bekräftad")
    assert f"[Ref {late_ref}]" in confirmation["Subject"]
    assert "torsdag 12 september 2024" in text(confirmation)
    calendars = [p for p in confirmation.iter_attachments() if p.get_content_type() == "text/calendar"]
    assert len(calendars) == 4
    reg = scene.registration(LATE)
    assert reg["status"] == "active"
    assert reg["meetings"] == ALL_CONFIRMED

    [answer] = scene.wait(ASKER, "Svar från arrangören")
    answer_text = text(answer)
    assert "Ja, träff 1 och 2 sänds digitalt. Länken kommer veckan innan." in answer_text
    assert "> Finns det möjlighet att följa träffarna digitalt?" in answer_text

    [result] = scene.wait(ORGANISER, "Utfört")
    assert "[Digest dalalab-2024 240826." in result["Subject"]
    assert "Utfört: 3 av 4 rader" in result["Subject"]
    assert result["In-Reply-To"]
    lines = text(result)
    assert f"> GODKÄNN {late_ref}\n  OK: Godkänd: Emma Lindqvist, Avesta kommun ({late_ref})" in lines
    assert f"> SVARA {question} Ja, träff 1" in lines
    assert f"Svar skickat till {ASKER}" in lines
    assert "> Tack för sammanställningen!\n  EJ UTFÖRT: Okänt kommando" in lines
    assert "GODKÄNN <ref>" in lines and "AVANMÄL <ref>" in lines  # the help
    # The quoted digest underneath ("Svara med: GODKÄNN …", "SVARA n …") was not read as commands.
    assert lines.count("\n> ") == 4


def test_cancel_by_reply_to_the_answer(scene: Scene) -> None:
    ref = scene.refs[ACTIVE]
    [previous] = scene.wait(ORGANISER, "Utfört")
    scene.send(
        # From Outlook, with the full signature: only the command line is a command.
        reply(previous, ORGANISER_FROM, f"AVANMÄL {ref}" + SIGNATURE, sent=at("2024-08-26 09:02")),
        "2024-08-26 09:02",
    )
    [receipt] = scene.wait(ACTIVE, "Avbokning")
    assert f"[Ref {ref}]" in receipt["Subject"]
    reg = scene.registration(ACTIVE)
    assert reg["status"] == "cancelled"
    assert set(reg["meetings"].values()) == {"cancelled"}
    [_, result] = scene.wait(ORGANISER, "Utfört", count=2)
    assert "Utfört: 1 av 1 rader" in result["Subject"]
    assert f"> AVANMÄL {ref}\n  OK: Avanmäld: Nils Björk, Ludvika kommun ({ref})" in text(result)
    assert "Okänt kommando" not in text(result)


def test_forged_commands_change_nothing_and_show_in_the_next_digest(scene: Scene) -> None:
    ref = scene.refs[LATE]
    before = scene.registration(LATE)
    assert before["status"] == "active"
    mails_before = {address: len(scene.received(address)) for address in (LATE, ASKER, ACTIVE, FORGER)}
    digest = scene.digest()

    # Someone who has seen a digest (its token in the subject) but is not an organiser.
    scene.send(
        mail(
            f"Nisse Hult <{FORGER}>",
            digest["Subject"],
            f"AVANMÄL {ref}\nSVARA 1 Träffarna är inställda.\n",
            sent=at("2024-08-26 10:15"),
            outlook=False,
        ),
        "2024-08-26 10:15",
    )
    # The organiser's address on a mail that is no reply to any digest and carries no token.
    scene.send(
        mail(ORGANISER_FROM, "Avanmälan", f"AVANMÄL {ref}" + SIGNATURE, sent=at("2024-08-26 10:20")),
        "2024-08-26 10:20",
    )
    [refused] = scene.wait(ORGANISER, "Inte utfört")
    assert "Ingenting ändrades" in text(refused)
    time.sleep(2.0)  # the forger's mail gets no answer at all: give it the time one would take

    after = scene.registration(LATE)
    assert after["status"] == "active"
    assert after["meetings"] == before["meetings"] == ALL_CONFIRMED
    for address, count in mails_before.items():
        assert len(scene.received(address)) == count, address
    assert {r for m in scene.smtp.messages for r in m.rcpt_tos} <= {ORGANISER, LATE, ACTIVE, ASKER}

    report = text(scene.digest())
    assert report.count("Ändring utan behörighet") >= 2
    assert FORGER in report
