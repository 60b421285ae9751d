"""Threat: a stranger learns anyone's reference and data, then acts on them (issue 8, item 1).

A stranger writes from a webmail address about a registered person: "sign up my colleague", then "cancel
her" in the thread we answered, then "she has a new address". Only the person, or whoever registered them,
may hear how a registration stands; the stranger learns nothing, not even whether she is registered, and a
thread with the stranger carries no authority over her.
"""

from __future__ import annotations

import pytest

from tests.e2e.mails import at, mail, reply
from tests.security.conftest import Bench

pytestmark = pytest.mark.servers

KARIN = "Karin Lindqvist <karin.lindqvist@falun.se>"
STRANGER = "Sam Okänd <sam.okand@webmail.example>"


def test_a_stranger_learns_nothing_cancels_nothing_and_hijacks_nothing(bench: Bench) -> None:
    karin = bench.sign_up(
        KARIN,
        "Hej!\n\nJag anmäler mig till alla träffar. Jag är vegetarian.\n\n"
        "Med vänliga hälsningar\nKarin Lindqvist\nPlanarkitekt\nFalu kommun\n",
        "2024-08-13 08:00",
    )
    assert karin["status"] == "active"

    bench.send(
        mail(
            STRANGER,
            "Anmälan av kollega",
            "Hej!\n\nJag vill anmäla min kollega Karin Lindqvist, Falu kommun.\n\nHälsningar\nSam\n",
            sent=at("2024-08-13 09:00"),
        ),
        "2024-08-13 09:00",
    )
    [answer] = bench.wait("sam.okand@webmail.example")
    # Karin hears that someone asked; the notice with her data goes to her alone.
    bench.wait("karin.lindqvist@falun.se", about=lambda m: "Redan anmäld" in m["Subject"])
    learned = bench.all_text_to("sam.okand@webmail.example")
    for secret in (karin["ref"], "Redan anmäld", "redan anmäld", "vegetarian", "Planarkitekt", "Falu kommun"):
        assert secret not in learned, f"the stranger learned {secret!r}:\n{learned}"

    # In the thread we answered the stranger in: "she has a new address" (her reminders would go to the
    # stranger), then "cancel her".
    bench.send(
        reply(
            answer.message,
            STRANGER,
            "Karin har fått ny e-postadress: sam.okand@webmail.example\n\nSam",
            sent=at("2024-08-13 09:10"),
        ),
        "2024-08-13 09:10",
    )
    bench.send(
        reply(answer.message, STRANGER, "Avanmäl henne, tack.\n\nSam", sent=at("2024-08-13 09:20")),
        "2024-08-13 09:20",
    )
    # A reply to our receipt gets no receipt (item 10: no answer to an answer), so nothing arrives to wait
    # for; decisions follow arrival order, so once a later sign-up is answered, both replies were decided.
    bench.sign_up(
        "Per Ols <per.ols@orsa.se>",
        "Hej!\n\nJag anmäler mig till alla träffar.\n\nMed vänliga hälsningar\nPer Ols\nPlanarkitekt\nOrsa kommun\n",
        "2024-08-13 09:30",
    )
    assert len(bench.received("sam.okand@webmail.example")) == 1
    after = bench.registration("karin.lindqvist@falun.se")
    assert after["status"] == "active"
    assert after["email"] == "karin.lindqvist@falun.se"
    assert after["meetings"] == karin["meetings"]
    learned = bench.all_text_to("sam.okand@webmail.example")
    assert karin["ref"] not in learned and "vegetarian" not in learned
