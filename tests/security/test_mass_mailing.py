"""Threat: the service mails strangers on request (issue 8, item 8).

One 4 KB message listing 200 people at third-party addresses produced 201 mails from the region's
mailbox. Now a message naming more than ANMALAN_MAX_PEOPLE_PER_MESSAGE people (default 10), or taking
its sender past ANMALAN_MAX_NEW_ADDRESSES_PER_SENDER new addresses today, registers and mails nobody:
the sender gets one receipt and the organiser sees the message in the digest.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.e2e.mails import at, mail
from tests.e2e.test_organiser_by_reply import Scene, text
from tests.security.limits_kit import open_scene

pytestmark = pytest.mark.servers

SPAMMER = "nisse.hult@falun.se"
OFFICER = "greta.lind@falun.se"


@pytest.fixture(scope="module")
def scene(tmp_path_factory, dovecot, smtp_server, redis_server) -> Iterator[Scene]:
    settings = {"ANMALAN_MAX_NEW_ADDRESSES_PER_SENDER": "4"}  # the people cap keeps its default, 10
    yield from open_scene(
        tmp_path_factory, dovecot, smtp_server, redis_server, name="mass-mailing", settings=settings
    )


def _list_of(count: int, start: int = 0) -> str:
    return "\n".join(f"- Person Nummer{i}, person{i}@example.org" for i in range(start, start + count))


def _signup(sender: str, people: str, when: str) -> bytes:
    body = f"Hej!\n\nJag anmäler följande personer till alla träffar:\n\n{people}\n\nMvh\nFalu kommun\n"
    return mail(sender, "Anmälan", body, sent=at(when))


def test_a_message_listing_200_strangers_sends_one_receipt_and_waits_in_the_digest(scene: Scene) -> None:
    raw = _signup(f"Nisse Hult <{SPAMMER}>", _list_of(200), "2024-08-12 08:00")
    scene.send(raw, "2024-08-12 08:00")
    [receipt] = scene.wait(SPAMMER)
    assert "Ingen är anmäld ännu" in text(receipt)
    # The receipt was written in the same transaction as any other mail of that decision: none is coming.
    sent_to = {rcpt for m in scene.smtp.messages for rcpt in m.rcpt_tos}
    assert sent_to == {SPAMMER}, sent_to
    assert scene.stack.registrations() == []
    digest = text(scene.digest())
    assert "200 personer i ett meddelande (gränsen är 10)" in digest


def test_new_addresses_per_sender_per_day_are_capped(scene: Scene) -> None:
    sender = f"Greta Lind <{OFFICER}>"
    scene.send(_signup(sender, _list_of(3, start=1000), "2024-08-12 09:00"), "2024-08-12 09:00")
    for i in range(1000, 1003):
        scene.wait(f"person{i}@example.org", "Anmälan bekräftad")
    scene.send(_signup(sender, _list_of(2, start=1003), "2024-08-12 09:10"), "2024-08-12 09:10")
    [receipt] = scene.wait(OFFICER, "Tack för ditt meddelande")
    assert "Ingen är anmäld ännu" in text(receipt)
    assert not scene.received("person1003@example.org") and not scene.received("person1004@example.org")
    registered = {r["email"] for r in scene.stack.registrations()}
    assert registered == {f"person{i}@example.org" for i in range(1000, 1003)}
    assert "5 nya adresser från samma avsändare i dag (gränsen är 4)" in text(scene.digest())
