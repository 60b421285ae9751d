"""Threat: commands in an organiser's name (issue 8, item 6, and what already held about tokens).

Commands count only from an organiser's address that our receiving server did not find failing DMARC, and
only with the token of a digest sent to that same organiser within 14 days; a reply threaded under a digest
without the token counts only from the organiser it went to and only as long as its token would. Forged or
old tokens, and look-alike organiser addresses, change nothing.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.e2e.mails import at, mail, reply
from tests.security.conftest import ORGANISER, Bench

pytestmark = pytest.mark.servers

SECOND = "karl.dahl@regiondalarna.se"
LOOK_ALIKE = "johanna.tangnas@regiondalarna.se.evil.example"


@pytest.fixture(scope="module")
def event_file(tmp_path_factory) -> Path:
    """The Dalalab event with a second organiser, so a token can be tried by the wrong one."""
    text = (REPO / "config/events/dalalab-2024.yaml").read_text()
    path = tmp_path_factory.mktemp("event") / "dalalab-2024.yaml"
    path.write_text(text.replace(f"  - {ORGANISER}\n", f"  - {ORGANISER}\n  - {SECOND}\n", 1))
    return path


@pytest.fixture(scope="module")
def people(service, dovecot, smtp_server) -> dict[str, str]:
    bench = Bench(service, dovecot, smtp_server)
    refs = {}
    for n, (name, town) in enumerate((("Ann Ek", "mora"), ("Bo Ek", "orsa"), ("Cia Ek", "rattvik"))):
        address = f"{name.split()[0].lower()}.ek@{town}.se"
        reg = bench.sign_up(
            f"{name} <{address}>", f"Hej!\n\nJag anmäler mig.\n\n{name}\n", f"2024-08-13 08:0{n}"
        )
        refs[address] = reg["ref"]
    return refs


def digest_mail(bench: Bench, to: str, *, now: str | None = None):
    """`anmalan digest --send` (at `now`, if given); the newest digest that reached `to`."""
    before = len([m for m in bench.received(to) if "Sammanställning" in m["Subject"]])
    env = dict(bench.stack.env)
    if now:
        bench.stack.env["ANMALAN_NOW"] = now
    try:
        bench.stack.cli("digest", "--send")
    finally:
        bench.stack.env = env
    return bench.wait(to, count=before + 1, about=lambda m: "Sammanställning" in m["Subject"])[-1].message


def threaded_without_token(digest, body: str, sent: str) -> bytes:
    """A reply under the digest (In-Reply-To its Message-ID) whose subject lost the token."""
    return mail(
        organiser(ORGANISER), "SV: Sammanställning", body, sent=at(sent), in_reply_to=digest["Message-ID"]
    )


def organiser(address: str) -> str:
    return f"Organisatör <{address}>"


def test_a_dmarc_fail_from_the_organisers_address_commands_nothing(bench: Bench, people: dict) -> None:
    digest = digest_mail(bench, ORGANISER)
    ref = people["ann.ek@mora.se"]
    bench.send(
        reply(
            digest,
            organiser(ORGANISER),
            f"AVANMÄL {ref}",
            sent=at("2024-08-13 10:10"),
            authenticated=False,
            headers={
                "Authentication-Results": "mx.regiondalarna.se; dmarc=fail header.from=regiondalarna.se"
            },
        ),
        "2024-08-13 10:10",
    )
    [answer] = bench.wait(ORGANISER, about=lambda m: "Sammanställning" not in m["Subject"])
    bench.settle()
    assert "kunde inte verifieras" in answer.message.get_body(preferencelist=("plain",)).get_content()
    assert bench.registration("ann.ek@mora.se")["status"] == "active"


def test_a_token_opens_nothing_for_another_organiser_or_a_look_alike(bench: Bench, people: dict) -> None:
    digest = digest_mail(bench, ORGANISER)
    ref = people["bo.ek@orsa.se"]
    for n, sender in enumerate((SECOND, LOOK_ALIKE)):
        # Not a reply: the digest's token copied into a new mail's subject.
        bench.send(
            mail(
                organiser(sender),
                f"SV: {digest['Subject']}",
                f"AVANMÄL {ref}\n",
                sent=at(f"2024-08-13 10:2{n}"),
            ),
            f"2024-08-13 10:2{n}",
        )
    bench.settle(4)
    assert bench.registration("bo.ek@orsa.se")["status"] == "active"
    # The organiser it was sent to may use it.
    bench.send(
        mail(
            organiser(ORGANISER), f"SV: {digest['Subject']}", f"AVANMÄL {ref}\n", sent=at("2024-08-13 10:30")
        ),
        "2024-08-13 10:30",
    )
    bench.wait("bo.ek@orsa.se", about=lambda m: "vbok" in m["Subject"] or "vanmäl" in m["Subject"])
    assert bench.registration("bo.ek@orsa.se")["status"] == "cancelled"


def test_a_reply_threaded_under_an_old_digest_without_token_is_not_obeyed(bench: Bench, people: dict) -> None:
    old = digest_mail(bench, ORGANISER, now="2024-07-05T08:00:00+02:00")  # 39 days before the service's day
    ref = people["cia.ek@rattvik.se"]
    untokened = threaded_without_token(old, f"AVANMÄL {ref}", "2024-08-13 10:40")
    bench.send(untokened, "2024-08-13 10:40")
    bench.settle(4)
    assert bench.registration("cia.ek@rattvik.se")["status"] == "active"
    # Under today's digest, the same reply without a token is obeyed: the threaded path itself still works.
    fresh = digest_mail(bench, ORGANISER)
    threaded = threaded_without_token(fresh, f"AVANMÄL {ref}", "2024-08-13 10:50")
    bench.send(threaded, "2024-08-13 10:50")
    bench.wait("cia.ek@rattvik.se", about=lambda m: "vbok" in m["Subject"] or "vanmäl" in m["Subject"])
    assert bench.registration("cia.ek@rattvik.se")["status"] == "cancelled"
