"""The unseen corpus (tests/corpus/unseen): 40 labelled mails written from the schema and the event facts
only, before the parser was read. Scored the way the scorer scores: no silent error, and the automation
reached so far must hold (see docs/parser.md, *Unseen mail*)."""

from __future__ import annotations

import json

import pytest
from parserkit import MEETINGS, REPO, scorer

from parsers import ParsedMessage, parse

UNSEEN = REPO / "tests" / "corpus" / "unseen"
CASES = sorted(UNSEEN.glob("*.eml"))
AUTOMATED_AT_LEAST = 37


def test_the_unseen_corpus_is_there():
    assert len(CASES) == 40


@pytest.mark.usefixtures("shared_dir")  # the scorer lives in ../shared
@pytest.mark.parametrize("eml", CASES, ids=[p.stem for p in CASES])
def test_unseen_no_silent_error(eml):
    score = scorer()
    expected = json.loads(eml.with_suffix(".json").read_text(encoding="utf-8"))
    parsed = parse(eml.read_bytes(), MEETINGS)
    assert isinstance(parsed, ParsedMessage)
    diffs = score.compare(expected, parsed.record())
    if parsed.needs_review:
        assert parsed.review_reasons, "a flag must say why"
        return
    assert diffs == [], f"silent error in {eml.name}: {diffs}"


@pytest.mark.usefixtures("shared_dir")
def test_unseen_automation_holds():
    score = scorer()
    automated = 0
    for eml in CASES:
        expected = json.loads(eml.with_suffix(".json").read_text(encoding="utf-8"))
        parsed = parse(eml.read_bytes(), MEETINGS)
        automated += not parsed.needs_review and not score.compare(expected, parsed.record())
    assert automated >= AUTOMATED_AT_LEAST, f"{automated}/{len(CASES)} automated"
