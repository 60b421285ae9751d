"""Golden files: every labelled corpus message, compared the way the scorer compares.

A flagged message passes (a human looks at it); an unflagged message must be right in every field.
"""

from __future__ import annotations

import json

import pytest
from parserkit import MEETINGS, SIGNUPS, assert_no_silent_error, scorer

from parsers import parse

CASES = sorted(SIGNUPS.glob("*.eml")) if SIGNUPS.is_dir() else []


@pytest.mark.usefixtures("shared_dir")  # fails, never skips, when ../shared is missing
@pytest.mark.parametrize("eml", CASES, ids=[p.stem for p in CASES])
def test_no_silent_error(eml):
    assert_no_silent_error(eml)


@pytest.mark.usefixtures("shared_dir")  # fails, never skips, when ../shared is missing
def test_corpus_mostly_automated():
    score = scorer()
    automated = 0
    for eml in CASES:
        expected = json.loads(eml.with_suffix(".json").read_text(encoding="utf-8"))
        parsed = parse(eml.read_bytes(), MEETINGS)
        automated += not parsed.needs_review and not score.compare(expected, parsed.record())
    assert automated / len(CASES) >= 0.95
