"""Two events in one service, through Dovecot, the watcher and worker processes, Redis and an SMTP server.

One shared folder: each sign-up goes to the event it names, a reply to event A's confirmation touches A
only, a mail naming neither waits for the organisers, and each event's digest lists its own people. Two
folders: each event reads its own, and a sign-up needs to name nothing.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.mails import at, mail, reply
from tests.e2e.stack import Post, Stack, text
from tests.events import OTHER, two_events

pytestmark = pytest.mark.servers

A, B = "dalalab-2024", OTHER["slug"]
A_NAME, B_NAME = "Hållbara samhällen runt stora etableringar och expansion", OTHER["name"]
A_ORGANISER, B_ORGANISER = "johanna.tangnas@regiondalarna.se", OTHER["organisers"][0]
ANNA, ERIK, KARIN = "anna.lindqvist@falun.se", "erik.berg@ludvika.se", "karin.strom@mora.se"


def stack_of_two(tmp_path: Path, dovecot, smtp, redis, **both) -> Stack:
    stack = Stack(tmp_path, dovecot, smtp, redis)
    del stack.env["ANMALAN_EVENT"]  # every file in the folder, as compose mounts it
    stack.env["ANMALAN_EVENTS_DIR"] = str(two_events(tmp_path / "events", **both))
    return stack


def signup(sender: str, subject: str, body: str, when: str) -> bytes:
    name = sender.split("@")[0].replace(".", " ").title()
    return mail(
        f"{name} <{sender}>", subject, f"Hej!\n\n{body}\n\nMed vänliga hälsningar\n{name}\n", sent=at(when)
    )


def by_event(stack: Stack) -> dict[str, dict[str, dict]]:
    out: dict[str, dict[str, dict]] = {A: {}, B: {}}
    for reg in stack.registrations():
        out[reg["event"]][reg["email"]] = reg
    return out


def test_two_events_in_one_shared_folder(tmp_path: Path, imap, smtp, redis_server) -> None:
    stack = stack_of_two(tmp_path, imap, smtp, redis_server).start().wait_ready()
    post = Post(stack, imap, smtp)
    try:
        post.send(
            signup(ANNA, "Anmälan Dalalab 2024", "Jag anmäler mig till alla träffar.", "2024-08-13 09:00"),
            "2024-08-13 09:00",
        )
        post.send(
            signup(
                ANNA, "Anmälan", "Jag vill vara med i Vindkraftsprojektet, träff 1 och 2.", "2024-08-13 09:01"
            ),
            "2024-08-13 09:01",
        )
        post.send(
            signup(ERIK, "Vindkraftsprojektet", "Jag anmäler mig, alla träffar.", "2024-08-13 09:02"),
            "2024-08-13 09:02",
        )
        post.send(
            signup(KARIN, "Anmälan", "Jag anmäler mig, alla träffar.", "2024-08-13 09:03"), "2024-08-13 09:03"
        )
        anna_a = post.wait(ANNA, about=lambda m: A_NAME in m["Subject"])[0].message
        anna_b = post.wait(ANNA, about=lambda m: B_NAME in m["Subject"])[0].message
        erik_b = post.wait(ERIK, about=lambda m: B_NAME in m["Subject"])[0].message
        assert f"Tack för din anmälan till {B_NAME}" in text(anna_b)
        regs = by_event(stack)
        assert set(regs[A]) == {ANNA} and set(regs[B]) == {ANNA, ERIK}
        assert regs[A][ANNA]["ref"] in anna_a["Subject"] and regs[B][ANNA]["ref"] in anna_b["Subject"]
        assert regs[B][ERIK]["ref"] in erik_b["Subject"]
        # Karin named neither: no answer and no registration, from either event.
        post.settle()
        assert post.received(KARIN) == []

        # Anna answers A's confirmation: A's seat at meeting 2 goes; her registration in B stays whole.
        post.send(
            reply(
                anna_a,
                f"Anna Lindqvist <{ANNA}>",
                "Hej! Jag kan tyvärr inte komma på träff 2.\n\nAnna",
                sent=at("2024-08-13 09:30"),
            ),
            "2024-08-13 09:30",
        )
        first = {anna_a["Message-ID"], anna_b["Message-ID"]}
        [receipt] = [m.message for m in post.wait(ANNA, count=3) if m.message["Message-ID"] not in first]
        regs = by_event(stack)
        assert regs[A][ANNA]["ref"] in receipt["Subject"]  # A's receipt, for A's registration
        assert regs[A][ANNA]["meetings"]["2"] == "cancelled" and regs[A][ANNA]["meetings"]["1"] == "confirmed"
        assert regs[B][ANNA]["meetings"] == {"1": "confirmed", "2": "confirmed"}
        assert regs[B][ANNA]["status"] == "active" and regs[B][ERIK]["status"] == "active"

        # Each event's organisers get their own digest: their own people, and Karin's mail to route.
        assert "several events" in stack.cli("digest", "--send", check=False).stderr
        stack.cli("digest", "--send", "--event", A)
        stack.cli("digest", "--send", "--event", B)
        digest_a = text(post.wait(A_ORGANISER)[0].message)
        digest_b = text(post.wait(B_ORGANISER)[0].message)
        assert "Anna Lindqvist" in digest_a and "Erik Berg" not in digest_a
        assert "Erik Berg" in digest_b and "Anna Lindqvist" in digest_b
        for digest in (digest_a, digest_b):
            assert "Evenemang okänt" in digest and "kunde inte knytas till ett evenemang" in digest
        assert post.received(B_ORGANISER)[0]["To"] == B_ORGANISER and len(post.received(A_ORGANISER)) == 1
    finally:
        stack.stop()


def test_two_events_in_two_folders(tmp_path: Path, imap, smtp, redis_server) -> None:
    stack = stack_of_two(tmp_path, imap, smtp, redis_server)
    # B reads a folder of its own; A the folder of ANMALAN_IMAP_FOLDER (INBOX).
    path = tmp_path / "events" / f"{B}.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "imap_folder: Vindkraft\n", encoding="utf-8")
    imap.append(
        b"Subject: folder\r\n\r\nmade\r\n", folder="Vindkraft"
    )  # the folder exists, as on a real server
    stack.start().wait_ready()
    post = Post(stack, imap, smtp)
    try:
        imap.append(
            signup(ANNA, "Anmälan", "Jag anmäler mig, alla träffar.", "2024-08-13 09:00"),
            folder="Vindkraft",
            internaldate=at("2024-08-13 09:00"),
        )
        post.send(
            signup(ERIK, "Anmälan", "Jag anmäler mig, alla träffar.", "2024-08-13 09:01"), "2024-08-13 09:01"
        )
        post.wait(ANNA, about=lambda m: B_NAME in m["Subject"])
        post.wait(ERIK, about=lambda m: A_NAME in m["Subject"])
        regs = by_event(stack)
        assert set(regs[A]) == {ERIK} and set(regs[B]) == {ANNA}
        watched = (tmp_path / "watch.log").read_text()
        assert "/INBOX (IDLE" in watched and "/Vindkraft (IDLE" in watched
        # Nothing on the server changed in either folder.
        assert not any(m.seen for m in imap.messages()) and not any(
            m.seen for m in imap.messages("Vindkraft")
        )
    finally:
        stack.stop()
