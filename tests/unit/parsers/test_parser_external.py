"""Mail written by others: nothing raises, and every permanent bounce is found with its addresses."""

from __future__ import annotations

import json

import pytest
from parserkit import EXTERNAL, MEETINGS

from parsers import ParsedMessage, parse

FILES = (
    sorted(
        p
        for folder in ("mime-cpython", "mime-dovecot", "bounces-flufl")
        for p in (EXTERNAL / folder).glob("*")
    )
    if EXTERNAL.is_dir()
    else []
)
FILES = [p for p in FILES if p.name not in {"expected.json", "README.md"}]
EXPECTED = (
    json.loads((EXTERNAL / "bounces-flufl" / "expected.json").read_text())
    if (EXTERNAL / "bounces-flufl" / "expected.json").exists()
    else {}
)
PERMANENT = sorted(name for name, v in EXPECTED.items() if v["permanent"])


@pytest.mark.skipif(not FILES, reason="../shared/corpus/external is not beside the checkout")
@pytest.mark.parametrize("path", FILES, ids=[f"{p.parent.name}/{p.name}" for p in FILES])
def test_parses_without_exception(path):
    assert isinstance(parse(path.read_bytes(), MEETINGS), ParsedMessage)


@pytest.mark.skipif(not PERMANENT, reason="../shared/corpus/external is not beside the checkout")
@pytest.mark.parametrize("name", PERMANENT)
def test_permanent_bounce_addresses(name):
    parsed = parse((EXTERNAL / "bounces-flufl" / name).read_bytes(), MEETINGS)
    assert parsed.intent == "bounce"
    assert sorted(parsed.bounced) == sorted(a.lower() for a in EXPECTED[name]["permanent"])
    assert parsed.people == []
