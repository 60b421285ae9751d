"""VERP: each mail's envelope sender leads back to that mail, and nothing else reads as ours."""

from __future__ import annotations

from email.utils import make_msgid

from worker import verp

MAILBOX = "anmalan.dalalab@regiondalarna.se"


def test_the_envelope_sender_leads_back_to_the_mails_message_id() -> None:
    message_id = make_msgid(domain="regiondalarna.se").strip("<>")
    sender = verp.envelope_sender(MAILBOX, message_id)
    assert sender.startswith("anmalan.dalalab+b-") and sender.endswith("@regiondalarna.se")
    assert len(sender.split("@")[0]) <= 64
    # a bounce addresses it as the server wrote it, in any case
    assert verp.message_id_of(sender.upper(), MAILBOX) == message_id
    assert verp.message_id_of(f"<{sender}>", MAILBOX) == message_id


def test_other_addresses_are_not_ours() -> None:
    assert verp.message_id_of(MAILBOX, MAILBOX) is None
    assert verp.message_id_of("karin.strom@mora.se", MAILBOX) is None
    assert verp.message_id_of("anmalan.dalalab+b-1.2@example.se", MAILBOX) is None
    assert verp.message_id_of("anmalan.dalalab+b-<x>@regiondalarna.se", MAILBOX) is None


def test_a_message_id_that_cannot_be_carried_leaves_the_plain_mailbox() -> None:
    assert verp.envelope_sender(MAILBOX, "1.2@other.example") == MAILBOX  # another domain
    assert verp.envelope_sender(MAILBOX, f"{'9' * 60}@regiondalarna.se") == MAILBOX  # too long
    assert verp.envelope_sender(MAILBOX, "a b@regiondalarna.se") == MAILBOX
