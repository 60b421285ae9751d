"""The digest token: signed, short, URL-safe, bound to event and day, expiring."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from rules.token import digest_subject_tag, digest_token, find_token, verify_digest_token

SECRET = "test-secret-not-for-production"
DAY = date(2024, 8, 26)


def test_sign_and_verify():
    token = digest_token(SECRET, "dalalab-2024", DAY)
    assert re.fullmatch(r"[A-Za-z0-9_.-]{10,32}", token)
    assert token == digest_token(SECRET, "dalalab-2024", DAY)
    assert verify_digest_token(SECRET, "dalalab-2024", token, today=DAY)
    assert verify_digest_token(SECRET, "dalalab-2024", token, today=DAY + timedelta(days=14))


def test_rejects_other_secret_event_tampering_and_garbage():
    token = digest_token(SECRET, "dalalab-2024", DAY)
    assert not verify_digest_token("other", "dalalab-2024", token, today=DAY)
    assert not verify_digest_token(SECRET, "other-event", token, today=DAY)
    forged_day = token.replace("240826", "240827")
    assert not verify_digest_token(SECRET, "dalalab-2024", forged_day, today=DAY + timedelta(days=1))
    flipped = token[:-1] + ("A" if token[-1] != "A" else "B")
    assert not verify_digest_token(SECRET, "dalalab-2024", flipped, today=DAY)
    for junk in ("", None, "garbage", "241399.AAAAAAAAAAAAAAAA"):
        assert not verify_digest_token(SECRET, "dalalab-2024", junk, today=DAY)
    assert not verify_digest_token("", "dalalab-2024", token, today=DAY)


def test_expiry_and_future():
    token = digest_token(SECRET, "dalalab-2024", DAY)
    assert not verify_digest_token(SECRET, "dalalab-2024", token, today=DAY + timedelta(days=15))
    assert not verify_digest_token(
        SECRET, "dalalab-2024", token, today=DAY + timedelta(days=3), max_age_days=2
    )
    assert not verify_digest_token(SECRET, "dalalab-2024", token, today=DAY - timedelta(days=1))


def test_empty_secret_refused():
    with pytest.raises(ValueError):
        digest_token("", "dalalab-2024", DAY)


def test_found_in_reply_subjects():
    token = digest_token(SECRET, "dalalab-2024", DAY)
    tag = digest_subject_tag("dalalab-2024", token)
    assert tag == f"[Digest dalalab-2024 {token}]"
    for subject in (
        f"{tag} Dalalab: 7 anmälda",
        f"SV: {tag} Dalalab: 7 anmälda",
        f"Re: RE: VB: {tag}",
        f"sv: [digest dalalab-2024 {token}]",
    ):
        assert find_token(subject) == token
    assert find_token("Anmälan till träff 1") is None
    assert find_token(None) is None


def test_a_token_is_bound_to_the_organiser_its_digest_went_to():
    token = digest_token(SECRET, "dalalab-2024", DAY, recipient="johanna.tangnas@regiondalarna.se")
    assert verify_digest_token(
        SECRET, "dalalab-2024", token, today=DAY, recipient="Johanna.Tangnas@regiondalarna.se"
    )
    assert not verify_digest_token(
        SECRET, "dalalab-2024", token, today=DAY, recipient="karl.dahl@regiondalarna.se"
    )
    assert not verify_digest_token(SECRET, "dalalab-2024", token, today=DAY)
