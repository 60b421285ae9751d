"""Threat: a participant's own words lose data (issue 8, item 12).

"Jag är även vegetarian" must not wipe a registered gluten allergy; raw 8-bit UTF-8 headers must read
as written in what we store and in the organisers' digest, not as mojibake.
"""

from __future__ import annotations

import pytest

from tests.e2e.mails import at, mail, reply
from tests.e2e.test_organiser_by_reply import Scene, text
from tests.security.limits_kit import listed, raw_8bit, running_scene  # noqa: F401 - the `scene` fixture

pytestmark = pytest.mark.servers


def _signed_up(scene: Scene, sender: str, body: str, when: str):
    scene.send(mail(sender, "Anmälan lärprojektet", body, sent=at(when)), when)
    address = sender.split("<")[1].rstrip(">")
    [confirmation] = scene.wait(address, "Anmälan bekräftad")
    return confirmation


@pytest.mark.parametrize("word", ["även", "också", "dessutom"])
def test_an_added_diet_keeps_the_allergy(scene: Scene, word: str) -> None:
    address = f"karin.{word.replace('ä', 'a').replace('å', 'a')}@falun.se"
    confirmation = _signed_up(
        scene,
        f"Karin Lund <{address}>",
        "Hej!\n\nJag anmäler mig till alla träffar. Jag är glutenintolerant.\n\n"
        "Med vänlig hälsning\nKarin Lund\nFalu kommun\n",
        "2024-08-12 09:00",
    )
    assert listed(scene)[address]["diet"] == ["gluten"]
    scene.send(
        reply(
            confirmation,
            f"Karin Lund <{address}>",
            f"Hej!\n\nJag glömde nämna att jag {word} är vegetarian.\n\nMvh Karin\n",
            sent=at("2024-08-12 10:00"),
        ),
        "2024-08-12 10:00",
    )
    [receipt] = scene.wait(address, "Ändring registrerad")
    assert sorted(listed(scene)[address]["diet"]) == ["gluten", "vegetarian"]
    assert "gluten" in text(receipt).lower()


def test_a_correction_replaces_the_diet(scene: Scene) -> None:
    address = "per.rask@mora.se"
    confirmation = _signed_up(
        scene,
        f"Per Rask <{address}>",
        "Hej!\n\nJag anmäler mig till alla träffar. Jag är glutenintolerant.\n\nMvh Per Rask\nMora kommun\n",
        "2024-08-12 09:05",
    )
    scene.send(
        reply(
            confirmation,
            f"Per Rask <{address}>",
            "Hej!\n\nRättelse: jag är vegetarian. Jag skrev fel förut.\n\nMvh Per\n",
            sent=at("2024-08-12 10:05"),
        ),
        "2024-08-12 10:05",
    )
    scene.wait(address, "Ändring registrerad")
    assert listed(scene)[address]["diet"] == ["vegetarian"]


def test_raw_utf8_headers_read_as_written_in_the_list_and_the_digest(scene: Scene) -> None:
    address = "asa.oberg@smedjebacken.se"
    scene.send(
        raw_8bit(
            f"Åsa Öberg <{address}>",
            "Fråga om träffarna – går det att delta på distans?",
            "Hej!\n\nGår det att följa träffarna på distans? Det är långt för oss.\n\nÅsa Öberg\n",
            msgid="raw8bit-1@smedjebacken.se",
            date="Mon, 12 Aug 2024 11:00:00 +0200",
        ),
        "2024-08-12 11:00",
    )
    scene.wait(address)
    scene.send(
        raw_8bit(
            "Örjan Åkesson <orjan.akesson@smedjebacken.se>",
            "Anmälan – Örjan Åkesson",
            "Hej!\n\nJag anmäler mig till alla träffar.\n\nSmedjebackens kommun\n",
            msgid="raw8bit-2@smedjebacken.se",
            date="Mon, 12 Aug 2024 11:05:00 +0200",
        ),
        "2024-08-12 11:05",
    )
    scene.wait("orjan.akesson@smedjebacken.se", "Anmälan bekräftad")
    assert listed(scene)["orjan.akesson@smedjebacken.se"]["name"] == "Örjan Åkesson"
    digest = text(scene.digest())
    assert "Fråga om träffarna" in digest or "Gå" in digest, digest
    for mojibake in ("Ã", "\ufffd", "=?"):
        assert mojibake not in digest, digest
    assert "Örjan Åkesson" in digest
