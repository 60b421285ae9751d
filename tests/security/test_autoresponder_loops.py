"""Threat: loops through fresh addresses (issue 8, item 10).

An autoresponder that answered from a new address each time, without Auto-Submitted, was answered
25 times out of 25. Now a reply to our own receipt gets no receipt, and the messages of one thread we
answer automatically are capped (ANMALAN_MAX_ANSWERS_PER_THREAD); what is held back is in the digest.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.e2e.mails import at, mail, reply
from tests.e2e.test_organiser_by_reply import Scene, text
from tests.security.limits_kit import open_scene, wait_for_digest_item

pytestmark = pytest.mark.servers

ASKER = "ulla.strom@malung-salen.se"
QUESTION = "Hej!\n\nKan ni berätta var träffarna hålls?\n\nMvh\n"


@pytest.fixture(scope="module")
def scene(tmp_path_factory, dovecot, smtp_server, redis_server) -> Iterator[Scene]:
    settings = {"ANMALAN_MAX_ANSWERS_PER_THREAD": "3"}
    yield from open_scene(
        tmp_path_factory, dovecot, smtp_server, redis_server, name="loops", settings=settings
    )


def test_an_autoresponder_answering_our_receipt_from_fresh_addresses_gets_no_answer(scene: Scene) -> None:
    scene.send(
        mail(f"Ulla Ström <{ASKER}>", "Fråga om träffarna", QUESTION, sent=at("2024-08-12 08:00")),
        "2024-08-12 08:00",
    )
    [receipt] = scene.wait(ASKER, "Tack för ditt meddelande")
    # The receipt reached a help desk whose robot answers each mail from a new address, and we answered
    # that answer: 25 robots, each replying to our receipt of the last one.
    robots = [f"robot{i}@helpdesk.example.org" for i in range(25)]
    for i, robot in enumerate(robots):
        when = f"2024-08-12 08:{10 + i:02d}"
        body = "Hej!\n\nVi har tagit emot ditt meddelande. Kan du skicka mer information om träffarna?\n"
        scene.send(reply(receipt, f"Helpdesk <{robot}>", body, sent=at(when), outlook=False), when)
    wait_for_digest_item(scene, robots[-1])  # the last robot's message was decided
    digest = text(scene.digest())
    assert all(robot in digest for robot in robots), digest
    assert not [m for m in scene.smtp.messages if set(m.rcpt_tos) & set(robots)]


def test_automatic_answers_in_one_thread_stop_at_the_limit_and_show_in_the_digest(scene: Scene) -> None:
    officer = "nils.bjork@ludvika.se"
    scene.send(
        mail(
            f"Nils Björk <{officer}>",
            "Anmälan lärprojektet",
            "Hej!\n\nJag anmäler mig till alla träffar.\n\nMvh Nils Björk\nLudvika kommun\n",
            sent=at("2024-08-12 09:00"),
        ),
        "2024-08-12 09:00",
    )
    [last] = scene.wait(officer, "Anmälan bekräftad")  # the thread's first automatic answer
    changes = (
        "Jag glömde skriva att jag är vegetarian.",
        "Jag glömde nämna att jag även är glutenintolerant.",
        "Jag glömde nämna att jag dessutom är laktosintolerant.",
    )
    for i, change in enumerate(changes):
        when = f"2024-08-12 09:{10 + i:02d}"
        scene.send(
            reply(last, f"Nils Björk <{officer}>", f"Hej!\n\n{change}\n\nMvh Nils\n", sent=at(when)), when
        )
        if i < 2:
            last = scene.wait(officer, "Ändring registrerad", count=i + 1)[-1]  # answers 2 and 3
    wait_for_digest_item(scene, "Automatiska svar hölls inne")
    digest = text(scene.digest())
    assert "gränsen är 3" in digest, digest
    assert len([m for m in scene.received(officer) if "Ändring registrerad" in m["Subject"]]) == 2
    # The change itself was made: only the answer waits for the organiser.
    [nils] = [r for r in scene.stack.registrations() if r["email"] == officer]
    assert sorted(nils["diet"]) == ["gluten", "lactose", "vegetarian"]
