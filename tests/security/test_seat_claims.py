"""Threat: capped seats taken by claims (issue 8, item 7).

Three webmail senders who wrote "Mora kommun" got Mora's three seats, and the real mora.se officer was
waitlisted. Now a capped seat claimed from outside the organisation's mail domains holds no seat: it
waits in the digest queue for GODKÄNN or NEKA, and the organisation's own staff get their seats.
"""

from __future__ import annotations

import pytest

from tests.e2e.mails import at, mail
from tests.e2e.test_organiser_by_reply import Scene, text
from tests.security.limits_kit import listed, running_scene  # noqa: F401 - the `scene` fixture

pytestmark = pytest.mark.servers

ALL_CONFIRMED = {"1": "confirmed", "2": "confirmed", "3": "confirmed", "4": "confirmed"}
CLAIMERS = ("mora.fan@gmail.com", "kalle.mora@hotmail.com", "mora.lisa@outlook.com")
OFFICER = "eva.dahl@mora.se"


def test_webmail_claims_on_moras_seats_wait_for_the_organiser_and_moras_officer_gets_a_seat(
    scene: Scene,
) -> None:
    for minute, address in enumerate(CLAIMERS):
        when = f"2024-08-12 08:0{minute}"
        scene.send(
            mail(
                f"Anna Svensson <{address}>",
                "Anmälan",
                f"Hej!\n\nJag vill anmäla mig till alla träffar.\n\nAnna Svensson {minute}\nMora kommun\n",
                sent=at(when),
                outlook=False,
            ),
            when,
        )
    for address in CLAIMERS:
        [held] = scene.wait(address, "väntar på arrangörens godkännande")
        assert "inte bekräftad ännu" in text(held)
    scene.send(
        mail(
            f"Eva Dahl <{OFFICER}>",
            "Anmälan lärprojektet",
            "Hej!\n\nJag anmäler mig till alla träffar.\n\nMed vänlig hälsning\nEva Dahl\nMora kommun\n",
            sent=at("2024-08-12 09:00"),
        ),
        "2024-08-12 09:00",
    )
    scene.wait(OFFICER, "Anmälan bekräftad")

    regs = listed(scene)
    assert regs[OFFICER]["meetings"] == ALL_CONFIRMED
    for address in CLAIMERS:
        assert regs[address]["status"] == "pending_approval"
        assert regs[address]["organisation"]["name"] == "Mora kommun"
        assert "confirmed" not in regs[address]["meetings"].values()

    digest = text(scene.digest())
    claims = [line for line in digest.splitlines() if "Plats begärd utanför organisationen" in line]
    assert len(claims) == 3, digest
    assert all(address in digest for address in CLAIMERS)
    assert f"GODKÄNN {regs[CLAIMERS[0]]['ref']}" in digest
