"""parsers.feedparse builds the very Message tree the stdlib's email.message_from_bytes builds."""

from __future__ import annotations

import email
import random
import sys
from email.message import Message
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from parserkit import EXTERNAL, SIGNUPS

from parsers import feedparse

CORPUS = sorted(SIGNUPS.glob("*.eml")) + sorted(
    p
    for p in EXTERNAL.rglob("*")
    if p.is_file() and p.suffix not in {".json", ".jsonl", ".md"} and p.name != "LICENSE"
)


def _difference(want: object, got: object, path: str = "message") -> str | None:
    """Where two parse results differ (every attribute of every part, defects by type), or None."""
    if type(want) is not type(got):
        return f"{path}: {type(want).__name__} != {type(got).__name__}"
    if isinstance(want, Message) and isinstance(got, Message):
        mine, theirs = dict(vars(want)), dict(vars(got))
        payloads = mine.pop("_payload"), theirs.pop("_payload")
        defects = mine.pop("defects"), theirs.pop("defects")
        if [(type(d), d.args) for d in defects[0]] != [(type(d), d.args) for d in defects[1]]:
            return f"{path}: defects {defects[0]} != {defects[1]}"
        if mine != theirs:
            return f"{path}: {mine} != {theirs}"
        return _difference(*payloads, path=f"{path}/payload")
    if isinstance(want, list) and isinstance(got, list):
        if len(want) != len(got):
            return f"{path}: {len(want)} parts != {len(got)}"
        for i, (a, b) in enumerate(zip(want, got, strict=True)):
            found = _difference(a, b, f"{path}[{i}]")
            if found:
                return found
        return None
    return None if want == got else f"{path}: {want!r:.80} != {got!r:.80}"


def _same_as_stdlib(raw: bytes) -> None:
    try:
        want: object = email.message_from_bytes(raw)
    except Exception as exc:  # the stdlib's own failure must come through as it is
        with pytest.raises(type(exc)):
            feedparse.message_from_bytes(raw)
        return
    found = _difference(want, feedparse.message_from_bytes(raw))
    assert found is None, found


def _broken(raw: bytes, rng: random.Random) -> bytes:
    """A message with one thing wrong: cut short, a line lost or doubled, a boundary or header mangled."""
    lines = raw.split(b"\n")
    i = rng.randrange(len(lines))
    kind = rng.randrange(5)
    if kind == 0:
        return raw[: rng.randrange(len(raw) + 1)]
    if kind == 1:
        return b"\n".join(lines[:i] + lines[i + 1 :])
    if kind == 2:
        return b"\n".join(lines[: i + 1] + lines[i:])
    if kind == 3:
        dashes = [j for j, line in enumerate(lines) if line.startswith(b"--")] or [i]
        j = rng.choice(dashes)
        lines[j] += rng.choice([b"--", b" ", b"x", b"-- ", b"\t"])
        return b"\n".join(lines)
    lines.insert(i, rng.choice([b"", b"From x", b" folded", b"--", b"X-Extra: y", b"no colon", b":x"]))
    return b"\n".join(lines)


@pytest.mark.skipif(sys.version_info[:2] != (3, 11), reason="the fast path is only used on 3.11")
def test_fast_path_reads_ordinary_mail():
    raw = b"From: a@b.se\nContent-Type: multipart/alternative; boundary=x\n\n--x\n\nhej\n--x--\n"
    assert feedparse._Reader(raw.decode()).message() is not None


@pytest.mark.parametrize("path", CORPUS, ids=[p.name for p in CORPUS])
def test_every_corpus_file_parses_as_the_stdlib_does(path: Path):
    raw = path.read_bytes()
    _same_as_stdlib(raw)
    _same_as_stdlib(raw.replace(b"\r\n", b"\n").replace(b"\r", b"\n"))  # as the parser hands it on


def test_broken_variants_parse_as_the_stdlib_does():
    assert CORPUS, "the corpus is missing beside the checkout"
    rng = random.Random(10)
    for path in CORPUS:
        raw = path.read_bytes().replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        for _ in range(3):
            _same_as_stdlib(_broken(raw, rng))


_LINE = st.sampled_from(
    [
        "--b",
        "--b--",
        "--b-- ",
        "--c",
        "--c--",
        "",
        "text",
        "From me",
        " folded",
        ":x",
        "Content-Type: multipart/mixed; boundary=c",
        "Content-Type: multipart/alternative; boundary=b",
        "Content-Type: text/plain",
        "Content-Type: message/rfc822",
        "Content-Transfer-Encoding: base64",
        "Subject: x",
    ]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines=st.lists(_LINE, max_size=25), end=st.sampled_from(["", "\n"]))
def test_drawn_structures_parse_as_the_stdlib_does(lines: list[str], end: str):
    head = "Content-Type: multipart/mixed; boundary=b\n\n"
    _same_as_stdlib((head + "\n".join(lines) + end).encode())


def test_nesting_deeper_than_the_recursion_limit_reads_as_the_stdlib_reads_it() -> None:
    import email

    from parsers.feedparse import message_from_bytes

    nested = "Hej\n"
    for level in range(600):
        nested = f'Content-Type: multipart/mixed; boundary="b{level}"\n\n--b{level}\n{nested}\n--b{level}--\n'
    raw = ("From: h@evil.example\nSubject: nesting\n" + nested).encode()
    ours, theirs = message_from_bytes(raw), email.message_from_bytes(raw)
    for _ in range(600):  # walked by hand: the stdlib's own walk and as_string recurse too
        assert ours.get_content_type() == theirs.get_content_type()
        ours, theirs = ours.get_payload(0), theirs.get_payload(0)
    assert ours.get_payload() == theirs.get_payload()
