"""Threat: references computed or guessed (issue 8, item 4, and what already held about Message-IDs).

A reference once was 30 bits of an unkeyed hash of the message's position, so one's own gave away
everyone's, and one subject could carry 100,000 guesses. Now a reference is 65 bits keyed with the
service's secret, one reference per subject is read, and an address that keeps naming references that do
not exist is ignored for the day and shown to the organisers.
"""

from __future__ import annotations

import re

import pytest

from tests.e2e.mails import at, mail
from tests.security.conftest import Bench

pytestmark = pytest.mark.servers

ATTACKER = "Otto Gissare <otto.gissare@mora.se>"
OTTO = "otto.gissare@mora.se"
VICTIM = "Vera Strand <vera.strand@leksand.se>"
# Crockford base32 in groups 4-4-5: 13 characters of 5 bits.
REFERENCE = re.compile(r"^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{5}$")


@pytest.fixture(scope="module")
def people(service, dovecot, smtp_server) -> dict[str, dict]:
    bench = Bench(service, dovecot, smtp_server)
    body = "Hej!\n\nJag anmäler mig till alla träffar.\n\nHälsningar\n{}\n{}\n"
    return {
        "otto": bench.sign_up(ATTACKER, body.format("Otto Gissare", "Mora kommun"), "2024-08-13 08:00"),
        "vera": bench.sign_up(VICTIM, body.format("Vera Strand", "Leksands kommun"), "2024-08-13 08:01"),
    }


def cancel(subject: str, sent: str) -> bytes:
    return mail(ATTACKER, subject, "Hej! Vera Strand kan inte komma, avboka henne.\n\nOtto\n", sent=at(sent))


def test_references_carry_65_bits_and_ours_tell_nothing_of_others(people: dict) -> None:
    otto, vera = people["otto"]["ref"], people["vera"]["ref"]
    assert REFERENCE.match(otto) and REFERENCE.match(vera)
    assert otto != vera


def test_a_subject_full_of_guesses_is_read_for_its_first_reference_only(bench: Bench, people: dict) -> None:
    vera = people["vera"]["ref"]
    # Tens of thousands of candidates, the right one among them (as if the guesser were lucky).
    guesses = [f"[Ref {n:04d}-0000-{n:05d}]" for n in range(20000)]
    guesses.insert(len(guesses) // 2, f"[Ref {vera}]")
    bench.send(cancel("Avbokning " + " ".join(guesses), "2024-08-13 09:00"), "2024-08-13 09:00")
    bench.wait(OTTO, count=2)  # his confirmation, then the answer to this message
    bench.settle()
    assert bench.registration("vera.strand@leksand.se")["status"] == "active"
    assert bench.registration(OTTO)["status"] == "active"


def test_an_address_guessing_references_is_ignored_for_the_day_and_reported(
    bench: Bench, people: dict
) -> None:
    vera = people["vera"]["ref"]
    for n in range(5):
        bench.send(
            cancel(f"Avbokning [Ref {n:04d}-AAAA-BBBBB]", f"2024-08-13 10:0{n}"), f"2024-08-13 10:0{n}"
        )
    # The sixth message names the right reference: too late, the address has used up its guesses today.
    bench.send(cancel(f"Avbokning [Ref {vera}]", "2024-08-13 10:10"), "2024-08-13 10:10")
    bench.wait(OTTO, count=2 + 6)
    bench.settle()
    assert bench.registration("vera.strand@leksand.se")["status"] == "active"
    digest = bench.digest()
    assert "Gissade referenser" in digest and OTTO in digest


def test_our_message_ids_carry_64_random_bits(bench: Bench, people: dict) -> None:
    """What already held: a Message-ID of ours cannot be guessed to thread into someone else's mail."""
    ids = [m.message["Message-ID"] for m in bench.smtp.messages]
    assert len(ids) == len(set(ids)) >= 2
    randoms = [int(mid.strip("<>").split("@")[0].split(".")[2]) for mid in ids]
    assert all(0 <= r < 2**64 for r in randoms)
    assert max(randoms) > 2**40  # not a counter
