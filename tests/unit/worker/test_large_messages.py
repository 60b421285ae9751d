"""Large messages: fetched in batches bounded by bytes, and cut to headers and text over the cap."""

from __future__ import annotations

import email
import os
from email.message import EmailMessage

from parsers import parse
from parsers.oversize import TRUNCATED_HEADER, keep_text
from tests.unit.parsers.parserkit import MEETINGS
from worker.sources import fetch_plan


def test_fetch_plan_groups_small_messages_and_fetches_large_ones_alone() -> None:
    sizes = {"1": 1_000, "2": 2_000, "3": 9_000_000, "4": 3_000, "5": 30_000_000, "6": 10}
    plan = list(fetch_plan(list(sizes), sizes, budget=8_000_000, count=50))
    assert plan == [["1", "2"], ["3"], ["4"], ["5"], ["6"]]
    assert list(fetch_plan(["1", "2", "4"], sizes, budget=8_000_000, count=2)) == [["1", "2"], ["4"]]


def test_an_oversized_message_keeps_its_headers_and_text_and_names_what_went() -> None:
    message = EmailMessage()
    message["From"] = "Åsa Öberg <asa.oberg@falun.se>"
    message["To"] = "anmalan.dalalab@regiondalarna.se"
    message["Subject"] = "Anmälan"
    message["Message-ID"] = "<big-1@falun.se>"
    message.set_content("Hej!\n\nJag anmäler mig till alla träffar.\n\nÅsa Öberg\nFalu kommun\n")
    message.add_attachment(os.urandom(3_000_000), maintype="image", subtype="jpeg", filename="bilder.jpg")
    raw = message.as_bytes()
    kept = keep_text(raw[:1_000_000], original_size=len(raw), limit=1_000_000)
    assert len(kept) < 10_000 and f"{TRUNCATED_HEADER}: {len(raw)} bytes".encode() in kept
    parsed = parse(kept, MEETINGS)
    assert (
        parsed.intent == "signup"
        and parsed.sender == "asa.oberg@falun.se"
        and parsed.message_id == "big-1@falun.se"
    )
    assert parsed.people[0].name == "Åsa Öberg"
    [note] = [p for p in email.message_from_bytes(kept).walk() if p.get_filename()]
    assert "bilder.jpg" in note.get_payload(decode=True).decode() and "bilder.jpg" not in parsed.new_text
